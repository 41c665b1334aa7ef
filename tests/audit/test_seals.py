"""The chain's head is sealed outside the database, so an auditor notices what the chain alone cannot show:
the newest entries deleted, or an entry rewritten with every later hash recomputed (issue #15, item 4)."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import UserFactory
from woonzeker.audit import services as audit
from woonzeker.audit.chain import chain_pending
from woonzeker.audit.models import AuditAction, AuditEntry
from woonzeker.audit.seals import seal_path, seal_trail

pytestmark = pytest.mark.django_db


def _read(world, n):
    return [audit.record(world.team_worker, AuditAction.READ, f"case {i}", cases=[i]) for i in range(1, n + 1)]


def _seals():
    return [json.loads(line) for line in seal_path().read_text().splitlines()]


def test_the_chainer_seals_the_head_in_a_file_outside_the_database(world, capsys):
    _read(world, 3)
    chained, seal = seal_trail()
    assert chained == 3
    assert (seal["position"], seal["count"]) == (3, 3)
    assert seal["hash"] == AuditEntry.objects.get(position=3).hash
    assert seal_trail() == (0, None)  # nothing new: no new seal
    _read(world, 2)
    seal_trail()
    first, second = _seals()
    assert (first["position"], second["position"]) == (3, 5)  # appended; the first line as it was
    call_command("verify_audit")
    assert "holds: 5 entries checked" in capsys.readouterr().out


def test_deleting_the_newest_entries_is_detected(world):
    entries = _read(world, 5)
    seal_trail()
    with connection.cursor() as cursor:  # someone with database access removes the last two entries
        cursor.execute("DELETE FROM audit_auditentry WHERE id IN (%s, %s)", [entries[3].pk, entries[4].pk])
        cursor.execute("UPDATE audit_auditchainhead SET last_position = 3, chained_count = 3")
    assert audit.first_broken_link() is None  # the chain alone still holds
    with pytest.raises(CommandError, match="sealed entry \\(place 5\\) is gone"):
        call_command("verify_audit")


def test_rewriting_an_entry_and_recomputing_every_later_hash_is_detected(world):
    _read(world, 4)
    seal_trail()
    # Someone with database access changes entry 2 and recomputes its hash and every hash after it.
    entries = list(AuditEntry.objects.order_by("position"))
    entries[1].what = "case 99"
    previous = entries[0].hash
    with connection.cursor() as cursor:
        for entry in entries[1:]:
            entry.previous_hash = previous
            entry.hash = entry.compute_hash()
            previous = entry.hash
            cursor.execute(
                "UPDATE audit_auditentry SET what = %s, previous_hash = %s, hash = %s WHERE id = %s",
                [entry.what, entry.previous_hash, entry.hash, entry.pk],
            )
    assert audit.first_broken_link() is None  # the recomputed chain holds on its own
    with pytest.raises(CommandError, match="does not have the sealed hash"):
        call_command("verify_audit")


def test_deleting_an_entry_in_the_middle_and_relinking_is_detected_by_the_count(world):
    entries = _read(world, 4)
    seal_trail()
    with connection.cursor() as cursor:  # remove entry 2 and relink 3 onto 1, recomputing 3 and 4
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    kept = list(AuditEntry.objects.order_by("position"))
    previous = kept[0].hash
    with connection.cursor() as cursor:
        for entry in kept[1:]:
            entry.previous_hash = previous
            entry.hash = entry.compute_hash()
            previous = entry.hash
            cursor.execute(
                "UPDATE audit_auditentry SET previous_hash = %s, hash = %s WHERE id = %s",
                [entry.previous_hash, entry.hash, entry.pk],
            )
    with pytest.raises(CommandError, match="holds 3 entries up to the sealed one, the seal says 4"):
        call_command("verify_audit")


def test_a_seal_with_a_wrong_signature_is_reported(world, settings):
    _read(world, 2)
    seal_trail()
    forged = {**_seals()[0], "position": 1, "count": 1, "signature": "0" * 64}
    with open(seal_path(), "a") as handle:
        handle.write(json.dumps(forged) + "\n")
    with pytest.raises(CommandError, match="Line 2 of .* is not a valid seal: its signature does not verify"):
        call_command("verify_audit")


def test_a_seal_signed_with_another_key_is_reported(world, settings):
    _read(world, 2)
    seal_trail()
    settings.AUDIT_SEAL_KEY = "another-key-that-is-long-enough-to-be-a-key"
    with pytest.raises(CommandError, match="Line 1 .* signature does not verify"):
        call_command("verify_audit")


def test_no_seal_at_all_is_reported(world):
    _read(world, 2)
    chain_pending()
    with pytest.raises(CommandError, match="No valid seal"):
        call_command("verify_audit")


def test_entries_after_the_newest_seal_are_counted_as_not_yet_sealed(world, capsys):
    _read(world, 3)
    seal_trail()
    _read(world, 2)
    chain_pending()
    audit.record(world.team_worker, AuditAction.READ, "case 9", cases=[9])
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "2 entries chained since are not yet sealed" in out
    assert "1 entries are not yet chained" in out


def test_deleting_a_user_does_not_break_the_trail(world, capsys):
    leaver = UserFactory(organisation=world.team, username="vertrokken")
    audit.record(leaver, AuditAction.READ, "case 1", cases=[1])
    _read(world, 1)
    seal_trail()
    leaver_id = leaver.pk
    # The application never deletes a user (accounts.models); the chain must not rest on that, so the row
    # goes as a database administrator would remove it.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {leaver._meta.db_table} WHERE id = %s", [leaver_id])
    entry = AuditEntry.objects.get(username="vertrokken")
    assert entry.user_id == leaver_id  # still says which account it was
    call_command("verify_audit")
    assert "holds: 2 entries" in capsys.readouterr().out


def test_an_entry_committed_after_a_later_one_was_chained_is_chained_next(world, capsys):
    """Ids are handed out before commit: a transaction holding a lower id may commit after a higher id was
    chained. The entry is not left out: the next pass chains it at the next place."""
    audit.record(world.team_worker, AuditAction.READ, "case 1", cases=[1])
    AuditEntry.objects.bulk_create([AuditEntry(username="x", action=AuditAction.READ, what="case 2", pk=1000)])
    seal_trail()
    AuditEntry.objects.bulk_create([AuditEntry(username="y", action=AuditAction.READ, what="case 3", pk=500)])
    seal_trail()
    late = AuditEntry.objects.get(pk=500)
    assert late.position == 3
    call_command("verify_audit")
    assert "holds: 3 entries" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection between tasks
def test_the_chainer_runs_as_a_task_in_the_database_worker(world):
    from django_tasks_db.models import DBTaskResult

    from woonzeker.audit.tasks import schedule

    _read(world, 2)
    assert schedule() is True
    assert schedule() is False  # one waiting pass is enough
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert AuditEntry.objects.filter(position__isnull=True).count() == 0
    assert _seals()[-1]["position"] == 2
    # It queued its own next pass.
    assert DBTaskResult.objects.filter(status="READY", task_path__endswith="seal_trail_task").count() == 1


def test_the_command_chains_and_seals(world, capsys):
    _read(world, 2)
    call_command("seal_audit")
    assert "2 audit entries chained. Sealed at place 2" in capsys.readouterr().out


def test_retention_pruning_after_a_seal_is_accounted_for(world, capsys):
    from datetime import timedelta

    from django.utils import timezone

    _read(world, 3)
    seal_trail()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET at = %s", [timezone.now() - timedelta(days=4000)])
    # Entries after the first seal, re-sealed; then the old ones pruned (and the pruning recorded).
    _read(world, 2)
    seal_trail()
    checkpoint = audit.prune_before(timezone.now() - timedelta(days=3650))
    audit.record(None, AuditAction.CHANGE, "retention", reason=f"anchor {checkpoint.anchor_hash}")
    call_command("verify_audit")  # the newest seal's count, less what the checkpoint removed
    assert "holds: 2 entries" in capsys.readouterr().out
    seal_trail()
    call_command("verify_audit")


def test_the_daily_run_chains_and_seals_what_is_waiting(world, today):
    from woonzeker.notifications.daily import run_daily

    _read(world, 2)
    run_daily(today)
    assert not AuditEntry.objects.filter(position__isnull=True).exists()
    assert _seals()[-1]["position"] == AuditEntry.objects.filter(position__isnull=False).count()
    call_command("verify_audit")


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions: PostgreSQL (SQLite has one writer at a time)")


@pytest.mark.django_db(transaction=True)
def test_an_entry_whose_transaction_commits_late_is_chained_not_lost(world, capsys):
    """A long transaction (an import) holds a lower id while a read commits a higher one and is chained:
    the chainer neither waits for it nor leaves it out."""
    _postgresql_only()
    import threading

    from django.db import connections, transaction

    holding, release, written = threading.Event(), threading.Event(), []

    def long_transaction():
        try:
            with transaction.atomic():
                written.append(audit.record(world.corporation_worker, AuditAction.CHANGE, "ledger import 1"))
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=long_transaction)
    thread.start()
    assert holding.wait(30)
    quick = audit.record(world.team_worker, AuditAction.READ, "case 1", cases=[1])
    seal_trail()  # does not wait for the open transaction
    assert list(AuditEntry.objects.filter(position__isnull=False).values_list("what", flat=True)) == ["case 1"]
    release.set()
    thread.join()
    seal_trail()
    (slow,) = written
    assert slow.pk < quick.pk
    assert list(AuditEntry.objects.order_by("position").values_list("what", flat=True)) == [
        "case 1",
        "ledger import 1",
    ]
    call_command("verify_audit")
    assert "holds: 2 entries" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_writing_an_entry_never_waits_for_the_chainer(world):
    """The chainer holds the head's lock for a whole pass; a request's entry goes in meanwhile."""
    _postgresql_only()
    import threading

    from django.db import connections, transaction

    from woonzeker.audit.chain import locked_head

    holding, release = threading.Event(), threading.Event()

    def chainer_mid_pass():
        try:
            with transaction.atomic():
                locked_head()
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=chainer_mid_pass)
    thread.start()
    assert holding.wait(30)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # waiting on the head's lock would fail this
        entry = audit.record(world.team_worker, AuditAction.READ, "case 1", cases=[1])
        assert AuditEntry.objects.filter(pk=entry.pk).exists()
    finally:
        release.set()
        thread.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def test_a_failed_pass_still_queues_the_next(world, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from woonzeker.audit import tasks

    def database_away():
        raise RuntimeError("the database is away")

    monkeypatch.setattr(tasks, "seal_trail", database_away)
    with pytest.raises(RuntimeError):
        tasks.seal_trail_task.call()
    assert DBTaskResult.objects.filter(status="READY", task_path__endswith="seal_trail_task").count() == 1


def test_an_older_seal_copied_to_the_end_does_not_cover_a_trail_cut_back_to_it(world):
    """Append-only storage lets anyone append: a copy of the first seal after the second, and the trail cut back
    to the first seal's place, must not verify."""
    entries = _read(world, 3)
    seal_trail()
    entries += _read(world, 2)
    seal_trail()
    lines = seal_path().read_text().splitlines()
    with seal_path().open("a") as file:
        file.write(lines[0] + "\n")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id IN (%s, %s)", [entries[3].pk, entries[4].pk])
        cursor.execute("UPDATE audit_auditchainhead SET last_position = 3, chained_count = 3")
    with pytest.raises(CommandError, match="an older seal repeated"):
        call_command("verify_audit")


def test_a_chainer_that_stopped_fails_the_check(world, settings):
    from datetime import timedelta

    from django.utils import timezone

    _read(world, 2)
    seal_trail()
    AuditEntry.objects.bulk_create(
        [AuditEntry(username="x", action=AuditAction.READ, what="case 3", at=timezone.now() - timedelta(hours=1))]
    )
    settings.AUDIT_CHAIN_STALLED_AFTER = 900
    with pytest.raises(CommandError, match="still not chained: the chainer has stopped"):
        call_command("verify_audit")
    seal_trail()
    call_command("verify_audit")  # chained and sealed again: it holds
