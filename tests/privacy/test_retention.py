"""Retention: expired personal data is anonymised, the figures stay, the audit trail still verifies."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tests.factories import CovenantFactory, dutch_date, give_consent
from tests.ledgers.test_importing import case_of, ledger, run
from woonzeker.audit import services as audit
from woonzeker.audit.chain import chain_pending
from woonzeker.audit.models import AuditAction, AuditCheckpoint, AuditEntry
from woonzeker.audit.seals import seal_trail
from woonzeker.cases import services
from woonzeker.cases.constants import MilestoneKind, State
from woonzeker.cases.models import Analysis, Case, CaseEvent, Involvement, InvolvementNote, ProblemAssessment
from woonzeker.ledgers.importing import import_ledger
from woonzeker.ledgers.models import LedgerImport, TenancySnapshot
from woonzeker.monitoring.models import PromiseDays, StepCount
from woonzeker.monitoring.refresh import refresh_figures
from woonzeker.notifications.daily import run_daily
from woonzeker.notifications.models import Notification
from woonzeker.privacy.retention import ANONYMISED, apply_retention, months_before

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(make_case, world, today):
    """An old closed trajectory (with rent, milestone, consent), an old resolved signal, and what must stay."""
    old_closed = make_case(State.CARE_TRAJECTORY, established_days_ago=1500, bsn="111222333", phone="0612345678")
    give_consent(world.team_worker, old_closed)
    involvement = services.request_involvement(
        world.team_worker, old_closed, organisation=world.social_service, question="Hulp?"
    )
    services.update_involvement(
        world.social_service_worker,
        Involvement.objects.get(pk=involvement.pk),
        status="accepted",
        progress="Schuldhulp gestart",
    )
    old_closed.refresh_from_db()
    started = old_closed.trajectory_started_on
    services.record_current_rent_check(
        world.corporation_worker, old_closed, checked_on=started + timedelta(days=5), paid=False, note="Niet betaald"
    )
    services.record_milestone(
        world.corporation_worker, old_closed, kind=MilestoneKind.SUMMONS, occurred_on=started + timedelta(days=6)
    )
    services.close_care_trajectory(
        world.team_worker, old_closed, outcome="arrears_cleared", closed_on=started + timedelta(days=30)
    )
    return {
        "old_closed": old_closed,
        "old_resolved": make_case(State.RESOLVED_BEFORE_REFERRAL, established_days_ago=400),
        "recent_closed": make_case(State.CLOSED, established_days_ago=100),
        "recent_resolved": make_case(State.RESOLVED_BEFORE_REFERRAL, established_days_ago=60),
        "old_open": make_case(State.CARE_TRAJECTORY, established_days_ago=1600),
    }


def _figures():
    fields = ["covenant_id", "municipality_id", "corporation_id", "social_team_id", "month"]
    steps = sorted(StepCount.objects.values_list(*fields, "step", "count"), key=str)
    promises = sorted(PromiseDays.objects.values_list(*fields, "promise", "days", "on_time", "count"), key=str)
    return steps, promises


def test_expired_cases_lose_their_personal_data_and_keep_what_counts(cases, world, today):
    old = cases["old_closed"]
    tenancy = old.tenancy
    TenancySnapshot.objects.create(
        tenancy=tenancy,
        ledger_import=_ledger_import(world),
        reference_date=date(2020, 1, 1),
        monthly_rent=650,
        arrears=700,
    )
    result = apply_retention(today)
    assert (result.cases_anonymised, result.signals_anonymised, result.households_anonymised) == (1, 1, 2)
    old.refresh_from_db()
    tenancy.refresh_from_db()
    assert old.anonymised_on == today
    assert (tenancy.tenant_name, tenancy.bsn, tenancy.phone, tenancy.street, tenancy.contract_number) == (
        ANONYMISED,
        "",
        "",
        "",
        "",
    )
    assert not tenancy.snapshots.exists()
    analysis = Analysis.objects.get(case=old)
    assert (analysis.summary_for_corporation, analysis.internal_notes) == ("", "")
    assert not ProblemAssessment.objects.filter(analysis__case=old).exists()
    assert old.involvements.get().question == ""
    [note] = InvolvementNote.objects.filter(involvement__case=old)  # the note stays (it counts), its text goes
    assert (note.text, note.written_by) == ("", None)
    assert old.current_rent_checks.get().note == "" and old.current_rent_checks.get().paid is False
    assert old.consents.get().given_by == ANONYMISED
    assert all(event.details == {} for event in CaseEvent.objects.filter(case=old))
    assert not Notification.objects.filter(case=old).exists()
    # What counts stays: the dates, the state, the outcome, the milestones, the organisations.
    assert (old.state, old.outcome, old.social_team, old.corporation) == (
        State.CLOSED,
        "arrears_cleared",
        world.team,
        world.corporation,
    )
    assert old.milestones.get().kind == MilestoneKind.SUMMONS
    for name in ("recent_closed", "recent_resolved", "old_open"):
        case = Case.objects.get(pk=cases[name].pk)
        assert case.anonymised_on is None, name
        assert case.tenancy.tenant_name != ANONYMISED


def _ledger_import(world):
    from woonzeker.ledgers.models import LedgerImport

    return LedgerImport.objects.create(
        corporation=world.corporation, status="imported", channel="command", filename="x.csv", sha256="0", size=1
    )


def test_monitoring_figures_are_the_same_before_and_after(cases, today):
    refresh_figures()
    before = _figures()
    assert before[0] and before[1]
    apply_retention(today)
    refresh_figures()
    assert _figures() == before


def test_the_ddas_exchange_file_leaves_anonymised_cases_out(cases, world, today):
    from woonzeker.monitoring.ddas import cases_for
    from woonzeker.monitoring.periods import Period

    period = Period("term", date(2000, 1, 1), today, "all")
    before = set(cases_for(world.dordrecht, period))
    apply_retention(today)
    after = set(cases_for(world.dordrecht, period))
    assert before - after == {cases["old_closed"], cases["old_resolved"]}


def test_retention_is_idempotent_and_logged(cases, today, caplog, monkeypatch):
    monkeypatch.setattr("woonzeker.privacy.retention.BATCH", 1)
    before = AuditEntry.objects.count()
    first = apply_retention(today)
    assert first
    summary, *batches = AuditEntry.objects.order_by("-pk")[: AuditEntry.objects.count() - before]
    assert summary.username == "system" and summary.case_ids == []
    assert summary.what.startswith("retention: 1 signals and 1 cases anonymised")
    # each batch of cases anonymised is an entry of its own, naming its cases: found by the person's search
    assert [(entry.username, entry.what, len(entry.case_ids)) for entry in batches] == [
        ("system", "retention: 1 cases anonymised", 1)
    ] * 2
    assert {pk for entry in batches for pk in entry.case_ids} == {cases["old_closed"].pk, cases["old_resolved"].pk}
    entries = AuditEntry.objects.count()
    second = apply_retention(today)
    assert not second
    assert AuditEntry.objects.count() == entries  # nothing done, nothing audited
    assert "retention applied" in caplog.text


def test_a_household_with_a_case_still_kept_stays(make_case, world, today):
    old = make_case(State.RESOLVED_BEFORE_REFERRAL, established_days_ago=400)
    make_case(State.SIGNAL, tenancy=old.tenancy, established_days_ago=10)
    result = apply_retention(today)
    assert (result.signals_anonymised, result.households_anonymised) == (1, 0)
    old.tenancy.refresh_from_db()
    assert old.tenancy.tenant_name != ANONYMISED


def test_terms_are_covenant_settings(cases, world, today):
    world.covenant.retention_closed_case_years = 10
    world.covenant.retention_unreferred_signal_months = 1
    world.covenant.save()
    result = apply_retention(today)
    assert (result.cases_anonymised, result.signals_anonymised) == (0, 2)


def test_households_known_only_from_old_ledgers_are_removed(world, make_case, today):
    from tests.factories import TenancyFactory

    ledger = _ledger_import(world)
    old, current = (TenancyFactory(corporation=world.corporation, municipality=world.dordrecht) for _ in range(2))
    with_case = make_case(State.SIGNAL).tenancy
    for tenancy, day in [(old, date(2020, 1, 1)), (current, today), (with_case, date(2020, 1, 1))]:
        TenancySnapshot.objects.create(
            tenancy=tenancy, ledger_import=ledger, reference_date=day, monthly_rent=650, arrears=100
        )
    result = apply_retention(today)
    assert result.ledger_households_removed == 1
    assert not type(old).objects.filter(pk=old.pk).exists()
    assert type(old).objects.filter(pk__in=[current.pk, with_case.pk]).count() == 2
    assert not apply_retention(today)


def test_months_before():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 24) == date(2024, 1, 15)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)


def test_the_command_and_the_daily_run_apply_it(cases, today, capsys):
    call_command("apply_retention")
    assert "cases anonymised: 1" in capsys.readouterr().out
    assert run_daily(today)["retention"]["cases_anonymised"] == 0


def _entries_at(moment, count, user, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        return [audit.record(user, AuditAction.READ, f"case {n}", cases=[n]) for n in range(count)]


def test_old_audit_entries_go_and_the_kept_trail_still_verifies(world, monkeypatch, capsys):
    old = _entries_at(timezone.now() - timedelta(days=6 * 366), 3, world.team_worker, monkeypatch)
    kept = [audit.record(world.team_worker, AuditAction.READ, "case 9", cases=[9])]
    chain_pending()
    old = [AuditEntry.objects.get(pk=entry.pk) for entry in old]  # with their place and hash
    result = apply_retention()
    assert result.audit_entries_removed == 3
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in old]).exists()
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.removed_through, checkpoint.anchor_hash) == (old[-1].position, old[-1].hash)
    assert AuditEntry.objects.filter(pk=kept[0].pk).exists()
    assert audit.first_broken_link() is None
    call_command("verify_audit")
    assert "checkpoint" in capsys.readouterr().out
    log = AuditEntry.objects.order_by("-pk").first()
    assert "3 audit entries removed" in log.what and old[-1].hash in log.reason
    assert not apply_retention()  # idempotent


def test_tampering_after_pruning_is_still_found(world, monkeypatch):
    _entries_at(timezone.now() - timedelta(days=6 * 366), 2, world.team_worker, monkeypatch)
    first_kept = audit.record(world.team_worker, AuditAction.READ, "case 1")
    following = audit.record(world.team_worker, AuditAction.READ, "case 2")
    apply_retention()
    assert audit.first_broken_link() is None
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [first_kept.pk])
    assert audit.first_broken_link().pk == following.pk


def test_a_checkpoint_no_retention_run_recorded_is_reported(world, monkeypatch):
    """Someone with database access removes old entries and forges a checkpoint to cover it: the chain
    from the checkpoint holds, but no entry of the trail records that pruning, and verify_audit says so."""
    old = _entries_at(timezone.now() - timedelta(days=30), 3, world.team_worker, monkeypatch)
    audit.record(world.team_worker, AuditAction.READ, "case 9")
    seal_trail()
    old = [AuditEntry.objects.get(pk=entry.pk) for entry in old]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE position <= %s", [old[-1].position])
    AuditCheckpoint.objects.create(
        removed_through=old[-1].position, anchor_hash=old[-1].hash, removed_count=3, removed_before=timezone.now()
    )
    assert audit.first_broken_link() is None
    with pytest.raises(CommandError, match="no entry of the trail records"):
        call_command("verify_audit")


# --- Rent-ledger files -------------------------------------------------------------------------


def _received_months_ago(months, *records):
    """Move the receipt of these ledger files back in time."""
    moment = timezone.now() - relativedelta(months=months, days=1)
    LedgerImport.objects.filter(pk__in=[record.pk for record in records]).update(started_at=moment)


def test_old_ledger_files_and_the_values_their_reports_quote_are_removed(world, media, tmp_path, today):
    opened = run(world, ledger(tmp_path, today - timedelta(days=3), [("A1", "700")]))
    missing = run(world, ledger(tmp_path, today - timedelta(days=2), [("B1", "0")]))
    refused = run(world, ledger(tmp_path, today - timedelta(days=1), [("C1", "tien euro")]))
    recent = run(world, ledger(tmp_path, today, [("D1", "0")]))
    assert missing.report["missing"][0]["contract_number"] == "A1"
    assert refused.report["errors"][0]["value"] == "tien euro"
    old = [opened, missing, refused]
    files = [media / record.original.name for record in old]
    assert all(path.exists() for path in files)
    _received_months_ago(world.covenant.retention_unreferred_signal_months, *old)

    result = apply_retention(today)

    assert result.ledger_files_removed == 3
    assert not any(path.exists() for path in files)
    for record in old:
        kept = LedgerImport.objects.get(pk=record.pk)
        assert (kept.original.name, kept.original_removed_on) == ("", today)
        # what the import did stays: its counts, its checksum (a file sent again is still known)
        assert (kept.rows_read, kept.signals_opened, kept.sha256) == (
            record.rows_read,
            record.signals_opened,
            record.sha256,
        )
    refused.refresh_from_db()
    [error] = refused.report["errors"]
    assert (error["row"], error["column"], error["value"]) == (2, "achterstand", "")  # where, still; not what
    assert error["message"].startswith("'…' is not an amount.")
    missing.refresh_from_db()
    assert missing.report["missing"] == [{"case": case_of(world, "A1").pk, "contract_number": ""}]
    assert (media / recent.original.name).exists()
    assert "3 ledger files removed" in AuditEntry.objects.order_by("-pk").first().what
    assert not apply_retention(today)


def test_the_import_report_says_the_original_was_removed(client, world, media, tmp_path, today):
    refused = run(world, ledger(tmp_path, today, [("C1", "tien euro")]))
    _received_months_ago(world.covenant.retention_unreferred_signal_months, refused)
    apply_retention(today)
    client.force_login(world.corporation_worker)
    page = client.get(f"/aanleveringen/{refused.pk}/").content.decode()
    assert f"Verwijderd op {dutch_date(today)}" in page
    assert "tien euro" not in page
    assert "<td>2</td><td>achterstand</td><td></td>" in page.replace(' class="utrecht-table__cell"', "")


def test_a_corporations_files_are_kept_for_the_longest_term_of_its_covenants(world, media, tmp_path, today):
    longer = CovenantFactory(retention_unreferred_signal_months=24)
    world.covenant.parties.add(world.corporation)
    longer.parties.add(world.corporation)
    ours = run(world, ledger(tmp_path, today, [("A1", "0")]))
    theirs = import_ledger(
        None, world.other_corporation, ledger(tmp_path, today, [("B1", "0")], "other.csv"), "other.csv", "command"
    )
    _received_months_ago(12, ours, theirs)

    assert apply_retention(today).ledger_files_removed == 0  # 24 months for both: one of ours, the longest of all

    longer.parties.remove(world.corporation)
    assert apply_retention(today).ledger_files_removed == 1  # 6 months for ours now
    assert LedgerImport.objects.get(pk=ours.pk).original_removed_on == today
    assert LedgerImport.objects.get(pk=theirs.pk).original_removed_on is None


def test_no_covenant_term_removes_the_audit_trail_sooner_than_the_deployments_floor(world, monkeypatch, settings):
    """One administrator setting every covenant's audit term to 0 does not purge the trail: the deployment's
    AUDIT_RETENTION_MIN_YEARS (2 by default) holds."""
    world.covenant.retention_audit_years = 0
    world.covenant.save()
    _entries_at(timezone.now() - timedelta(days=366), 3, world.team_worker, monkeypatch)
    chain_pending()
    settings.AUDIT_RETENTION_MIN_YEARS = 2
    assert apply_retention().audit_entries_removed == 0
    settings.AUDIT_RETENTION_MIN_YEARS = 0  # what the covenant's 0 alone would have done
    assert apply_retention().audit_entries_removed == 3


def test_a_forged_checkpoint_with_a_forged_recording_entry_is_reported(world, monkeypatch):
    """The reviewer's attack: remove recent entries, lower the head's count, write a checkpoint over them and an
    entry that 'records' it. Only the retention run holds the key that signs a checkpoint."""
    entries = _entries_at(timezone.now() - timedelta(days=1), 3, world.team_worker, monkeypatch)
    audit.record(world.team_worker, AuditAction.READ, "case 9")
    seal_trail()
    last = AuditEntry.objects.get(pk=entries[-1].pk)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE position <= %s", [last.position])
        cursor.execute("UPDATE audit_auditchainhead SET chained_count = chained_count - 3")
    AuditCheckpoint.objects.create(
        removed_through=last.position, anchor_hash=last.hash, removed_count=3, removed_before=timezone.now()
    )
    audit.record(world.team_worker, AuditAction.CHANGE, "retention", reason=f"anchor {last.hash}")
    seal_trail()
    with pytest.raises(CommandError, match="is not signed with AUDIT_SEAL_KEY"):
        call_command("verify_audit")
