"""Interrupted import: the import process is killed (SIGKILL) at several points of a ledger of 3,000 rows.

Afterwards the database holds none of that snapshot, and the same file imports in full when sent again.
Each database gets a fresh one of its own (a file for SQLite, a database for PostgreSQL), because the
import runs in a process of its own, as ``manage.py import_ledger`` does in production."""

import json
import signal

import pytest

from tests.faults.conftest import IN_ARREARS, ROWS, counts, ledger
from tests.faults.processes import manage
from woonzeker.faults import POINTS


@pytest.mark.parametrize("point", POINTS)
def test_an_import_killed_midway_leaves_nothing_and_runs_again(database, tmp_path, point):
    url, world = database.url, database.world
    # Ledgers are applied in date order: each point's file is a month after the one before.
    file = ledger(tmp_path / f"{point}.csv", point.upper(), month=3 + list(POINTS).index(point))
    media = {"MEDIA_ROOT": str(tmp_path / "media")}
    before = counts(url)

    killed = manage(
        url,
        "import_ledger",
        str(file),
        "--corporation",
        world["corporation_code"],
        "--json",
        env={**media, "WOONZEKER_KILL_AT": point},
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert counts(url) == before, f"killed {POINTS[point]}, yet something of the snapshot was stored"

    again = manage(url, "import_ledger", str(file), "--corporation", world["corporation_code"], "--json", env=media)
    result = json.loads(again.stdout)
    assert (result["status"], result["rows_read"], result["signals_opened"]) == ("imported", ROWS, IN_ARREARS)
    after = counts(url)
    assert after["tenancies"] == before["tenancies"] + ROWS
    assert after["snapshots"] == before["snapshots"] + ROWS
    assert after["cases"] == before["cases"] + IN_ARREARS
    assert after["imports"] == before["imports"] + 1
    assert manage(url, "verify_audit", check=False).returncode == 0


QUEUE = (
    "import sys; from woonzeker.ledgers.importing import queue_ledger; "
    "from woonzeker.organisations.models import Organisation; "
    "record = queue_ledger(None, Organisation.objects.get(code=sys.argv[-2]), sys.argv[-1], 'ledger.csv', 'upload'); "
    "print(record.pk)"
)
STATUS = (
    "import json, sys; from woonzeker.ledgers.models import LedgerImport; "
    "r = LedgerImport.objects.get(pk=sys.argv[-1]); "
    "print(json.dumps({'status': r.status, 'stage': r.stage, 'rows_read': r.rows_read, 'signals': r.signals_opened}))"
)


def _shell(url, code, *args, env=None):
    return manage(url, "shell", "-c", f"import sys; sys.argv = ['x', *{list(args)!r}]; {code}", env=env)


@pytest.mark.parametrize("point", POINTS)
def test_a_worker_killed_midway_leaves_nothing_and_the_requeued_import_runs_in_full(database, tmp_path, point):
    """A queued upload, its worker (``manage.py db_worker``) killed at the point: nothing of the snapshot is
    stored, the import shows as unfinished, and queued again (``requeue_imports``) it imports in full."""
    url, world = database.url, database.world
    file = ledger(tmp_path / f"worker-{point}.csv", f"W{point.upper()}", month=6 + list(POINTS).index(point))
    media = {"MEDIA_ROOT": str(tmp_path / "media")}
    pk = _shell(url, QUEUE, world["corporation_code"], str(file), env=media).stdout.strip().splitlines()[-1]
    before = counts(url)

    worker = ["db_worker", "--batch", "--no-startup-delay", "--interval", "0.1"]
    killed = manage(url, *worker, env={**media, "WOONZEKER_KILL_AT": point}, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert counts(url) == before, f"worker killed {POINTS[point]}, yet something of the snapshot was stored"
    left = json.loads(_shell(url, STATUS, pk).stdout.strip().splitlines()[-1])
    assert left["status"] == "running", left  # what its page shows: not finished, nothing imported

    assert pk in manage(url, "requeue_imports", env=media).stdout
    manage(url, *worker, env=media)
    done = json.loads(_shell(url, STATUS, pk).stdout.strip().splitlines()[-1])
    assert done == {"status": "imported", "stage": "done", "rows_read": ROWS, "signals": IN_ARREARS}
    after = counts(url)
    assert after["tenancies"] == before["tenancies"] + ROWS
    assert after["snapshots"] == before["snapshots"] + ROWS
    assert after["cases"] == before["cases"] + IN_ARREARS
    assert after["imports"] == before["imports"]  # the same import, not a second one
    assert manage(url, "verify_audit", check=False).returncode == 0
