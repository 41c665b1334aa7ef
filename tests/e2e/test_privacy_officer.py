"""The privacy officer in the browser: finds a person in the audit trail and answers an access request."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, login, screenshot
from woonzeker.cases.constants import State

pytestmark = pytest.mark.django_db(transaction=True)


def test_privacy_officer_searches_the_trail_and_answers_an_access_request(page, world, make_case):
    case = make_case(State.REFERRED, tenant_name="Bakker-Jansen")
    login(page, world.team_worker)
    page.goto(f"/dossiers/{case.pk}/")  # a read, logged

    login(page, world.privacy_officer)
    page.get_by_role("link", name="Privacy").click()
    page.get_by_label("Persoon").fill("Bakker")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("heading", name="Gevonden personen")).to_be_visible()
    expect(page.get_by_role("cell", name=f"Dossier {case.pk}", exact=True)).to_be_visible()
    check_accessibility(page)
    screenshot(page, "20-audit-trail-search")

    page.get_by_role("link", name="Inzageverzoek").click()
    page.get_by_label("Reden").fill("Verzoek van de huurder, kenmerk AVG-7")
    check_accessibility(page)
    page.get_by_role("button", name="Tonen om af te drukken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bakker-Jansen")
    expect(page.get_by_role("heading", name="Audittrail over deze dossiers")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "21-access-request")
