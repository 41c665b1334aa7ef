"""Importing rent ledgers: every rule of the ledger contract, all or nothing, from every way in."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from tests.factories import UserFactory
from woonzeker.accounts.authorization import MoveRefused
from woonzeker.cases import services
from woonzeker.cases.constants import CorporationDecision, State
from woonzeker.cases.models import Case, CurrentRentCheck
from woonzeker.ledgers import importing
from woonzeker.ledgers.importing import import_ledger
from woonzeker.ledgers.models import ImportChannel, ImportStatus, LedgerImport, TenancySnapshot
from woonzeker.tenancies.models import Tenancy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

HEADER = ";".join(
    ["peildatum", "contractnummer", "huurder_naam", "straat", "huisnummer", "postcode", "woonplaats", "maandhuur"]
    + ["achterstand", "betalingsregeling"]
)


@pytest.fixture(autouse=True, params=["one chunk", "a chunk a row"])
def chunks(request, monkeypatch):
    """Every test imports its files as one chunk, and again with each row a chunk of its own
    (``importing.CHUNK_ROWS``): written a chunk at a time while the next is read, the import does what it
    did in one piece, refuses what it refused, with the same report, and leaves nothing of a refused file."""
    if request.param == "a chunk a row":
        monkeypatch.setattr(importing, "CHUNK_ROWS", 1)


def ledger(tmp_path, day, rows, name=None):
    """A CSV ledger for ``day``; each row is (contract, arrears) or (contract, arrears, rent, arrangement, postcode)."""
    lines = [HEADER]
    for row in rows:
        contract, arrears, rent, arrangement, postcode = (*row, "650,00", "nee", "3311AB")[:5] if len(row) == 2 else row
        address = f"Voorstraat;1;{postcode};Dordrecht"
        lines.append(f"{day:%Y-%m-%d};{contract};Huurder {contract};{address};{rent};{arrears};{arrangement}")
    path = tmp_path / (name or f"ledger-{day:%Y%m%d}.csv")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(world, path, user=None):
    return import_ledger(user or world.corporation_worker, world.corporation, path, path.name, ImportChannel.UPLOAD)


def case_of(world, contract):
    return Case.objects.get(tenancy__corporation=world.corporation, tenancy__contract_number=contract)


def test_signal_established_on_the_reference_date(world, tmp_path, today):
    day = today - timedelta(days=10)
    record = run(world, ledger(tmp_path, day, [("A1", "650,00"), ("A2", "649,99"), ("A3", "0")]))
    assert record.status == ImportStatus.IMPORTED, record.report
    assert (record.rows_read, record.signals_opened) == (3, 1)
    case = case_of(world, "A1")
    assert (case.state, case.established_on, case.referral_due_on) == (State.SIGNAL, day, day + timedelta(days=42))
    assert case.ledger_import == record and case.covenant == world.covenant
    assert list(case.events.values_list("action", "actor", "organisation")) == [
        ("establish_signal", world.corporation_worker.pk, world.corporation.pk)
    ]


def test_signal_resolved_when_paid_or_arrangement_but_not_on_partial_payment(world, tmp_path, today):
    first = today - timedelta(days=40)
    run(world, ledger(tmp_path, first, [("P", "1300,00"), ("R", "1300,00"), ("Q", "1300,00")]))
    second = today - timedelta(days=10)
    record = run(
        world, ledger(tmp_path, second, [("P", "0"), ("R", "1300,00", "650,00", "ja", "3311AB"), ("Q", "100,00")])
    )
    assert record.signals_resolved == 2
    paid, arranged, partial = case_of(world, "P"), case_of(world, "R"), case_of(world, "Q")
    assert (paid.state, paid.resolution, paid.resolved_on) == (State.RESOLVED_BEFORE_REFERRAL, "arrears_paid", second)
    assert (arranged.state, arranged.resolution) == (State.RESOLVED_BEFORE_REFERRAL, "payment_arrangement")
    assert partial.state == State.SIGNAL
    assert paid.events.last().action == "resolve_before_referral"


def test_no_second_signal_while_one_is_open(world, tmp_path, today):
    run(world, ledger(tmp_path, today - timedelta(days=20), [("A", "700")]))
    record = run(world, ledger(tmp_path, today - timedelta(days=5), [("A", "1400")]))
    assert record.signals_opened == 0
    assert Case.objects.filter(tenancy__contract_number="A").count() == 1


def test_referred_case_is_not_resolved_by_a_ledger(world, tmp_path, today):
    run(world, ledger(tmp_path, today - timedelta(days=20), [("A", "700")]))
    case = case_of(world, "A")
    services.record_approach(world.corporation_worker, case, channel="letter", approached_on=today, reached=True)
    services.refer(world.corporation_worker, case, referred_on=today)
    run(world, ledger(tmp_path, today, [("A", "0")]))
    case.refresh_from_db()
    assert case.state == State.REFERRED


def test_current_rent_unpaid_in_a_trajectory_when_arrears_grow(world, tmp_path, today):
    run(world, ledger(tmp_path, today - timedelta(days=60), [("T", "700"), ("U", "700")]))
    for contract in ["T", "U"]:
        case = case_of(world, contract)
        services.record_approach(
            world.corporation_worker, case, channel="letter", approached_on=today - timedelta(days=59), reached=True
        )
        services.refer(world.corporation_worker, case, referred_on=today - timedelta(days=58))
        services.record_analysis(world.team_worker, case, tenant_reached=True, problems={}, summary_for_corporation="x")
        services.send_feedback(world.team_worker, case, sent_on=today - timedelta(days=50))
        services.record_corporation_decision(world.corporation_worker, case, decision=CorporationDecision.AGREED)
        services.start_care_trajectory(world.team_worker, case, started_on=today - timedelta(days=49), reason="x")
    run(world, ledger(tmp_path, today - timedelta(days=30), [("T", "700"), ("U", "700")]))
    record = run(world, ledger(tmp_path, today, [("T", "1350"), ("U", "650")]))
    assert record.current_rent_breaches == 1
    grown = case_of(world, "T")
    assert record.report["current_rent_breaches"] == [grown.pk]
    checks = CurrentRentCheck.objects.filter(case=grown).order_by("checked_on")
    assert [(c.paid, c.previous_arrears, c.arrears) for c in checks] == [
        (True, Decimal("700.00"), Decimal("700.00")),
        (False, Decimal("700.00"), Decimal("1350.00")),
    ]
    assert grown.events.last().details == {"paid": False, "ledger_import": record.pk}
    assert CurrentRentCheck.objects.filter(case=case_of(world, "U"), paid=False).count() == 0


def test_every_snapshot_is_kept(world, tmp_path, today):
    for days_ago, arrears in [(60, "100"), (30, "700"), (1, "0")]:
        run(world, ledger(tmp_path, today - timedelta(days=days_ago), [("H", arrears)]))
    history = TenancySnapshot.objects.filter(tenancy__contract_number="H").order_by("reference_date")
    assert [s.arrears for s in history] == [Decimal("100"), Decimal("700"), Decimal("0")]


def test_tenancy_details_updated_from_the_latest_file(world, tmp_path, today):
    run(world, ledger(tmp_path, today - timedelta(days=30), [("M", "0", "600,00", "nee", "3311AB")]))
    run(world, ledger(tmp_path, today, [("M", "0", "625,50", "nee", "3312CD")]))
    tenancy = Tenancy.objects.get(contract_number="M")
    assert (tenancy.monthly_rent, tenancy.postcode) == (Decimal("625.50"), "3312CD")


def test_a_known_tenancy_after_new_ones_gets_its_snapshot_and_its_new_details(world, tmp_path, today, monkeypatch):
    """A chunk after chunks of new tenancies is written as new ones are (with their snapshots, in one statement
    on PostgreSQL); when one of its tenancies is there after all, that is undone and the chunk written as any."""
    monkeypatch.setattr(importing, "CHUNK_ROWS", 1)
    run(world, ledger(tmp_path, today - timedelta(days=30), [("A", "0", "600,00", "nee", "3311AB")]))
    rows = [("B", "0"), ("C", "700"), ("A", "0", "625,50", "nee", "3312CD"), ("D", "0")]
    record = run(world, ledger(tmp_path, today, rows))
    assert record.status == ImportStatus.IMPORTED, record.report
    assert (record.rows_read, record.signals_opened) == (4, 1)
    tenancy = Tenancy.objects.get(contract_number="A")
    assert (tenancy.monthly_rent, tenancy.postcode) == (Decimal("625.50"), "3312CD")
    counts = {t.contract_number: t.snapshots.count() for t in Tenancy.objects.all()}
    assert counts == {"A": 2, "B": 1, "C": 1, "D": 1}


def test_invalid_row_changes_nothing_and_reports_every_problem(world, tmp_path, today):
    run(world, ledger(tmp_path, today - timedelta(days=30), [("A", "700")]))
    before = (Case.objects.count(), Tenancy.objects.count(), TenancySnapshot.objects.count())
    bad = ledger(
        tmp_path,
        today,
        [("A", "0"), ("B", "1.2.3"), ("C", "700", "-5", "nee", "3311AB"), ("D", "700", "650", "nee", "99XX")],
    )
    record = run(world, bad)
    assert record.status == ImportStatus.REFUSED
    assert (Case.objects.count(), Tenancy.objects.count(), TenancySnapshot.objects.count()) == before
    assert case_of(world, "A").state == State.SIGNAL  # the valid row resolved nothing
    problems = {(e["row"], e["column"]) for e in record.report["errors"]}
    assert {(3, "achterstand"), (4, "maandhuur"), (5, "postcode")} <= problems
    assert record.original.read().decode().startswith("peildatum")  # the original is kept


def test_a_problem_read_after_chunks_were_written_leaves_nothing_of_them(world, tmp_path, today, monkeypatch):
    """A chunk is written while the reader is at most two chunks ahead: a problem in the tenth row comes to
    light after the first rows' tenancies and snapshots were written; they are rolled back with the rest."""
    monkeypatch.setattr(importing, "CHUNK_ROWS", 1)
    run(world, ledger(tmp_path, today - timedelta(days=30), [("A", "700")]))
    before = (Case.objects.count(), Tenancy.objects.count(), TenancySnapshot.objects.count())
    rows = [("A", "0")] + [(f"N{n}", "700") for n in range(8)] + [("B", "1.2.3")]
    record = run(world, ledger(tmp_path, today, rows))
    assert record.status == ImportStatus.REFUSED
    assert [(e["row"], e["column"]) for e in record.report["errors"]] == [(11, "achterstand")]
    assert (Case.objects.count(), Tenancy.objects.count(), TenancySnapshot.objects.count()) == before
    assert case_of(world, "A").state == State.SIGNAL


