"""The canary: every free-text and sensitive field of cases in every state carries a unique marker; every
channel is rendered as every party and role; each marker must appear exactly where the disclosure table of
docs/authorization.md allows, and nowhere else.

The table is read from the document (``test_disclosure_table.documented_table``), so the document cannot
drift from what people are shown. The channels: the work queue, every case page, the API's list and every
API case, the notifications page, every e-mail sent, the monitoring dashboard and its exports, the DDAS
file, the privacy officer's audit search and its export, and the access request (page and JSON).
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from tests.accounts.test_disclosure_table import documented_table
from tests.factories import TenancyFactory, UserFactory, client_for
from woonzeker.accounts.authorization import may_export_ddas, may_view_monitoring, visible_cases
from woonzeker.accounts.models import Role
from woonzeker.api.models import Scope
from woonzeker.cases import services
from woonzeker.cases.constants import CorporationDecision, Outcome, ProblemArea, Severity
from woonzeker.cases.models import Involvement
from woonzeker.crypto import mask
from woonzeker.organisations.models import OrganisationKind as Kind

pytestmark = pytest.mark.django_db

TABLE, SHOWN_ON = documented_table()
CASE_PARTIES = set(TABLE["case"])

# Where each marked field is shown, besides the access request (which shows every stored field): the case page,
# the work queue (open cases), the API's list and its one case. Each channel must be named in the document's
# "shown on" column of the field's record (``test_every_channel_here_is_in_the_documents_shown_on_column``).
PAGE, QUEUE, API_LIST, API_CASE = "case page", "work queue", "API list", "API case"
FIELDS = {
    # field: (record, channels)
    "tenant_name": ("household", {PAGE, QUEUE, API_LIST, API_CASE}),
    "street": ("household", {PAGE, QUEUE, API_LIST, API_CASE}),
    "phone": ("household", {PAGE}),
    "contract_number": ("household", {PAGE, API_LIST, API_CASE}),
    "email": ("household", set()),
    "arrears": ("signal", {PAGE, API_LIST, API_CASE}),
    "approach_result": ("approaches", {PAGE}),
    "referral_note": ("referral", {PAGE}),
    "summary_for_corporation": ("feedback", {PAGE, API_CASE}),
    "internal_notes": ("analysis_internal", {PAGE}),
    "corporation_decision_reason": ("corporation_decision", {PAGE}),
    "trajectory_reason": ("trajectory_decision", {PAGE}),
    "consent_purpose": ("consents", {PAGE}),
    "consent_given_by": ("consents", {PAGE}),
    "question_social_service": ("involvements", {PAGE}),
    # Two progress notes per service: a later note adds to the earlier one, both read by the same readers.
    "first_note_social_service": ("involvements", {PAGE}),
    "second_note_social_service": ("involvements", {PAGE}),
    "question_health_service": ("involvements", {PAGE}),
    "first_note_health_service": ("involvements", {PAGE}),
    "second_note_health_service": ("involvements", {PAGE}),
    "arrangement_note": ("payment_arrangements", {PAGE}),
    "rent_check_note": ("current_rent_checks", {PAGE}),
    "milestone_note": ("milestones", {PAGE}),
}
#: The BSN is checked on its own: in full where the cell says so, masked where it says masked.
BSN_CHANNELS = {PAGE, API_CASE}


def test_every_channel_here_is_in_the_documents_shown_on_column():
    for field_name, (record, channels) in FIELDS.items():
        for channel in channels:
            named = channel.replace("API list", "API").replace("API case", "API")
            assert named in SHOWN_ON[record], f"{field_name}: {channel} is not in the table's row for {record}"


# --- The cases, one in every state, with a marker in every field ------------------------------


def _bsns():
    """Valid BSNs (the eleven-test), each unlike the others and unlike any other number on a page."""
    for start in range(27182818, 27192818, 137):
        digits = [int(d) for d in str(start)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            yield f"{start}{check}"


class Canary:
    """The marked cases and, for each, which fields hold which marker."""

    def __init__(self):
        self.cases = []  # (case, {field: marker}, facts)

    def marker(self, number, field_name):
        return f"kanarie{number}x{field_name.replace('_', 'x')}"


@pytest.fixture
def canary(world, today):
    """Cases in every state (and a Veilig Thuis referral), each field marked; both services brought into one."""
    found = Canary()
    bsns = _bsns()
    amounts = iter(Decimal(f"{n}7531.{n}9") for n in range(1, 10))

    def household(number, corporation=world.corporation):
        marks = {name: found.marker(number, name) for name in ("tenant_name", "street", "phone", "email")}
        marks["contract_number"] = f"KNR{number}X"
        tenancy = TenancyFactory(
            corporation=corporation,
            municipality=world.dordrecht,
            contract_number=marks["contract_number"] if corporation else "",
            tenant_name=marks["tenant_name"],
            street=marks["street"],
            phone=marks["phone"],
            email=f"{marks['email']}@example.org",
            bsn=next(bsns),
        )
        return tenancy, marks

    def signal(number, state):
        tenancy, marks = household(number)
        arrears = next(amounts)
        established = today - timedelta(days=40)
        case = services.establish_signal(world.corporation_worker, tenancy, established_on=established, arrears=arrears)
        marks["arrears"] = arrears
        facts = {"state": state, "feedback": False, "decision_writer": None, "referred_by": None}
        if state == "signal":
            services.record_approach(
                world.corporation_worker,
                case,
                channel="phone",
                approached_on=established,
                reached=False,
                result=marks.setdefault("approach_result", found.marker(number, "approach_result")),
            )
            return case, marks, facts
        services.record_approach(
            world.corporation_worker,
            case,
            channel="home_visit",
            approached_on=established,
            reached=True,
            result=marks.setdefault("approach_result", found.marker(number, "approach_result")),
        )
        marks["referral_note"] = found.marker(number, "referral_note")
        services.refer(
            world.corporation_worker, case, referred_on=established + timedelta(days=3), note=marks["referral_note"]
        )
        facts["referred_by"] = world.corporation.pk
        if state == "referred":
            return case, marks, facts
        marks["summary_for_corporation"] = found.marker(number, "summary_for_corporation")
        marks["internal_notes"] = found.marker(number, "internal_notes")
        services.record_analysis(
            world.team_worker,
            case,
            tenant_reached=True,
            problems={ProblemArea.FINANCES: Severity.SEVERE},
            summary_for_corporation=marks["summary_for_corporation"],
            internal_notes=marks["internal_notes"],
        )
        if state == "analysed, not fed back":
            return case, marks, facts
        services.send_feedback(world.team_worker, case, sent_on=established + timedelta(days=5))
        facts["feedback"] = True
        if state == "feedback sent":
            return case, marks, facts
        if state == "no care trajectory":
            marks["trajectory_reason"] = found.marker(number, "trajectory_reason")
            services.decide_no_care_trajectory(
                world.corporation_worker,
                case,
                reason=marks["trajectory_reason"],
                outcome=Outcome.ARREARS_CLEARED,
                closed_on=established + timedelta(days=6),
            )
            facts["decision_writer"] = world.corporation.pk
            return case, marks, facts
        marks["corporation_decision_reason"] = found.marker(number, "corporation_decision_reason")
        services.record_corporation_decision(
            world.corporation_worker,
            case,
            decision=CorporationDecision.AGREED,
            reason=marks["corporation_decision_reason"],
        )
        marks["trajectory_reason"] = found.marker(number, "trajectory_reason")
        services.start_care_trajectory(
            world.team_worker, case, started_on=established + timedelta(days=6), reason=marks["trajectory_reason"]
        )
        facts["decision_writer"] = world.team.pk
        marks["consent_purpose"] = found.marker(number, "consent_purpose")
        marks["consent_given_by"] = found.marker(number, "consent_given_by")
        services.record_consent(
            world.team_worker,
            case,
            given_by=marks["consent_given_by"],
            given_on=established + timedelta(days=6),
            parties=(Kind.SOCIAL_SERVICE, Kind.HEALTH_SERVICE),
            purpose=marks["consent_purpose"],
        )
        for service, kind in ((world.social_service, "social_service"), (world.health_service, "health_service")):
            marks[f"question_{kind}"] = found.marker(number, f"question_{kind}")
            for note in ("first_note", "second_note"):
                marks[f"{note}_{kind}"] = found.marker(number, f"{note}_{kind}")
            involvement = services.request_involvement(
                world.team_worker, case, organisation=service, question=marks[f"question_{kind}"]
            )
            worker = getattr(world, f"{kind}_worker")
            involvement = Involvement.objects.get(pk=involvement.pk)  # with the case as it is now
            services.update_involvement(worker, involvement, status="accepted", progress=marks[f"first_note_{kind}"])
            involvement = Involvement.objects.get(pk=involvement.pk)
            services.update_involvement(worker, involvement, progress=marks[f"second_note_{kind}"])
            case.refresh_from_db()
        for name in ("arrangement_note", "rent_check_note", "milestone_note"):
            marks[name] = found.marker(number, name)
        services.record_payment_arrangement(
            world.team_worker,
            case,
            agreed_on=established + timedelta(days=7),
            monthly_amount=Decimal("50.00"),
            total_amount=Decimal("600.00"),
            note=marks["arrangement_note"],
        )
        services.record_current_rent_check(
            world.corporation_worker, case, checked_on=today, paid=False, note=marks["rent_check_note"]
        )
        services.record_milestone(
            world.corporation_worker, case, kind="summons", occurred_on=today, note=marks["milestone_note"]
        )
        if state == "care trajectory":
            return case, marks, facts
        services.close_care_trajectory(world.team_worker, case, outcome=Outcome.ARREARS_CLEARED, closed_on=today)
        return case, marks, facts

    states = [
        "signal",
        "referred",
        "analysed, not fed back",
        "feedback sent",
        "no care trajectory",
        "care trajectory",
        "closed",
    ]
    for number, state in enumerate(states, start=1):
        case, marks, facts = signal(number, state)
        found.cases.append((case, marks, facts))
    # Veilig Thuis refers a tenant of the corporation, with its note for the team.
    number = len(states) + 1
    tenancy, marks = household(number)
    marks["referral_note"] = found.marker(number, "referral_note")
    case = services.refer_from_safe_home(
        world.safe_home_worker, tenancy, referred_on=today, note=marks["referral_note"]
    )
    found.cases.append(
        (
            case,
            marks,
            {
                "state": "referred by Veilig Thuis",
                "feedback": False,
                "decision_writer": None,
                "referred_by": world.safe_home.pk,
            },
        )
    )
    for case, _marks, _facts in found.cases:
        case.refresh_from_db()
    return found


# --- The readers, every party and role -----------------------------------------------------------

READERS = {
    "corporation case worker": lambda w: w.corporation_worker,
    "corporation coordinator": lambda w: w.corporation_coordinator,
    "other corporation": lambda w: w.other_corporation_worker,
    "team case worker": lambda w: w.team_worker,
    "team coordinator": lambda w: w.team_coordinator,
    "other team": lambda w: w.other_team_worker,
    "social service case worker": lambda w: w.social_service_worker,
    "social service coordinator": lambda w: UserFactory(organisation=w.social_service, role=Role.COORDINATOR),
    "health service case worker": lambda w: w.health_service_worker,
    "health service coordinator": lambda w: UserFactory(organisation=w.health_service, role=Role.COORDINATOR),
    "Veilig Thuis case worker": lambda w: w.safe_home_worker,
    "Veilig Thuis coordinator": lambda w: UserFactory(organisation=w.safe_home, role=Role.COORDINATOR),
    "municipality coordinator": lambda w: w.municipality_user,
    "municipality case worker": lambda w: UserFactory(organisation=w.municipality),
    "functional administrator": lambda w: w.functional_admin,
    "functional administrator sitting in the corporation": lambda w: UserFactory(
        organisation=w.corporation, role=Role.FUNCTIONAL_ADMIN
    ),
    "privacy officer": lambda w: w.privacy_officer,
}


def allowed(user, record, facts, field_name):
    """Whether the table lets ``user`` read ``field_name`` of ``record`` on a case with ``facts``."""
    kind = user.organisation_kind if user.role in (Role.CASE_WORKER, Role.COORDINATOR) else None
    cell = TABLE[record].get(kind, "no")
    if cell == "yes":
        return True
    if cell == "after feedback":
        return facts["feedback"]
    if cell == "writer":
        writer = facts["referred_by"] if record == "referral" else facts["decision_writer"]
        return writer == user.organisation_id
    if cell == "own":
        # The canary's consent covers both services: each reads that it is covered, not the purpose, which
        # speaks of the other service too.
        return field_name.endswith(kind) or field_name == "consent_given_by"
    return False


def _text(response):
    return response.content.decode("utf-8", errors="replace") if response.status_code == 200 else ""


def _amount_pattern(amount):
    whole, cents = f"{amount:.2f}".split(".")
    return re.compile(rf"{whole[:-3]}[.]?{whole[-3:]}[.,]{cents}")


def _present(marker, text):
    if isinstance(marker, Decimal):
        return bool(_amount_pattern(marker).search(text))
    return marker in text


def channels_for(user, canary, world):
    """Every channel's text as ``user`` sees it: ``{(channel, case or None): text}``."""
    client = Client()
    client.force_login(user)
    seen = {(QUEUE, None): _text(client.get("/"))}
    for case, _marks, _facts in canary.cases:
        seen[(PAGE, case.pk)] = _text(client.get(f"/dossiers/{case.pk}/"))
    api = client_for(user, [Scope.CASES_READ])
    seen[(API_LIST, None)] = _text(api.get("/api/v1/cases/"))
    for case, _marks, _facts in canary.cases:
        seen[(API_CASE, case.pk)] = _text(api.get(f"/api/v1/cases/{case.pk}/"))
    seen[("notifications", None)] = _text(client.get("/meldingen/"))
    if may_view_monitoring(user):
        dashboard = seen[("monitoring", None)] = _text(client.get("/monitoring/"))
        exports = sorted(set(re.findall(r'href="(/monitoring/export/[\w-]+\.csv)', dashboard)))
        assert exports, "the dashboard links its CSV exports"
        for url in exports:
            seen[(f"monitoring {url}", None)] = _text(client.get(url))
    if may_export_ddas(user):
        period = str(canary.cases[0][0].established_on.year)
        ddas = seen[("DDAS", None)] = _text(client.post("/monitoring/ddas/", {"periode": period, "reden": "controle"}))
        assert "WOONZEKER" in ddas, "the DDAS file was produced"
    if user.role == Role.PRIVACY_OFFICER:
        for person in ("kanarie", "Huurder"):
            seen[(f"audit search {person}", None)] = _text(client.get("/privacy/", {"persoon": person}))
        seen[("audit export", None)] = _text(client.get("/privacy/", {"van": "2000-01-01", "formaat": "csv"}))
    return seen


