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