def test_uncovered_postcode_without_municipality_is_a_row_error(world, tmp_path, today):
    record = run(world, ledger(tmp_path, today, [("Z", "700", "650", "nee", "9999ZZ")]))
    assert record.status == ImportStatus.REFUSED
    [error] = record.report["errors"]
    assert (error["row"], error["column"], error["value"]) == (2, "postcode", "9999ZZ")
    assert "gemeente" in error["message"]


def test_same_file_twice_is_refused(world, tmp_path, today):
    path = ledger(tmp_path, today, [("A", "700")])
    assert run(world, path).status == ImportStatus.IMPORTED
    again = run(world, path)
    assert again.status == ImportStatus.REFUSED
    assert "already imported" in again.report["errors"][0]["message"]
    assert Case.objects.count() == 1


def test_second_file_for_the_same_date_is_refused(world, tmp_path, today):
    run(world, ledger(tmp_path, today, [("A", "700")], name="one.csv"))
    record = run(world, ledger(tmp_path, today, [("A", "700"), ("B", "900")], name="two.csv"))
    assert record.status == ImportStatus.REFUSED
    assert "already imported" in record.report["errors"][0]["message"]
    assert not Tenancy.objects.filter(contract_number="B").exists()


def test_late_file_for_an_earlier_date_is_refused_with_the_reason(world, tmp_path, today):
    run(world, ledger(tmp_path, today, [("A", "0")]))
    record = run(world, ledger(tmp_path, today - timedelta(days=30), [("A", "700")]))
    assert record.status == ImportStatus.REFUSED
    assert "later date" in record.report["errors"][0]["message"]
    assert not Case.objects.exists()


