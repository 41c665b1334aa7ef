"""People read words, amounts and dates, never the code's names, ids with separators or raw data structures."""

import re
from decimal import Decimal

import pytest
from django.db import connection

from tests.factories import give_consent
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction
from woonzeker.cases import services
from woonzeker.cases.constants import State
from woonzeker.cases.workflow import MOVES

pytestmark = pytest.mark.django_db

MACHINE_TEXT = [
    re.compile(r"\{'"),  # a Python dict
    re.compile(r"\['"),  # a Python list
    re.compile(r"\b[a-z]+_[a-z_]+\b"),  # a code name: close_care_trajectory, case_worker, feedback_sent
    re.compile(r"\bobject \(\d+\)"),  # Django's default str()
    re.compile(r"\bEUR\b"),
    re.compile(r"\d\.\d{3}(?!,)"),  # a number with a thousands separator that is not an amount (1.680)
]


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def machine_text_in(text):
    return [match.group(0) for pattern in MACHINE_TEXT for match in pattern.finditer(text)]


@pytest.fixture
def closed_case(world, make_case, today):
    """A case through every step to its close, numbered past a thousand."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), 1679)")
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = 'cases_case'")
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('cases_case', 1679)")
    case = make_case(State.CARE_TRAJECTORY, tenant_name="Fatima El Amrani")
    give_consent(world.team_worker, case)
    services.request_involvement(world.team_worker, case, organisation=world.social_service, question="Budget")
    services.record_payment_arrangement(
        world.team_worker, case, agreed_on=today, monthly_amount=Decimal("50"), total_amount=Decimal("1650")
    )
    services.close_care_trajectory(world.team_worker, case, outcome="arrears_cleared", closed_on=today)
    audit.record(world.team_worker, AuditAction.CHANGE, f"case {case.pk}: close_care_trajectory", cases=[case.pk])
    audit.record(world.team_worker, AuditAction.READ, f"API case {case.pk}", cases=[case.pk])
    return case


def test_the_access_report_reads_as_words(client, world, closed_case):
    client.force_login(world.privacy_officer)
    page = client.post(f"/privacy/inzage/{closed_case.tenancy.pk}/", {"reason": "Verzoek huurder"}).content.decode()
    text = visible_text(page)
    assert machine_text_in(text) == []
    for expected in [
        "Nummer 1680",
        f"Handeling {MOVES['close_care_trajectory'].label}",
        "Naar status Afgesloten",
        "Huurachterstand: € 700,00",
        "Bedrag per maand: € 50,00; Af te lossen achterstand: € 1.650,00",
        f"Dossier 1680: {MOVES['close_care_trajectory'].label}",
        "Rol Medewerker",
    ]:
        assert expected.replace(" ", "") in text.replace(" ", "").replace("\xa0", ""), expected


def test_the_audit_search_reads_as_words(client, world, closed_case):
    client.force_login(world.privacy_officer)
    text = visible_text(client.get("/privacy/", {"persoon": "El Amrani"}).content.decode())
    assert f"Dossier 1680: {MOVES['close_care_trajectory'].label}" in text
    assert "Dossier 1680 (API)" in text
    assert "close_care_trajectory" not in text and "1.680" not in text


def test_the_audit_export_names_moves_and_roles_in_words(client, world, closed_case):
    client.force_login(world.privacy_officer)
    export = client.get("/privacy/", {"persoon": "El Amrani", "formaat": "csv"})
    body = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert str(MOVES["close_care_trajectory"].label) in body and "Medewerker" in body
    assert "close_care_trajectory" not in body and "case_worker" not in body


def test_the_case_page_shows_amounts_in_euros_and_dates_in_words(client, world, closed_case, today):
    client.force_login(world.team_worker)
    text = visible_text(client.get(f"/dossiers/{closed_case.pk}/").content.decode()).replace("\xa0", " ")
    assert "€ 50,00 per maand, € 1.650,00" in text
    assert "(€ 700,00)" in text
    assert re.search(
        r"\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4}\b",
        text,
    )
    assert not re.search(r"\b\d{2}-\d{2}-\d{4}\b", text)


def test_a_reason_required_for_declining_is_not_labelled_optional(client, world, make_case):
    case = make_case(State.FEEDBACK_SENT)
    client.force_login(world.corporation_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    label = re.search(r'for="id_record_corporation_decision-reason">([^<]*)<', page).group(1)
    assert label == "Reden"
    refused = client.post(
        f"/dossiers/{case.pk}/record_corporation_decision/",
        {"record_corporation_decision-decision": "declined", "record_corporation_decision-reason": ""},
    )
    assert "Geef de reden van de afwijzing." in refused.content.decode()


def test_every_move_has_a_label_people_read():
    assert all("_" not in str(move.label) for move in MOVES.values())


def test_the_case_page_offers_the_moves_in_the_order_they_are_made(client, world, make_case):
    from woonzeker.cases.workflow import FLOW_ORDER

    assert set(FLOW_ORDER) == set(MOVES)
    client.force_login(world.corporation_worker)
    page = client.get(f"/dossiers/{make_case(State.SIGNAL).pk}/").content.decode()
    offered = re.findall(r'id="action-([a-z_]+)"', page)
    assert offered[:3] == ["record_approach", "resolve_before_referral", "refer"], offered


@pytest.mark.parametrize(
    ("user", "path"),
    [
        ("team_worker", "/meldingen/"),
        ("municipality_user", "/monitoring/"),
        ("corporation_worker", "/"),
        ("team_worker", "/dossiers/{case}/"),
        ("corporation_worker", "/dossiers/{case}/"),
        ("corporation_worker", "/aanleveringen/"),
    ],
)
def test_no_code_names_or_data_structures_on_the_pages_people_read(client, world, closed_case, user, path):
    from woonzeker.monitoring.refresh import refresh_figures

    refresh_figures()
    client.force_login(getattr(world, user))
    text = visible_text(client.get(path.format(case=closed_case.pk)).content.decode())
    assert machine_text_in(text) == []