@pytest.mark.parametrize("reader", READERS)
def test_each_marker_appears_exactly_where_the_table_allows(world, canary, reader):
    user = READERS[reader](world)
    mail.outbox.clear()
    seen = channels_for(user, canary, world)
    visible = set(visible_cases(user).values_list("pk", flat=True))
    mails = "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox)
    wrong = []
    for case, marks, facts in canary.cases:
        open_case = case.state not in ("closed", "resolved_before_referral")
        for field_name, marker in marks.items():
            record, channels = FIELDS[field_name]
            may = case.pk in visible and allowed(user, record, facts, field_name)
            for channel in (PAGE, API_CASE):
                expected = may and channel in channels
                if _present(marker, seen[(channel, case.pk)]) != expected:
                    wrong.append(f"case {case.pk} ({facts['state']}) {field_name} on {channel}: expected {expected}")
            for channel in (QUEUE, API_LIST):
                expected = may and channel in channels and (open_case or channel == API_LIST)
                if _present(marker, seen[(channel, None)]) != expected:
                    wrong.append(f"case {case.pk} ({facts['state']}) {field_name} on {channel}: expected {expected}")
            for (channel, _pk), text in seen.items():
                if channel in (PAGE, API_CASE, QUEUE, API_LIST):
                    continue
                if record == "household" and (channel == "DDAS" or channel.startswith("audit search")):
                    # The exchange file carries the household by the standard's design, and the privacy officer's
                    # search by person names the households it found (the table's rows outside a case).
                    continue
                if _present(marker, text):
                    wrong.append(f"case {case.pk} {field_name} reaches {channel}")
            if _present(marker, mails):
                wrong.append(f"case {case.pk} {field_name} reaches an e-mail")
        bsn = case.tenancy.bsn
        bsn_cell = TABLE["bsn"].get(user.organisation_kind, "no") if case.pk in visible else "no"
        full_allowed, masked_allowed = bsn_cell == "full", bsn_cell == "masked"
        for channel in BSN_CHANNELS:
            text = seen[(channel, case.pk)]
            if (bsn in text) != full_allowed:
                wrong.append(f"case {case.pk} full BSN on {channel}: expected {full_allowed}")
            if (mask(bsn) in text) != masked_allowed:
                wrong.append(f"case {case.pk} masked BSN on {channel}: expected {masked_allowed}")
        other_channels = {k: v for k, v in seen.items() if k[0] not in (PAGE, API_CASE, "DDAS")}
        if any(bsn in text for text in other_channels.values()) or bsn in mails:
            wrong.append(f"case {case.pk} full BSN reaches a list, export or e-mail")
    assert not wrong, "\n".join(wrong)
    assert "kanarie" not in mails, "no e-mail names a household"
    # An absence proves nothing on a page that failed: every case the reader may see, and its API list, answered.
    shown = [case.pk for case, _marks, _facts in canary.cases if case.pk in visible]
    unanswered = [
        key for key in [(API_LIST, None), *((c, pk) for pk in shown for c in (PAGE, API_CASE))] if not seen[key]
    ]
    assert not unanswered, f"no answer (not 200) on {unanswered}"


def test_the_access_request_shows_every_field_to_the_privacy_officer(world, canary):
    client = Client()
    client.force_login(world.privacy_officer)
    for case, marks, _facts in canary.cases:
        url = f"/privacy/inzage/{case.tenancy_id}/"
        page = _text(client.post(url, {"reason": "Inzageverzoek 2026-17"}))
        download = _text(client.post(url, {"reason": "Inzageverzoek 2026-17", "json": "1"}))
        for field_name, marker in marks.items():
            if field_name == "arrears":
                continue  # an amount, shown as stored
            assert marker in page, f"{field_name} missing from the access request page"
            assert marker in download, f"{field_name} missing from the access request download"
        assert case.tenancy.bsn in page and case.tenancy.bsn in download