def test_open_case_missing_from_the_file_is_listed_not_closed(world, tmp_path, today):
    run(world, ledger(tmp_path, today - timedelta(days=30), [("A", "700"), ("B", "0")]))
    record = run(world, ledger(tmp_path, today, [("B", "0")]))
    case = case_of(world, "A")
    assert record.tenancies_missing == 1
    assert record.report["missing"] == [{"case": case.pk, "contract_number": "A"}]
    case.refresh_from_db()
    assert case.state == State.SIGNAL


def test_corporation_user_cannot_import_for_another_corporation(world, tmp_path, today):
    with pytest.raises(MoveRefused, match="own corporation"):
        import_ledger(
            world.other_corporation_worker,
            world.corporation,
            ledger(tmp_path, today, [("A", "700")]),
            "x.csv",
            ImportChannel.UPLOAD,
        )
    assert not LedgerImport.objects.exists()


@pytest.mark.parametrize(
    "user", ["team_worker", "social_service_worker", "safe_home_worker", "municipality_user", "functional_admin"]
)
def test_other_kinds_of_organisation_cannot_import(world, tmp_path, today, user):
    with pytest.raises(MoveRefused):
        import_ledger(
            getattr(world, user),
            world.corporation,
            ledger(tmp_path, today, [("A", "700")]),
            "x.csv",
            ImportChannel.UPLOAD,
        )


