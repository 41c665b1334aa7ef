"""Every page of every role works on a phone: 390 px wide, no horizontal scrolling, and still passes axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, check_accessibility, fits_the_screen, login
from woonzeker.cases.constants import State

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "corporation_worker": ["/", "/signalen/nieuw/", "/aanleveringen/", "/dossiers/{case}/", "/meldingen/"],
    "team_coordinator": ["/", "/dossiers/{case}/", "/monitoring/", "/meldingen/", "/inloggen/reservecodes/"],
    "safe_home_worker": ["/", "/aanmelden/"],
    "social_service_worker": ["/", "/meldingen/"],
    "municipality_user": ["/", "/monitoring/", "/monitoring/?periode=term"],
    "privacy_officer": ["/privacy/", "/privacy/?persoon=Smalle", "/privacy/inzage/{tenancy}/"],
    "functional_admin": ["/beheer/", "/beheer/accounts/user/"],
}


def test_signed_out_pages_fit_a_phone(page):
    page.set_viewport_size(PHONE)
    for name, path in [("sign-in", "/inloggen/"), ("forgotten-password", "/inloggen/wachtwoord-vergeten/")]:
        page.goto(path)
        fits_the_screen(page, name)
        check_accessibility(page)


@pytest.mark.parametrize("user", PAGES)
def test_every_page_of_every_role_fits_a_phone(page, world, make_case, user):
    case = make_case(State.REFERRED, tenant_name="Smalle Schermbewoner-Langenaamsma")
    page.set_viewport_size(PHONE)
    login(page, getattr(world, user))
    for number, path in enumerate(PAGES[user]):
        page.goto(path.format(case=case.pk, tenancy=case.tenancy_id))
        for details in page.locator("details").all():  # the forms inside the actions count too
            details.evaluate("element => element.open = true")
        fits_the_screen(page, f"{user}-{number}")
        if not path.startswith("/beheer/"):  # Django's own admin is not ours to make pass axe
            check_accessibility(page)
        if path.startswith("/privacy/inzage/"):  # the report itself, as the officer reads it
            page.get_by_label("Reden").fill("Verzoek van de huurder")
            page.get_by_role("button", name="Tonen om af te drukken").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Alles wat is opgeslagen over")
            fits_the_screen(page, f"{user}-report")
            check_accessibility(page)
