"""One new case, from signal to closed, walked in Chromium through every role of the demo, against the server
`make run` starts (the Makefile's target itself: the demo data, collected static files, the task worker).

Each person works in a browser of their own whose language is English: the pages are Dutch all the same, as
the account says. Every page on the way is checked as its reader meets it: axe at full width and at 390 px,
no horizontal scrolling on a phone, no machine text, and a screenshot of each (test-artefacts/screenshots/).
"""

import re
import subprocess

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, check_accessibility, fits_the_screen, screenshot
from woonzeker.demo.cases import DEMO_PASSWORD, current_demo_code

DESKTOP = {"width": 1280, "height": 900}
TENANT = "Karin de Wandelaar"
CONTRACT = "MER-WALK-1"

#: What a person must never read: code names, data structures, machine amounts and grouped years.
MACHINE_TEXT = re.compile(r"\b[a-z]+_[a-z_]+\b|\{'|\bEUR \d|maand\(en\)|\bNone\b|\b2\.0\d\d\b")


def long_date(day):
    """A date as the pages write it: "1 december 2026"."""
    with translation.override("nl"):
        return formats.date_format(day, "DATE_FORMAT")


class Person:
    """One demo login in a browser of its own, signed in once (a code is accepted once per 30 seconds)."""

    def __init__(self, browser, server, username):
        self.username = username
        self.context = browser.new_context(base_url=server.url, locale="en-US", viewport=DESKTOP)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.violations = []
        self.page.on(
            "console",
            lambda message: (
                self.violations.append(f"{self.page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page = self.page
        page.goto("/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_label("Code", exact=True).fill(current_demo_code())
        page.get_by_role("button", name="Bevestigen").click()
        page.wait_for_url("**/")

    def look(self, name):
        """The page as its reader meets it, wide and on a phone; a screenshot of both."""
        page = self.page
        page.wait_for_load_state("networkidle")
        text = page.locator("main").inner_text()
        found = MACHINE_TEXT.search(text)
        assert not found, (
            f"{page.url}: machine text {found.group()!r} in …{text[found.start() - 200 : found.end() + 80]}…"
        )
        check_accessibility(page)
        screenshot(page, f"walk-{name}")
        page.set_viewport_size(PHONE)
        fits_the_screen(page, f"walk-{name}")
        check_accessibility(page)
        page.set_viewport_size(DESKTOP)
        assert self.violations == [], "Content-Security-Policy violated: " + "; ".join(self.violations)

    def action(self, name):
        """Open a case's action by its name; returns its form."""
        summary = self.page.locator("summary", has_text=name)
        summary.click()
        return self.page.locator("details[open]", has=summary)


@pytest.fixture(scope="module")
def people(browser, make_run):
    made = {}

    def person(username):
        if username not in made:
            made[username] = Person(browser, make_run, username)
        return made[username]

    yield person
    for someone in made.values():
        someone.context.close()


def new_signal(page, *, postcode, arrears):
    """The corporation's form for a new signal, filled in for the walk's tenant and sent."""
    page.get_by_role("link", name="Nieuw signaal").click()
    page.get_by_label("Contractnummer").fill(CONTRACT)
    page.get_by_label("Naam of namen van de huurder").fill(TENANT)
    page.get_by_label("Straat").fill("Voorstraat")
    page.get_by_label("Huisnummer", exact=True).fill("212")
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_label("Woonplaats").fill("Dordrecht")
    page.get_by_label("Gemeente").select_option(label="Dordrecht")
    page.get_by_label("Maandhuur (€)").fill("650,00")
    page.get_by_label("Huurachterstand (€)").fill(arrears)
    page.get_by_role("button", name="Signaal vastleggen").click()


def notified(person, text):
    """The person's notifications page lists ``text``."""
    person.page.goto("/meldingen/")
    expect(person.page.locator("main")).to_contain_text(text)


def e_mail_to(make_run, username, case_url):
    """The last e-mail `make run` printed for ``username`` (Django's console backend) that links to the case."""
    mails = [m for m in make_run.log().split("Subject: ") if f"To: {username}@example.org" in m]
    linking = [m for m in mails if case_url in m]
    assert linking, f"no e-mail to {username} links to {case_url}: {mails[-1:]}"
    return linking[-1]


def test_one_case_from_signal_to_closed_through_every_role(people, make_run):
    today = timezone.localdate()  # the server's day (Amsterdam), also just after midnight in UTC

    # The corporation records a signal; a postcode no social team covers is refused at once, at its field.
    corporation = people("corporatie")
    page = corporation.page
    corporation.look("01-corporation-work")
    new_signal(page, postcode="3390 AB", arrears="1.300,00")
    expect(page.locator("main")).to_contain_text("Geen sociaal team werkt in postcode 3390 AB")
    corporation.look("02-corporation-uncovered-postcode")
    page.get_by_label("Postcode").fill("3312 AB")
    page.get_by_role("button", name="Signaal vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signaal")
    case_url = page.url
    case_path = case_url.removeprefix(make_run.url)
    case = case_path.strip("/").rsplit("/", 1)[-1]
    expect(page.locator("main")).to_contain_text("€ 1.300,00")  # the amount as typed, in Dutch
    expect(page.locator("main")).to_contain_text(long_date(today))
    corporation.look("03-corporation-signal")

    # A second signal for the same contract is refused, and the refusal links to the open case.
    new_signal(page, postcode="3312 AB", arrears="1.400,00")
    corporation.look("04-corporation-second-signal-refused")
    page.locator("main").get_by_role("link", name=re.compile("Naar het lopende dossier")).click()
    expect(page).to_have_url(case_url)

    # It records an active approach and refers to the team of the address.
    approach = corporation.action("Actieve benadering vastleggen")
    approach.get_by_label("Kanaal").select_option(label="Huisbezoek")
    approach.get_by_label("Ja").check()
    approach.get_by_role("button").click()
    expect(page.get_by_role("status")).to_contain_text("Gedaan")
    refer = corporation.action("Melden bij het sociaal team")
    expect(refer).to_contain_text("Sociaal Wijkteam Dordrecht Noord")
    refer.get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gemeld")
    corporation.look("05-corporation-referred")

    # The team's coordinator is told, and assigns the case to a case worker.
    coordinator = people("wijkteam-coordinator")
    notified(coordinator, f"Dossier {case} is gemeld bij uw team.")
    coordinator.look("06-coordinator-notifications")
    coordinator.page.goto(case_path)
    assign = coordinator.action("Medewerker toewijzen")
    assign.get_by_label("Medewerker").select_option(label="Fatima El Amrani")
    assign.get_by_role("button").click()
    expect(coordinator.page.locator("main")).to_contain_text("Fatima El Amrani")
    coordinator.look("07-coordinator-assigned")

    # The case worker is told, in the application and by an e-mail whose link names only the case.
    worker = people("wijkteam")
    notified(worker, f"Dossier {case} is aan u toegewezen.")
    mail = e_mail_to(make_run, "wijkteam", case_url)
    assert TENANT not in mail and "Voorstraat" not in mail and "3312" not in mail, mail
    # Their work lists their own cases first, with who does the next step and by when.
    worker.page.goto("/")
    first = worker.page.get_by_role("table").locator("tbody tr").first
    expect(first).to_contain_text(TENANT)
    expect(first).to_contain_text("(u)")
    worker.look("08-worker-my-work")

    # The worker analyses, corrects the household's phone number (a line in the history), and feeds back.
    worker.page.goto(case_path)
    analysis = worker.action("Analyse vastleggen")
    analysis.get_by_label("Ja").check()
    analysis.get_by_label("Financiën en schulden").select_option(label="Ernstig")
    analysis.get_by_label("Samenvatting voor de corporatie").fill("Huurder werkt mee aan een plan.")
    analysis.get_by_label("Interne notities").fill("Vertrouwelijk: schulden bij meerdere partijen.")
    analysis.get_by_role("button").click()
    correction = worker.action("Adres en contactgegevens verbeteren")
    correction.get_by_label("Telefoon").fill("0612345678")
    correction.get_by_role("button").click()
    expect(worker.page.locator(".wz-timeline")).to_contain_text("0612345678")
    worker.action("Terugkoppeling versturen").get_by_role("button").click()
    expect(worker.page.get_by_role("heading", level=1)).to_contain_text("Analyse teruggekoppeld")
    worker.look("09-worker-feedback")

    # The corporation reads the summary, never the internal notes, and agrees, with its reason.
    notified(corporation, f"De analyse van dossier {case} is teruggekoppeld.")
    page.goto(case_path)
    expect(page.get_by_text("Huurder werkt mee aan een plan.")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Vertrouwelijk")
    decision = corporation.action("Instemmen met of afwijzen van zorgtraject")
    decision.get_by_label("Akkoord met zorgtraject", exact=True).check()
    decision.get_by_label("Reden").fill("Huurder betaalt sinds oktober weer op tijd.")
    decision.get_by_role("button").click()
    corporation.look("10-corporation-decision")

    # The worker is told of the decision, reads its reason, starts the trajectory and brings in the social
    # service with a question, after the household's consent.
    notified(worker, f"De corporatie stemt in met een zorgtraject voor dossier {case}.")
    worker.page.goto(case_path)
    expect(worker.page.locator("main")).to_contain_text("Huurder betaalt sinds oktober weer op tijd.")
    start = worker.action("Zorgtraject starten")
    start.get_by_label("Reden van het besluit").fill("Schuldhulp nodig.")
    start.get_by_role("button").click()
    expect(worker.page.get_by_role("heading", level=1)).to_contain_text("Zorgtraject")
    consent = worker.action("Toestemming om te delen vastleggen")
    consent.get_by_label("Toestemming gegeven door").fill(TENANT)
    consent.get_by_label("Delen met de sociale dienst").check()
    consent.get_by_role("button").click()
    bring_in = worker.action("Partner inschakelen")
    bring_in.get_by_label("Partner").select_option(label="Sociale Dienst Drechtsteden")
    bring_in.get_by_label("Vraag").fill("Kan de uitkering tijdelijk rechtstreeks de huur betalen?")
    bring_in.get_by_role("button").click()
    worker.look("11-worker-trajectory")

    # The social service reads the team's question, accepts and writes two progress notes.
    service = people("sdd")
    notified(service, f"Uw organisatie wordt gevraagd mee te doen aan het zorgtraject van dossier {case}.")
    service.page.goto(case_path)
    expect(service.page.locator("main")).to_contain_text("Kan de uitkering tijdelijk rechtstreeks de huur betalen?")
    expect(service.page.locator("body")).not_to_contain_text("Vertrouwelijk")
    expect(service.page.locator("body")).not_to_contain_text("Huurder werkt mee aan een plan.")  # the corporation's
    update = service.action("Inzet bijwerken")
    update.get_by_label("Nieuwe status").select_option(label="Geaccepteerd")
    update.get_by_label("Nieuwe voortgangsnotitie").fill("Intake gepland.")
    update.get_by_role("button").click()
    update = service.action("Inzet bijwerken")
    update.get_by_label("Nieuwe voortgangsnotitie").fill("Rechtstreekse betaling van de huur geregeld.")
    update.get_by_role("button").click()
    service.look("12-service-notes")

    # The health service, not brought in and without consent, cannot open the case.
    health = people("dgj")
    health.page.goto(case_path)
    expect(health.page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    expect(health.page.locator("body")).not_to_contain_text(TENANT)
    health.look("13-health-service-refused")

    # The worker is told the service accepted, and reads both notes, oldest first.
    notified(worker, f"Sociale Dienst Drechtsteden heeft zijn deel in het zorgtraject van dossier {case} geaccepteerd.")
    worker.page.goto(case_path)
    notes = worker.page.get_by_role("list", name="Voortgangsnotities").get_by_role("listitem")
    expect(notes).to_have_count(2)
    expect(notes.nth(0)).to_contain_text("Intake gepland.")
    expect(notes.nth(1)).to_contain_text("Rechtstreekse betaling van de huur geregeld.")
    worker.page.goto("/")
    expect(worker.page.get_by_role("table").locator("tbody tr").first).to_contain_text("Lopende huur controleren")

    # The corporation's next ledger changes the household's address: the worker task imports it, the page
    # shows its progress and then the report, and the case's history says what changed, from what to what.
    page.goto("/aanleveringen/")
    corporation.look("14-corporation-ledgers")
    ledger = (
        "peildatum;contractnummer;huurder_naam;straat;huisnummer;huisnummer_toevoeging;postcode;woonplaats;"
        "gemeente;maandhuur;achterstand;betalingsregeling;telefoon;email\n"
        f"{today.isoformat()};{CONTRACT};{TENANT};Voorstraat;212;B;3312 AB;Dordrecht;Dordrecht;650,00;1300,00;"
        "nee;0612345678;\n"
    )
    page.get_by_label(re.compile("Huurbestand")).set_input_files(
        {"name": "huurbestand-wandeling.csv", "mimeType": "text/csv", "buffer": ledger.encode()}
    )
    page.get_by_role("button", name="Inlezen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("huurbestand-wandeling.csv")
    expect(page.locator("main")).to_contain_text("Het huurbestand is ingelezen.", timeout=90_000)  # the worker's report
    corporation.look("15-corporation-ledger-report")
    page.goto(case_path)
    expect(page.locator(".wz-timeline")).to_contain_text("Toevoeging: — → B")

    # Veilig Thuis refers a resident of its own; an uncovered postcode is refused as on the corporation's form.
    safe_home = people("veiligthuis")
    safe_home.page.get_by_role("link", name="Bewoner aanmelden").click()
    form = safe_home.page.locator("main form")
    form.get_by_label("Naam of namen van de huurder").fill("Priya Wandelmans")
    form.get_by_label("Straat").fill("Spuiweg")
    form.get_by_label("Huisnummer", exact=True).fill("8")
    form.get_by_label("Postcode").fill("3390 AB")
    form.get_by_label("Woonplaats").fill("Dordrecht")
    form.get_by_label("Gemeente").select_option(label="Dordrecht")
    form.get_by_role("button").click()
    expect(safe_home.page.locator("main")).to_contain_text("Geen sociaal team werkt in postcode 3390 AB")
    form.get_by_label("Postcode").fill("3311 AB")
    form.get_by_role("button").click()
    expect(safe_home.page.get_by_role("heading", level=1)).to_contain_text("Gemeld")
    safe_home.look("16-safe-home-referral")

    # The municipality's figures as of now; the worker closes the case.
    municipality = people("gemeente")
    municipality.page.goto("/monitoring/")
    figures_before = municipality.page.locator("main").inner_text()
    worker.page.goto(case_path)
    close = worker.action("Afsluiten met uitkomst")
    close.get_by_label("Uitkomst").select_option(label="Ontruiming voorkomen")
    close.get_by_role("button").click()
    expect(worker.page.get_by_role("heading", level=1)).to_contain_text("Afgesloten")
    expect(worker.page.locator("main")).to_contain_text("Beëindigd: dossier gesloten")  # the service's part ended
    worker.look("17-worker-closed")

    # The service and the corporation are told the case was closed.
    notified(service, f"Dossier {case} is gesloten (Ontruiming voorkomen).")
    service.look("18-service-told-closed")
    notified(corporation, f"Dossier {case} is gesloten (Ontruiming voorkomen).")

    # The closed case is found: not among the open ones, but with the switch to all, and by its state.
    worker.page.goto("/")
    worker.page.get_by_label("Zoeken").fill("Wandelaar")
    worker.page.get_by_role("button", name="Filteren").click()
    expect(worker.page.locator("main")).not_to_contain_text(TENANT)
    worker.page.get_by_label("Dossiers", exact=True).select_option(label="Alle dossiers")
    worker.page.get_by_role("button", name="Filteren").click()
    expect(worker.page.get_by_role("table")).to_contain_text(TENANT)
    worker.page.get_by_label("Zoeken").fill("")
    worker.page.get_by_label("Status", exact=True).select_option(label="Afgesloten")
    worker.page.get_by_role("button", name="Filteren").click()
    expect(worker.page.get_by_role("table")).to_contain_text(TENANT)
    worker.look("19-worker-finds-closed")

    # The monitoring figures follow the closing (the worker's refresh), and the council report reads whole.
    for _ in range(60):  # polled, at most a minute: the refresh runs a few seconds after the change
        municipality.page.reload()
        if municipality.page.locator("main").inner_text() != figures_before:
            break
        municipality.page.wait_for_timeout(1000)
    assert municipality.page.locator("main").inner_text() != figures_before, "the figures did not follow the close"
    municipality.look("20-municipality-monitoring")
    with municipality.page.expect_download() as download:
        municipality.page.get_by_role("link", name=re.compile("Raadsrapportage")).first.click()
    pdf = subprocess.run(["pdftotext", "-raw", download.value.path(), "-"], capture_output=True, check=True)
    text = pdf.stdout.decode()
    assert f"Huisuitzettingen voorkomen in Drechtsteden: {today.year}" in text, text[:300]
    assert text.count(f"Het proces in {today.year}") == 1, text  # one heading per section
    assert f"{today.year // 1000}.{today.year % 1000:03d}" not in text, text  # a year has no thousands separator

    # The privacy officer finds the household in the trail and prints everything stored about it.
    officer = people("privacy")
    officer.page.goto("/privacy/")
    officer.page.get_by_label("Persoon").fill("Wandelaar")
    officer.page.get_by_role("button", name="Zoeken").click()
    expect(officer.page.locator("main")).to_contain_text(TENANT)
    officer.look("21-privacy-search")
    officer.page.get_by_role("listitem").filter(has_text=TENANT).get_by_role("link", name="Inzageverzoek").click()
    officer.page.get_by_label("Reden").fill("Verzoek van de huurder")
    officer.page.get_by_role("button", name="Tonen om af te drukken").click()
    report = officer.page.locator("main")
    expect(report).to_contain_text(f"Alles wat is opgeslagen over {TENANT}")
    for kept in (
        "Rechtstreekse betaling van de huur geregeld.",
        "Huurder betaalt sinds oktober weer op tijd.",
        "Telefoon: — → 0612345678",  # the correction, in words
    ):
        expect(report).to_contain_text(kept)  # every party's part, the service's notes and the decision too
    officer.look("22-privacy-access-report")

    # The functional administrator manages accounts and reads no case.
    admin = people("beheer")
    admin.page.goto(case_path)
    expect(admin.page.locator("body")).not_to_contain_text(TENANT)
    admin.page.goto("/beheer/")
    expect(admin.page.locator("body")).not_to_contain_text(TENANT)