def test_xlsx_ledger_imports_like_csv(world, tmp_path, today):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.upper().split(";"))
    sheet.append([today, "X1", "Huurder", "Voorstraat", 1, "3311 AB", "Dordrecht", 650.0, 975.5, "nee"])
    path = tmp_path / "ledger.xlsx"
    workbook.save(path)
    record = run(world, path)
    assert record.status == ImportStatus.IMPORTED, record.report
    assert case_of(world, "X1").arrears_amount == Decimal("975.50")


# --- The command -----------------------------------------------------------------------------


def test_command_prints_a_summary(world, tmp_path, today, capsys):
    path = ledger(tmp_path, today, [("A", "700"), ("B", "0")])
    call_command("import_ledger", str(path), corporation=world.corporation.code)
    out = capsys.readouterr().out
    assert "imported" in out and "rows read:               2" in out and "signals opened:          1" in out


def test_command_json_has_the_same_fields(world, tmp_path, today, capsys):
    call_command(
        "import_ledger", str(ledger(tmp_path, today, [("A", "700")])), corporation=world.corporation.code, json=True
    )
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "imported"
    assert (result["rows_read"], result["signals_opened"], result["reference_date"]) == (1, 1, today.isoformat())


def test_command_refused_file_exits_with_an_error_and_lists_problems(world, tmp_path, today, capsys):
    path = ledger(tmp_path, today, [("A", "tien euro")])
    with pytest.raises(CommandError, match="refused"):
        call_command("import_ledger", str(path), corporation=world.corporation.code)
    assert "row 2" in capsys.readouterr().out


def test_the_command_imports_a_file_longer_than_one_chunk(world, tmp_path, today, monkeypatch):
    """More rows than a chunk (the import tells progress after each): the command, importing inside its own
    transaction while the rows stream in (COPY on PostgreSQL), imports them all."""
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2000)
    rows = 5000
    path = ledger(tmp_path, today, [(f"P-{n}", "0") for n in range(rows)])
    call_command("import_ledger", str(path), corporation=world.corporation.code, json=True)
    record = LedgerImport.objects.get()
    assert (record.status, record.rows_read, record.stage) == ("imported", rows, "done")


def test_command_unknown_corporation(world, tmp_path, today):
    with pytest.raises(CommandError, match="No housing corporation"):
        call_command("import_ledger", str(ledger(tmp_path, today, [("A", "700")])), corporation="nope")


