"""Interrupted import: the import process is killed (SIGKILL) at several points of a ledger of 3,000 rows.

Afterwards the database holds none of that snapshot, and the same file imports in full when sent again.
Each database gets a fresh one of its own (a file for SQLite, a database for PostgreSQL), because the
import runs in a process of its own, as ``manage.py import_ledger`` does in production."""

import json
import signal
import uuid

import pytest
from django.db import connection

from tests.faults.processes import manage, seed
from woonzeker.faults import POINTS

ROWS = 3000
IN_ARREARS = 300  # every tenth tenancy owes more than a month's rent
HEADER = "peildatum;contractnummer;huurder_naam;straat;huisnummer;postcode;woonplaats;maandhuur;achterstand"

COUNT = (
    "import json; from woonzeker.tenancies.models import Tenancy; from woonzeker.cases.models import Case, CaseEvent;"
    "from woonzeker.ledgers.models import LedgerImport, TenancySnapshot; from woonzeker.audit.models import AuditEntry;"
    "print(json.dumps({'tenancies': Tenancy.objects.count(), 'cases': Case.objects.count(),"
    "'events': CaseEvent.objects.count(), 'snapshots': TenancySnapshot.objects.count(),"
    "'imports': LedgerImport.objects.count(), 'audit': AuditEntry.objects.count()}))"
)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A database of this test's own, of the same kind as the suite's, migrated and seeded."""
    if connection.vendor == "postgresql":
        name = f"wz_fault_{uuid.uuid4().hex[:8]}"
        settings = connection.settings_dict
        url = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"
        admin = url.rsplit("/", 1)[0] + "/postgres"
        manage(
            admin,
            "shell",
            "-c",
            f"from django.db import connection; connection.cursor().execute('CREATE DATABASE {name}')",
        )
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('faults') / 'woonzeker.sqlite3'}"
    manage(url, "migrate", "--noinput")
    world = seed(url)
    yield url, world
    if connection.vendor == "postgresql":
        manage(
            admin,
            "shell",
            "-c",
            f"from django.db import connection; connection.cursor().execute('DROP DATABASE {name}')",
        )


def ledger(path, prefix, month):
    lines = [HEADER]
    for n in range(1, ROWS + 1):
        arrears = "800,00" if n % 10 == 0 else "0"
        lines.append(f"2016-{month:02d}-01;{prefix}-{n};Huurder {n};Voorstraat;{n};3311AB;Dordrecht;650,00;{arrears}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(url):
    return json.loads(manage(url, "shell", "-c", COUNT).stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("point", POINTS)
def test_an_import_killed_midway_leaves_nothing_and_runs_again(database, tmp_path, point):
    url, world = database
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
