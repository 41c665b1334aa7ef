"""Every page passes axe-core; queues filter and search; refusals are explained; the keyboard suffices."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, login, screenshot
from tests.factories import dutch_date
from woonzeker.cases.constants import State

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("user", "paths"),
    [
        ("corporation_worker", ["/", "/signalen/nieuw/", "/aanleveringen/", "/?deadline=overdue", "/dossiers/{case}/"]),
        ("team_coordinator", ["/", "/dossiers/{case}/", "/monitoring/", "/meldingen/"]),
        ("safe_home_worker", ["/", "/aanmelden/"]),
        ("social_service_worker", ["/"]),
        ("municipality_user", ["/", "/monitoring/", "/monitoring/?periode=term"]),
    ],
)
def test_every_page_passes_axe(page, world, make_case, user, paths):
    case = make_case(State.REFERRED)
    login(page, getattr(world, user))
    for path in paths:
        page.goto(path.format(case=case.pk))
        for details in page.locator("details").all():  # the forms inside the actions count too
            details.evaluate("element => element.open = true")
        check_accessibility(page)
    screenshot(page, f"page-{user}")


def test_sign_in_page_passes_axe_in_both_languages(page):
    page.goto("/inloggen/")
    check_accessibility(page)
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wijzig").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check_accessibility(page)


def test_team_queue_shows_overdue_first_and_filters(page, world, make_case, today):
    overdue = make_case(State.REFERRED, established_days_ago=40, tenant_name="Ada Achterstand")  # referred 30 days ago
    make_case(State.REFERRED, established_days_ago=12, tenant_name="Bob Bijtijds", postcode="3314AB")
    login(page, world.team_worker)
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Ada Achterstand")
    expect(rows.first).to_contain_text("te laat")
    expect(page.locator(".wz-counts")).to_contain_text("1 te laat")
    page.get_by_label("Termijn").select_option(label="Te laat")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"Dossier {overdue.pk}")
    screenshot(page, "queue-team-overdue")


def test_search_by_postcode_name_and_contract(page, world, make_case):
    make_case(State.SIGNAL, tenant_name="Carla Cornelissen", postcode="3313CD", contract_number="ZZ-77")
    make_case(State.SIGNAL, tenant_name="Dirk Dekker", postcode="3315EF")
    login(page, world.corporation_worker)
    search = page.get_by_label("Zoeken")
    for term in ["3313 cd", "cornelis", "ZZ-77"]:
        search.fill(term)
        search.press("Enter")
        # the address bar follows the search once its answer is shown; the rows alone would still show the last one
        expect(page).to_have_url(re.compile(r"[?&]q=" + re.escape(quote(term)) + "(&|$)"))
        expect(page.locator("tbody tr")).to_have_count(1)
        expect(page.locator("tbody tr").first).to_contain_text("Carla Cornelissen")


def test_refused_referral_explains_why_next_to_the_form(page, world, make_case):
    case = make_case(State.SIGNAL)
    login(page, world.corporation_worker)
    page.goto(f"/dossiers/{case.pk}/")
    page.locator("summary", has_text="Melden bij het sociaal team").click()
    page.locator("#action-refer").get_by_role("button").click()
    alert = page.locator("#action-refer [role=alert]")
    expect(alert).to_contain_text("Leg eerst een actieve benadering van de huurder vast")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signaal")
    check_accessibility(page)


def test_form_errors_next_to_the_field_and_in_a_summary(page, world):
    login(page, world.corporation_worker)
    page.goto("/signalen/nieuw/")
    page.get_by_label("Postcode").fill("12")
    page.get_by_role("button", name="Signaal vastleggen").click()
    summary = page.locator("[role=alert]").first
    expect(summary).to_contain_text("Herstel het volgende")
    expect(
        summary.get_by_role("link", name="Postcode: '12' is geen Nederlandse postcode (bijv. 3311 GR).")
    ).to_be_visible()
    expect(page.get_by_label("Postcode")).to_have_attribute("aria-invalid", "true")
    check_accessibility(page)


def test_safe_home_refers_a_resident_and_follows_the_status(page, world):
    login(page, world.safe_home_worker)
    page.get_by_role("link", name="Bewoner aanmelden").click()
    page.get_by_label("Naam of namen van de huurder").fill("Eva Evers")
    page.get_by_label("Straat").fill("Singel")
    page.get_by_label("Huisnummer", exact=True).fill("8")
    page.get_by_label("Postcode").fill("3318 GH")
    page.get_by_label("Woonplaats").fill("Dordrecht")
    page.get_by_label("Gemeente").select_option(label="Dordrecht")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("status")).to_contain_text("Wijkteam Zuid")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gemeld")
    page.get_by_role("link", name="Mijn werk").click()
    expect(page.locator("tbody tr")).to_contain_text("Eva Evers")


def test_uncovered_address_is_refused_at_the_postcode(page, world):
    login(page, world.safe_home_worker)
    page.goto("/aanmelden/")
    page.get_by_label("Naam of namen van de huurder").fill("Eva Evers")
    page.get_by_label("Straat").fill("Singel")
    page.get_by_label("Huisnummer", exact=True).fill("8")
    page.get_by_label("Postcode").fill("3350 AB")
    page.get_by_label("Woonplaats").fill("Papendrecht")
    page.get_by_label("Gemeente").select_option(label="Dordrecht")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.locator("#id_postcode-error")).to_contain_text("3350 AB")


def tab_to(page, element_id, limit=40):
    """Press Tab until the element with ``element_id`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"{element_id} cannot be reached with the Tab key")


def test_an_action_with_the_keyboard_alone(page, world, make_case, today):
    case = make_case(State.SIGNAL)
    login(page, world.corporation_worker)
    page.goto(f"/dossiers/{case.pk}/")
    page.locator("summary", has_text="Actieve benadering vastleggen").focus()
    page.keyboard.press("Enter")  # opens the <details>
    tab_to(page, "id_record_approach-channel")
    page.keyboard.type("Telefoongesprek")
    tab_to(page, "id_record_approach-reached_0")
    page.keyboard.press("Space")
    tab_to(page, "id_record_approach-result")
    page.keyboard.type("Gebeld, afspraak gemaakt.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the submit button
    expect(page.get_by_role("status")).to_contain_text("Gedaan")
    approach = case.approaches.get()
    assert (approach.channel, approach.reached, approach.approached_on) == ("phone", True, today)


def test_municipality_sees_no_personal_files(page, world, make_case):
    make_case(State.REFERRED, tenant_name="Frits Geheim")
    login(page, world.municipality_user)
    expect(page.get_by_text("geen persoonlijke dossiers")).to_be_visible()
    page.goto("/dossiers/1/")
    expect(page.get_by_text("Frits Geheim")).to_have_count(0)


def test_a_refused_ledger_report_and_its_later_removal_pass_axe(page, world, tmp_path, media, today):
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from tests.ledgers.test_importing import ledger
    from woonzeker.ledgers.models import LedgerImport
    from woonzeker.privacy.retention import apply_retention

    login(page, world.corporation_worker)
    page.goto("/aanleveringen/")
    page.get_by_label("Huurbestand (CSV of XLSX)").set_input_files(str(ledger(tmp_path, today, [("A1", "tien euro")])))
    page.get_by_role("button", name="Inlezen").click()
    expect(page.get_by_role("alert")).to_contain_text("Dit bestand is geweigerd")
    expect(page.locator("tbody tr").first).to_contain_text("tien euro")
    check_accessibility(page)
    # Half a year later the original and the values its report quotes are gone; the page says so.
    LedgerImport.objects.update(started_at=timezone.now() - relativedelta(months=7))
    apply_retention(today)
    page.reload()
    expect(page.get_by_text(f"Verwijderd op {dutch_date(today)}")).to_be_visible()
    expect(page.locator("tbody tr").first).not_to_contain_text("tien euro")
    check_accessibility(page)
    screenshot(page, "ledger-report-after-retention")