# --- The upload page -------------------------------------------------------------------------


def test_upload_page_imports_and_shows_the_report(client, world, tmp_path, today):
    client.force_login(world.corporation_worker)
    path = ledger(tmp_path, today, [("A", "700"), ("B", "0")])
    with path.open("rb") as handle:
        response = client.post("/aanleveringen/", {"file": handle}, follow=True)
    page = response.content.decode()
    assert "Het huurbestand is ingelezen." in page
    assert Case.objects.filter(tenancy__contract_number="A").exists()


@pytest.mark.real_task_worker
@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection between tasks
def test_an_upload_is_queued_and_its_page_follows_the_import_until_the_report(client, world, tmp_path, today):
    """The upload answers at once: the import waits for the task worker, its page shows the step and the rows
    and asks again every two seconds (htmx); when the worker has run it, the page shows the report."""
    from django_tasks_db.models import DBTaskResult

    client.force_login(world.corporation_worker)
    path = ledger(tmp_path, today, [("A", "700"), ("B", "0")])
    with path.open("rb") as handle:
        response = client.post("/aanleveringen/", {"file": handle}, follow=True)
    page = response.content.decode()
    assert "Het huurbestand wordt ingelezen." in page
    assert "Stap 1 van 4: Wacht op de verwerker" in page
    assert 'hx-trigger="every 2s"' in page
    assert not Case.objects.exists()
    record = LedgerImport.objects.get()
    assert (record.status, DBTaskResult.objects.filter(status="READY").count()) == ("queued", 1)

    # Halfway, as the import tells it on its record.
    LedgerImport.objects.filter(pk=record.pk).update(status="running", stage="applying", rows_read=2)
    page = client.get(f"/aanleveringen/{record.pk}/").content.decode()
    assert "Stap 3 van 4: De regels worden verwerkt" in page
    assert '<dd data-testid="rows-read">2</dd>' in page
    LedgerImport.objects.filter(pk=record.pk).update(status="queued", stage="waiting", rows_read=0)

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    page = client.get(f"/aanleveringen/{record.pk}/").content.decode()
    assert "Het huurbestand is ingelezen." in page
    assert "hx-trigger" not in page  # finished: the page stops asking
    assert Case.objects.filter(tenancy__contract_number="A").exists()


def test_upload_page_shows_problems_by_row_column_and_value_in_dutch(client, world, tmp_path, today):
    client.force_login(world.corporation_worker)
    path = ledger(tmp_path, today, [("A", "tien euro")])
    with path.open("rb") as handle:
        page = client.post("/aanleveringen/", {"file": handle}, follow=True).content.decode()
    assert "Dit bestand is geweigerd" in page
    assert "<td>2</td><td>achterstand</td><td>tien euro</td>" in page.replace(' class="utrecht-table__cell"', "")


def test_upload_page_closed_to_other_parties(client, world):
    client.force_login(world.team_worker)
    assert client.get("/aanleveringen/").status_code == 403


def test_upload_page_says_why_it_is_closed_to_an_account_without_an_organisation(client):
    client.force_login(UserFactory(organisation=None))  # an operator's account
    response = client.get("/aanleveringen/")
    assert response.status_code == 403
    assert "U bent niet ingelogd namens een organisatie." in response.content.decode()


def test_import_report_of_another_corporation_does_not_exist(client, world, tmp_path, today):
    record = run(world, ledger(tmp_path, today, [("A", "700")]))
    client.force_login(world.other_corporation_worker)
    assert client.get(f"/aanleveringen/{record.pk}/").status_code == 404


def bsn_ledger(tmp_path, day, rows):
    """A CSV ledger with a bsn column; each row is (contract, bsn)."""
    lines = [HEADER + ";bsn"]
    lines += [f"{day:%Y-%m-%d};{c};Huurder {c};Voorstraat;1;3311AB;Dordrecht;650,00;0;nee;{bsn}" for c, bsn in rows]
    path = tmp_path / f"bsn-{day:%Y%m%d}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored_bsns():
    with connection.cursor() as cursor:
        cursor.execute("SELECT contract_number, bsn, bsn_hash FROM tenancies_tenancy ORDER BY contract_number")
        return {contract: (bsn, hashed) for contract, bsn, hashed in cursor.fetchall()}


