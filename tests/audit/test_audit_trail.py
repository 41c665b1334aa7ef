"""The audit trail is append-only and tamper-evident: verify_audit names the first broken link.

Requests only insert their entry; the chainer (``seal_trail``, a background task) chains and seals them."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from woonzeker.audit import services as audit
from woonzeker.audit.chain import chain_pending
from woonzeker.audit.models import AuditAction, AuditEntry
from woonzeker.audit.seals import seal_trail

pytestmark = pytest.mark.django_db


def test_entries_are_chained(world):
    first = audit.record(world.municipality_user, AuditAction.EXPORT, "export 1", cases=[3, 1], reason="CBS")
    second = audit.record(world.team_worker, AuditAction.READ, "case 1", cases=[1])
    assert first.hash is None  # written by the request, chained afterwards
    assert chain_pending() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (1, 2)
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.hash
    assert (first.username, first.organisation, first.role, first.case_ids) == (
        world.municipality_user.username,
        "Gemeente Dordrecht",
        "coordinator",
        [1, 3],
    )
    assert audit.first_broken_link() is None


def test_entries_cannot_be_changed_or_deleted_through_the_application(world):
    entry = audit.record(world.team_worker, AuditAction.READ, "case 1")
    entry.reason = "rewritten"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(reason="x")


def test_verify_audit_reports_the_first_broken_link(world, capsys):
    audit.record(world.team_worker, AuditAction.READ, "case 1")
    tampered = audit.record(world.team_worker, AuditAction.READ, "case 2")
    audit.record(world.team_worker, AuditAction.READ, "case 3")
    seal_trail()
    call_command("verify_audit")
    assert "holds: 3 entries" in capsys.readouterr().out
    with connection.cursor() as cursor:  # someone with database access edits an entry
        cursor.execute("UPDATE audit_auditentry SET what = 'case 99' WHERE id = %s", [tampered.pk])
    with pytest.raises(CommandError, match=f"broken at entry {tampered.pk}"):
        call_command("verify_audit")


def test_deleted_entry_breaks_the_chain(world):
    audit.record(world.team_worker, AuditAction.READ, "case 1")
    removed = audit.record(world.team_worker, AuditAction.READ, "case 2")
    following = audit.record(world.team_worker, AuditAction.READ, "case 3")
    chain_pending()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [removed.pk])
    assert audit.first_broken_link().pk == following.pk


def test_reading_a_case_is_logged_with_who_and_from_where(client, world, make_case):
    from woonzeker.cases.constants import State

    case = make_case(State.REFERRED)
    client.force_login(world.team_worker)
    client.get(f"/dossiers/{case.pk}/", REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.last()
    assert (entry.username, entry.organisation, entry.action, entry.case_ids, entry.address) == (
        world.team_worker.username,
        "Wijkteam Noord",
        "read",
        [case.pk],
        "10.1.2.3",
    )


def test_a_list_logs_which_records_were_shown(client, world, make_case):
    from woonzeker.cases.constants import State

    shown = [make_case(State.SIGNAL).pk for _ in range(3)]
    client.force_login(world.corporation_worker)
    client.get("/")
    entry = AuditEntry.objects.last()
    assert (entry.what, entry.case_ids) == ("work queue", sorted(shown))


def test_a_change_is_logged(client, world, make_case, today):
    from woonzeker.cases.constants import State

    case = make_case(State.SIGNAL)
    client.force_login(world.corporation_worker)
    client.post(
        f"/dossiers/{case.pk}/record_approach/",
        {
            "record_approach-channel": "letter",
            "record_approach-approached_on": today.isoformat(),
            "record_approach-reached": "yes",
        },
    )
    entry = AuditEntry.objects.last()
    assert (entry.action, entry.what) == ("change", f"case {case.pk}: record_approach")


def test_a_forbidden_read_is_not_a_read_but_a_refusal(client, world, make_case):
    from woonzeker.cases.constants import State

    case = make_case(State.SIGNAL)
    client.force_login(world.other_corporation_worker)
    assert client.get(f"/dossiers/{case.pk}/", REMOTE_ADDR="10.9.8.7").status_code == 404
    entry = AuditEntry.objects.get(case_ids=[case.pk])
    assert (entry.username, entry.action, entry.result, entry.what, entry.address) == (
        world.other_corporation_worker.username,
        "read",
        "refused",
        f"case {case.pk}",
        "10.9.8.7",
    )
    assert not AuditEntry.objects.filter(case_ids=[case.pk], result="granted").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_unbroken_chain(world):
    """Requests append at the same time (outside a transaction, as views do) while the chainer runs beside
    them: no request waits on another, and the result is one chain with every entry, no forks."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time anyway")
    import threading

    from django.db import connections

    errors = []

    def write(n):
        try:
            for i in range(15):
                audit.record(world.team_worker, AuditAction.READ, f"case {n}-{i}", cases=[n])
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    def chain():
        try:
            while any(thread.is_alive() for thread in threads):
                seal_trail()
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    chainer = threading.Thread(target=chain)
    for thread in threads:
        thread.start()
    chainer.start()
    for thread in threads:
        thread.join()
    chainer.join()
    seal_trail()
    assert errors == []
    assert AuditEntry.objects.count() == 90
    assert AuditEntry.objects.values("previous_hash").distinct().count() == 90  # no two entries on one link
    assert audit.first_broken_link() is None


def test_a_change_in_the_admin_is_in_the_audit_chain(client, world):
    client.force_login(world.functional_admin)
    response = client.post(
        "/beheer/organisations/municipality/add/", {"name": "Zwijndrecht", "cbs_code": "0642"}, follow=True
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(what__startswith="admin: added municipality").get()
    assert entry.username == world.functional_admin.username
    assert "Zwijndrecht" in entry.what
    chain_pending()
    assert audit.first_broken_link() is None


def test_the_database_refuses_a_second_entry_on_the_same_link(world):
    from django.db import IntegrityError, transaction

    first = audit.record(world.team_worker, AuditAction.READ, "case 1", cases=[1])
    chain_pending()
    first.refresh_from_db()
    fork = AuditEntry(username="x", action=AuditAction.READ, what="forged", previous_hash=first.previous_hash)
    fork.hash = fork.compute_hash()
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()
    assert AuditEntry.objects.count() == 1
