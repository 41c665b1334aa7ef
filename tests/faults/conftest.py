"""A database of a fault test's own, of the same kind as the suite's (a SQLite file, or a PostgreSQL database
on the suite's server), migrated and seeded: the faults are caused in processes of their own, which cannot
see the suite's in-memory or transaction-wrapped test database."""

import json
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection

from tests.faults.processes import manage, seed
from woonzeker.ledgers.parsing import REQUIRED_COLUMNS

ROWS = 3000
IN_ARREARS = 300  # every tenth tenancy owes more than a month's rent
HEADER = ";".join(REQUIRED_COLUMNS)  # the contract's columns, in its order

COUNT = (
    "import json; from woonzeker.tenancies.models import Tenancy; from woonzeker.cases.models import Case, CaseEvent;"
    "from woonzeker.ledgers.models import LedgerImport, TenancySnapshot; from woonzeker.audit.models import AuditEntry;"
    "print(json.dumps({'tenancies': Tenancy.objects.count(), 'cases': Case.objects.count(),"
    "'events': CaseEvent.objects.count(), 'snapshots': TenancySnapshot.objects.count(),"
    "'imports': LedgerImport.objects.count(), 'audit': AuditEntry.objects.count()}))"
)


def execute(admin_url, statement):
    """One SQL statement on the server's maintenance database (creating and dropping databases)."""
    code = f"from django.db import connection; connection.cursor().execute({statement!r})"
    manage(admin_url, "shell", "-c", code)


class OwnDatabase(SimpleNamespace):
    def wipe(self):
        """The disaster: the database is gone, and an empty one stands in its place."""
        if self.admin:
            name = self.url.rsplit("/", 1)[1]
            execute(self.admin, f"DROP DATABASE {name} WITH (FORCE)")
            execute(self.admin, f"CREATE DATABASE {name}")
        else:
            Path(self.url.removeprefix("sqlite:///")).unlink()


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    if connection.vendor == "postgresql":
        name = f"wz_fault_{uuid.uuid4().hex[:8]}"
        settings = connection.settings_dict
        server = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        url, admin = f"{server}/{name}", f"{server}/postgres"
        execute(admin, f"CREATE DATABASE {name}")
    else:
        url, admin = f"sqlite:///{tmp_path_factory.mktemp('faults') / 'woonzeker.sqlite3'}", None
    manage(url, "migrate", "--noinput")
    yield OwnDatabase(url=url, admin=admin, world=seed(url))
    if admin:
        execute(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def ledger(path, prefix, month):
    """A ledger of ROWS tenancies on the first of ``month`` 2016, IN_ARREARS of them over the threshold."""
    lines = [HEADER]
    for n in range(1, ROWS + 1):
        arrears = "800,00" if n % 10 == 0 else "0"
        lines.append(f"2016-{month:02d}-01;{prefix}-{n};Huurder {n};Voorstraat;{n};3311AB;Dordrecht;650,00;{arrears}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(url):
    return json.loads(manage(url, "shell", "-c", COUNT).stdout.strip().splitlines()[-1])