def test_ledger_bsns_are_stored_encrypted_and_hashed(world, tmp_path, today):
    record = run(world, bsn_ledger(tmp_path, today - timedelta(days=30), [("B1", "111222333"), ("B2", "")]))
    assert record.status == ImportStatus.IMPORTED, record.report
    rows = stored_bsns()
    assert rows["B1"][0].startswith("v1:") and "111222333" not in rows["B1"][0] + rows["B1"][1]
    assert rows["B2"] == ("", "")
    assert Tenancy.objects.get(contract_number="B1").bsn == "111222333"
    assert list(Tenancy.objects.with_bsn("111222333").values_list("contract_number", flat=True)) == ["B1"]


def test_a_later_ledger_keeps_an_unchanged_bsn_replaces_a_new_one_and_keeps_one_left_out(world, tmp_path, today):
    first = [("S", "111222333"), ("N", "111222333"), ("E", "111222333")]
    run(world, bsn_ledger(tmp_path, today - timedelta(days=30), first))
    before = stored_bsns()
    run(world, bsn_ledger(tmp_path, today, [("S", "111222333"), ("N", "123456782"), ("E", "")]))
    after = stored_bsns()
    assert after["S"] == before["S"]  # same number: the stored ciphertext is not rewritten
    assert Tenancy.objects.get(contract_number="N").bsn == "123456782"
    assert after["N"][1] != before["N"][1]
    assert after["E"] == before["E"]  # left empty: the earlier number stays


def test_a_refused_bsn_is_reported_masked(world, tmp_path, today):
    record = run(world, bsn_ledger(tmp_path, today, [("X", "123456789")]))
    assert record.status == ImportStatus.REFUSED
    assert "123456789" not in json.dumps(record.report)
    assert "*****6789" in json.dumps(record.report)


