"""One case, from signal to closed, walked through the browser by every party in turn."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def open_action(page, name):
    page.locator("summary", has_text=name).click()


def test_case_walks_from_signal_to_closed_through_every_party(page, world):
    # The corporation records a signal.
    login(page, world.corporation_worker)
    check_accessibility(page)
    page.get_by_role("link", name="Nieuw signaal").click()
    check_accessibility(page)
    page.get_by_label("Contractnummer").fill("WS-0001")
    page.get_by_label("Naam of namen van de huurder").fill("Karin de Groot")
    page.get_by_label("Straat").fill("Voorstraat")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Postcode").fill("3312 AB")
    page.get_by_label("Woonplaats").fill("Dordrecht")
    page.get_by_label("Gemeente").select_option(label="Dordrecht")
    page.get_by_label("Maandhuur (€)").fill("650,00")
    page.get_by_label("Huurachterstand (€)").fill("1.300,00")
    page.get_by_role("button", name="Signaal vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signaal")
    case_url = page.url
    screenshot(page, "01-corporation-signal")

    # It records an active approach and refers; the routed team is shown first.
    open_action(page, "Actieve benadering vastleggen")
    page.locator("#action-record_approach").get_by_label("Kanaal").select_option(label="Huisbezoek")
    page.locator("#action-record_approach").get_by_label("Ja").check()
    page.locator("#action-record_approach").get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("Gedaan")
    open_action(page, "Melden bij het sociaal team")
    expect(page.locator("#action-refer")).to_contain_text("Wijkteam Noord")
    check_accessibility(page)
    page.locator("#action-refer").get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gemeld")

    # The social team analyses and feeds back.
    login(page, world.team_worker)
    expect(page.get_by_role("link", name=re.compile("Dossier"))).to_have_count(1)
    page.goto(case_url)
    open_action(page, "Analyse vastleggen")
    analysis = page.locator("#action-record_analysis")
    analysis.get_by_label("Ja").check()
    analysis.get_by_label("Financiën en schulden").select_option(label="Ernstig")
    analysis.get_by_label("Samenvatting voor de corporatie").fill("Huurder werkt mee aan een plan.")
    analysis.get_by_label("Interne notities").fill("Vertrouwelijk: schulden bij meerdere partijen.")
    analysis.get_by_role("button").click()
    open_action(page, "Terugkoppeling versturen")
    page.locator("#action-send_feedback").get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Analyse teruggekoppeld")
    screenshot(page, "02-team-feedback")

    # The corporation reads the summary (not the notes) and agrees to a trajectory.
    login(page, world.corporation_worker)
    page.goto(case_url)
    expect(page.get_by_text("Huurder werkt mee aan een plan.")).to_be_visible()
    expect(page.get_by_text("Vertrouwelijk")).to_have_count(0)
    open_action(page, "Instemmen met of afwijzen van zorgtraject")
    page.locator("#action-record_corporation_decision").get_by_label("Akkoord met zorgtraject", exact=True).check()
    page.locator("#action-record_corporation_decision").get_by_role("button").click()

    # The team starts the trajectory and brings in the social service.
    login(page, world.team_worker)
    page.goto(case_url)
    open_action(page, "Zorgtraject starten")
    page.locator("#action-start_care_trajectory").get_by_label("Reden van het besluit").fill("Schuldhulp nodig.")
    page.locator("#action-start_care_trajectory").get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zorgtraject")
    open_action(page, "Toestemming om te delen vastleggen")
    page.locator("#action-record_consent").get_by_label("Delen met de sociale dienst").check()
    page.locator("#action-record_consent").get_by_role("button").click()
    expect(page.get_by_role("heading", name="Toestemming om te delen")).to_be_visible()
    open_action(page, "Partner inschakelen")
    page.locator("#action-request_involvement").get_by_label("Partner").select_option(label="SDD")
    page.locator("#action-request_involvement").get_by_role("button").click()

    # The social service accepts.
    login(page, world.social_service_worker)
    page.goto(case_url)
    check_accessibility(page)
    open_action(page, "Inzet bijwerken")
    page.locator("#action-update_involvement").get_by_label("Nieuwe status").select_option(label="Geaccepteerd")
    page.locator("#action-update_involvement").get_by_label("Nieuwe voortgangsnotitie").fill("Intake gepland.")
    page.locator("#action-update_involvement").get_by_role("button").click()
    expect(page.get_by_text("SDD: Geaccepteerd")).to_be_visible()
    open_action(page, "Inzet bijwerken")  # a second note adds to the first
    page.locator("#action-update_involvement").get_by_label("Nieuwe voortgangsnotitie").fill("Budgetbeheer gestart.")
    page.locator("#action-update_involvement").get_by_role("button").click()

    # The team reads both notes, oldest first, and sees its case with the next step in its work.
    login(page, world.team_worker)
    page.goto(case_url)
    notes = page.get_by_role("list", name="Voortgangsnotities").get_by_role("listitem")
    expect(notes).to_have_count(2)
    expect(notes.nth(0)).to_contain_text("Intake gepland.")
    expect(notes.nth(1)).to_contain_text("Budgetbeheer gestart.")
    screenshot(page, "03-involvement-notes")
    page.goto(case_url.split("/dossiers/")[0] + "/")
    expect(page.get_by_role("table")).to_contain_text("Lopende huur controleren")  # next step, by whom, by when
    expect(page.get_by_role("table")).to_contain_text("(u)")  # the team member directs it: theirs, first
    screenshot(page, "04-work-queue-next-step")

    # The team closes the case with its outcome.
    login(page, world.team_worker)
    page.goto(case_url)
    open_action(page, "Afsluiten met uitkomst")
    page.locator("#action-close_care_trajectory").get_by_label("Uitkomst").select_option(label="Ontruiming voorkomen")
    page.locator("#action-close_care_trajectory").get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Afgesloten")
    expect(page.locator(".wz-timeline li")).to_have_count(12)  # ten moves, the consent and the second note
    expect(page.get_by_text("SDD: Beëindigd: dossier gesloten")).to_be_visible()  # closing ended its part
    check_accessibility(page)
    screenshot(page, "03-closed-case")
