"""A temporary table that holds one validated ledger while it is applied.

Rows arrive a chunk at a time (``importing``): each chunk into a table of its own, ``CHUNK``, on
PostgreSQL through ``COPY ... FROM STDIN``, on SQLite through ``executemany`` in batches, so memory does
not grow with the file. The chunk's tenancies and snapshots are written from ``CHUNK``; then it is added to
``TABLE``, which holds the whole file for the rules that follow. Both tables live inside the import's
transaction and are dropped with it.
"""

# ruff: noqa: S608 -- the table and column names formatted into the SQL are constants of this module.

import csv
import io
from itertools import islice

from django.db import connection

TABLE = "ledger_staging"
CHUNK = "ledger_staging_chunk"

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
    """Create the (empty) staging and chunk tables for this transaction."""
    with connection.cursor() as cursor:
        drop()
        types = [(name, pg if is_postgresql() else sqlite) for name, pg, sqlite in COLUMNS]
        columns = ", ".join(f"{name} {column_type}" for name, column_type in types)
        cursor.execute(f"CREATE TEMPORARY TABLE {TABLE} ({columns})")
        cursor.execute(f"CREATE TEMPORARY TABLE {CHUNK} ({columns})")


def encoder():
    """A function that turns a chunk's records (tuples in ``COLUMN_NAMES`` order) into what ``write_chunk``
    takes, to be called by the thread that reads the file (it touches no connection): on PostgreSQL the bytes
    of a CSV ``COPY``, so that the import's own thread, which waits on the database, only sends them; on
    SQLite the records as they are. Every value is quoted, so an empty text stays empty; only a missing
    birth date (None, written as an empty value) becomes NULL (``FORCE_NULL``)."""
    if not is_postgresql():
        return list

    def encode(records):
        text = io.StringIO()
        csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(records)
        return text.getvalue().encode()

    return encode


def write_chunk(encoded):
    """Empty the chunk table and fill it with one chunk's records, as ``encoder`` made them."""
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(f"TRUNCATE {CHUNK}")
            copy_sql = f"COPY {CHUNK} ({', '.join(COLUMN_NAMES)}) FROM STDIN (FORMAT csv, FORCE_NULL (birth_date))"
            with cursor.cursor.copy(copy_sql) as copy:
                copy.write(encoded)
        else:
            cursor.execute(f"DELETE FROM {CHUNK}")
            placeholders = ", ".join(["%s"] * len(COLUMN_NAMES))
            sql = f"INSERT INTO {CHUNK} ({', '.join(COLUMN_NAMES)}) VALUES ({placeholders})"
            records = iter(encoded)
            while batch := list(islice(records, BATCH)):
                cursor.executemany(sql, batch)


def keep_chunk():
    """Add the chunk's rows to the staging table of the whole file."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {CHUNK}")


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
        cursor.execute(f"DROP TABLE IF EXISTS {CHUNK}")
        for name in DERIVED:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