def contact_ledger(tmp_path, day, rows):
    """A CSV ledger with contact columns; each row is (contract, street, phone, email, birth date)."""
    lines = [HEADER + ";telefoon;email;geboortedatum"]
    lines += [
        f"{day:%Y-%m-%d};{c};Huurder {c};{street};1;3311AB;Dordrecht;650,00;0;nee;{phone};{email};{born}"
        for c, street, phone, email, born in rows
    ]
    path = tmp_path / f"contact-{day:%Y%m%d}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_later_ledger_replaces_details_and_keeps_contact_details_it_leaves_empty(world, tmp_path, today):
    first = [
        ("K", "Voorstraat", "078-1111111", "k@example.nl", "1970-01-31"),
        ("R", "Voorstraat", "078-2222222", "r@example.nl", "1980-02-29"),
        ("U", "Voorstraat", "078-3333333", "u@example.nl", "1990-03-31"),
    ]
    later = [
        ("K", "Wijnstraat", "", "", ""),  # only the street changes; the contact details are left empty
        ("R", "Voorstraat", "078-9999999", "nieuw@example.nl", "1981-01-01"),
        ("U", "Voorstraat", "078-3333333", "u@example.nl", "1990-03-31"),
        ("V", "Voorstraat", "", "", ""),  # new
    ]
    run(world, contact_ledger(tmp_path, today - timedelta(days=30), first))
    record = run(world, contact_ledger(tmp_path, today, later))

    assert record.status == ImportStatus.IMPORTED, record.report
    details = {
        t.contract_number: (t.street, t.phone, t.email, t.birth_date and t.birth_date.isoformat())
        for t in Tenancy.objects.filter(corporation=world.corporation)
    }
    assert details == {
        "K": ("Wijnstraat", "078-1111111", "k@example.nl", "1970-01-31"),
        "R": ("Voorstraat", "078-9999999", "nieuw@example.nl", "1981-01-01"),
        "U": ("Voorstraat", "078-3333333", "u@example.nl", "1990-03-31"),
        "V": ("Voorstraat", "", "", None),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin and xmax are PostgreSQL's")
def test_a_later_ledger_leaves_unchanged_tenancies_unwritten(world, tmp_path, today):
    def versions():
        with connection.cursor() as cursor:
            # xmin changes when a row is rewritten, xmax when it is locked (a lock too is written to the page)
            cursor.execute("SELECT contract_number, xmin::text, xmax::text FROM tenancies_tenancy")
            return {contract: (written, locked) for contract, written, locked in cursor.fetchall()}

    run(world, ledger(tmp_path, today - timedelta(days=30), [("A", "0"), ("B", "0")]))
    before = versions()
    run(world, ledger(tmp_path, today, [("A", "100"), ("B", "0", "700,00", "nee", "3311AB")]))
    after = versions()

    assert after["A"] == before["A"]  # only its arrears changed: a snapshot, not the tenancy
    assert after["B"][0] != before["B"][0]  # its rent changed


def test_a_bsn_in_a_column_without_a_header_is_never_quoted_in_the_report(client, world, tmp_path, today):
    # One value more than the header names: the row is refused, and the report says where, with the value
    # masked, for it may be anything (here a BSN, and the column had no name to say so).
    from tests.factories import client_for

    for channel, name in (("page", "headerless-page.csv"), ("api", "headerless-api.csv")):
        line = f"{today:%Y-%m-%d};H-{channel};Huurder H;Voorstraat;1;3311AB;Dordrecht;650,00;700;nee;123456782"
        path = tmp_path / name
        path.write_text(f"{HEADER}\n{line}\n", encoding="utf-8")
        if channel == "page":
            client.force_login(world.corporation_worker)
            with path.open("rb") as handle:
                response = client.post("/aanleveringen/", {"file": handle}, follow=True)
            assert "Dit bestand is geweigerd" in response.content.decode()
        else:
            with path.open("rb") as handle:
                response = client_for(world.corporation_worker).post(
                    "/api/v1/ledgers/", {"file": handle}, format="multipart"
                )
            assert (response.status_code, response.json()["status"]) == (202, "refused")
            record = LedgerImport.objects.get(filename=name)
            report = client_for(world.corporation_worker).get(f"/api/v1/ledgers/{record.pk}/")
            assert b"123456782" not in report.content
        assert b"123456782" not in response.content
        assert "*****6782" in response.content.decode()
    assert all("123456782" not in json.dumps(record.report) for record in LedgerImport.objects.all())


def test_a_file_with_450_000_unknown_columns_gives_a_small_report(client, world, tmp_path, today):
    from tests.factories import client_for

    path = tmp_path / "wide.csv"
    path.write_text(
        HEADER + ";x" * 450_000 + f"\n{today:%Y-%m-%d};W-1;Huurder W;Voorstraat;1;3311AB;Dordrecht;650,00;0;nee\n",
        encoding="utf-8",
    )
    with path.open("rb") as handle:
        response = client_for(world.corporation_worker).post("/api/v1/ledgers/", {"file": handle}, format="multipart")
    assert response.status_code == 202
    result = response.json()
    assert result["unknown_columns"] == ["x"] * 20
    assert result["unknown_columns_omitted"] == 449_980
    assert len(response.content) < 5_000
    client.force_login(world.corporation_worker)
    page = client.get(f"/aanleveringen/{result['id']}/")
    assert "en 449.980 andere kolommen" in page.content.decode()
    assert len(page.content) < 20_000


def ledger_naming_municipality(tmp_path, day, rows):
    """A ledger with the column gemeente; each row is (contract, arrears, postcode, payment arrangement)."""
    lines = [f"{HEADER};gemeente"]
    for contract, arrears, postcode, arrangement in rows:
        address = f"Voorstraat;1;{postcode};Dordrecht"
        lines.append(f"{day:%Y-%m-%d};{contract};Huurder {contract};{address};650,00;{arrears};{arrangement};Dordrecht")
    path = tmp_path / f"ledger-{day:%Y%m%d}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_row_whose_postcode_no_team_covers_refuses_the_file_when_it_would_open_a_signal(world, tmp_path, today):
    day = today - timedelta(days=3)
    rows = [
        ("OK", "700,00", "3311AB", "nee"),
        ("NOWHERE", "700,00", "3350AB", "nee"),
        ("PAID", "0", "3351AB", "nee"),
        ("ARRANGED", "700,00", "3352AB", "ja"),
    ]
    with translation.override("nl"):
        record = run(world, ledger_naming_municipality(tmp_path, day, rows))
    assert record.status == ImportStatus.REFUSED
    assert record.report["errors"] == [
        {
            "row": 3,
            "column": "postcode",
            "value": "3350 AB",
            "message": "Geen sociaal team werkt in postcode 3350 AB in Dordrecht, dus het signaal dat deze "
            "achterstand vraagt kan nooit worden gemeld. Verbeter de postcode, of vraag de gemeente welk team "
            "er werkt.",
        }
    ]  # the tenancies that make no case (paid up, an arrangement running) may be there: no error for them
    assert not Tenancy.objects.exists() and not Case.objects.exists()  # all or nothing


def test_a_tenancy_without_arrears_may_live_where_no_team_works(world, tmp_path, today):
    path = ledger_naming_municipality(tmp_path, today - timedelta(days=3), [("PAID", "0", "3351AB", "nee")])
    record = run(world, path)
    assert record.status == ImportStatus.IMPORTED, record.report
    assert Tenancy.objects.get().postcode == "3351AB"


def test_a_ledger_cannot_move_an_open_case_to_a_postcode_no_team_covers(world, tmp_path, today):
    run(world, ledger(tmp_path, today - timedelta(days=20), [("A", "700,00")]))
    path = ledger_naming_municipality(tmp_path, today - timedelta(days=5), [("A", "0", "3350AB", "nee")])
    record = run(world, path)
    assert record.status == ImportStatus.REFUSED
    assert [(e["row"], e["column"], e["value"]) for e in record.report["errors"]] == [(2, "postcode", "3350 AB")]
    assert "has an open case" in record.report["errors"][0]["message"]
    assert Tenancy.objects.get().postcode == "3311AB" and case_of(world, "A").state == State.SIGNAL


def test_a_ledger_changing_the_address_of_an_open_case_writes_it_in_the_history(world, tmp_path, today):
    run(world, ledger(tmp_path, today - timedelta(days=20), [("A", "700,00"), ("B", "0")]))
    second = ledger(tmp_path, today - timedelta(days=5), [("A", "700,00", "650,00", "nee", "3312AB"), ("B", "0")])
    second.write_text(second.read_text(encoding="utf-8").replace(";1;3312AB;", ";7;3312AB;"), encoding="utf-8")
    record = run(world, second)
    assert record.status == ImportStatus.IMPORTED, record.report
    event = case_of(world, "A").events.last()
    assert (event.action, event.actor_id, event.organisation_id) == (
        "correct_household",
        world.corporation_worker.pk,
        world.corporation.pk,
    )
    assert event.details == {
        "changes": [
            {"field": "house_number", "from": "1", "to": "7"},
            {"field": "postcode", "from": "3311AB", "to": "3312AB"},
        ],
        "ledger_import": record.pk,
    }
    assert Tenancy.objects.get(contract_number="B").postcode == "3311AB"  # B: no open case, no history to write


def test_a_ledger_that_changes_nothing_or_leaves_the_phone_empty_writes_no_history(world, tmp_path, today):
    run(world, ledger(tmp_path, today - timedelta(days=20), [("A", "700,00")]))
    Tenancy.objects.filter(contract_number="A").update(phone="078-1234567")
    events = case_of(world, "A").events.count()
    record = run(world, ledger(tmp_path, today - timedelta(days=5), [("A", "800,00")]))  # same address, no phone
    assert record.status == ImportStatus.IMPORTED
    assert case_of(world, "A").events.count() == events
    assert Tenancy.objects.get(contract_number="A").phone == "078-1234567"
