"""A temporary table that holds one validated ledger while it is applied.

Rows stream in: on PostgreSQL through ``COPY ... FROM STDIN``, on SQLite
through ``executemany`` in batches, so memory does not grow with the file.
The table lives inside the import's transaction and is dropped with it.
"""

# ruff: noqa: S608 -- the table and column names formatted into the SQL are constants of this module.

from itertools import islice

from django.db import connection

TABLE = "ledger_staging"

#: (column, PostgreSQL type, SQLite type)
COLUMNS = [
    ("row_number", "integer", "integer"),
    ("contract_number", "text", "text"),
    ("tenant_name", "text", "text"),
    ("street", "text", "text"),
    ("house_number", "text", "text"),
    ("house_number_suffix", "text", "text"),
    ("postcode", "text", "text"),
    ("town", "text", "text"),
    ("municipality_id", "bigint", "integer"),
    ("monthly_rent", "numeric(8,2)", "decimal"),
    ("arrears", "numeric(10,2)", "decimal"),
    ("payment_arrangement", "boolean", "bool"),
    ("phone", "text", "text"),
    ("email", "text", "text"),
    ("bsn", "text", "text"),  # encrypted (woonzeker/crypto.py): the plain BSN never reaches the database
    ("bsn_hash", "text", "text"),
    ("birth_date", "date", "date"),
    # Whether exactly one social team covers the row's postcode (``municipalities.MunicipalityResolver.covered``).
    ("covered", "boolean", "bool"),
]
COLUMN_NAMES = [name for name, _pg, _sqlite in COLUMNS]
BATCH = 5000


def is_postgresql():
    return connection.vendor == "postgresql"


def create():
    """Create the (empty) staging table for this transaction."""
    with connection.cursor() as cursor:
        drop()
        types = [(name, pg if is_postgresql() else sqlite) for name, pg, sqlite in COLUMNS]
        columns = ", ".join(f"{name} {column_type}" for name, column_type in types)
        cursor.execute(f"CREATE TEMPORARY TABLE {TABLE} ({columns})")


def write(records):
    """Stream ``records`` (tuples in ``COLUMN_NAMES`` order) into the staging table."""
    with connection.cursor() as cursor:
        if is_postgresql():
            with cursor.cursor.copy(f"COPY {TABLE} ({', '.join(COLUMN_NAMES)}) FROM STDIN") as copy:
                for record in records:
                    copy.write_row(record)
        else:
            placeholders = ", ".join(["%s"] * len(COLUMN_NAMES))
            sql = f"INSERT INTO {TABLE} ({', '.join(COLUMN_NAMES)}) VALUES ({placeholders})"
            records = iter(records)
            while batch := list(islice(records, BATCH)):
                cursor.executemany(sql, batch)


#: Memory for each sort or hash of the statements that apply a ledger (PostgreSQL's default is 4 MB): a hash
#: of a few million staged rows then takes a few batches on disk instead of hundreds. For this transaction only.
WORK_MEM = "64MB"


def index():
    """Index the loaded rows for the joins that follow, and refresh the planner's statistics."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX {TABLE}_contract ON {TABLE} (contract_number)")
        cursor.execute(f"ANALYZE {TABLE}")
        if is_postgresql():
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")


#: The temporary tables ``derive`` fills from the staged rows (``applying``), dropped with the staging table.
RESOLVED_SIGNALS = "ledger_resolved_signals"
NEW_SIGNALS = "ledger_new_signals"
DERIVED = (RESOLVED_SIGNALS, NEW_SIGNALS)


def derive(name, columns, select_sql, params):
    """Fill a temporary table ``name`` (``columns``: (column, PostgreSQL type, SQLite type)) with the rows of
    ``select_sql`` and refresh its statistics; return how many rows it holds.

    A set decided before the statement that writes it: an ``INSERT`` that read the table it fills (an anti
    join, "not there yet") would, planned while that table looked empty, scan for every row of the file
    every row written before it (decision 118). Read from a table of its own, it reads nothing it grows."""
    assert name in DERIVED, name
    types = ", ".join(f"{column} {pg if is_postgresql() else sqlite}" for column, pg, sqlite in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({types})")
        cursor.execute(f"INSERT INTO {name} ({', '.join(c for c, _pg, _sqlite in columns)}) {select_sql}", params)
        rows = cursor.rowcount
        cursor.execute(f"ANALYZE {name}")
    return rows


def drop():
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        for name in DERIVED:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
