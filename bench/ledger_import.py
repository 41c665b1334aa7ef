"""Benchmark: importing rent ledgers, against the database's own bulk load of the same file.

For each size and each database it prints, for a first snapshot and a
follow-up snapshot a month later: rows per second of the full import
(``manage.py import_ledger``: parse, validate, stage, apply every rule),
the same for a raw load of the file into a bare table (PostgreSQL ``COPY``;
SQLite: csv reader and ``executemany``), their ratio, and the peak memory of
the import process. On PostgreSQL it then measures the floor of each snapshot,
the same rows written by bare SQL into copies of the indexed tables, and reports
the import's rows per second over the floor's (target: at least 0.8) and the
peak memory (under 1 GB) for the summary (``bench/machine.py``). Every database
is created afresh; only the generated files are kept, named after the
generator's code. Run through ``make bench`` (``make bench-quick``: 250,000 rows,
PostgreSQL only).

Then, for ``BENCH_XLSX_ROWS`` rows (50,000 unless set; 0 skips it), the same first snapshot as CSV and as an
XLSX workbook, each imported into a fresh database of each kind, and the ratio of their times: the target is
an XLSX import at most 2.0 times the CSV one. The workbook holds its cells as a corporation's export does:
dates as date cells, amounts and house numbers as numbers, the rest as text.
"""

import csv
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import django
import psycopg

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "woonzeker.conf.settings")
django.setup()

from bench import machine  # noqa: E402
from bench.ledgers import HEADER, write_ledgers  # noqa: E402  (needs Django set up)
from bench.targets import TARGETS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "bench"
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = os.environ.get("BENCH_PG_DB", "woonzeker_bench")


def manage(env, *args):
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-2000:]}")


def run_import(env, path):
    """Time one import in its own process, and read its peak memory from the kernel."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "import_ledger", str(path), "--corporation", "merwehaven", "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    stdout = process.stdout.read()
    stderr = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"import of {path.name} failed:\n{stdout.decode()[-1500:]}\n{stderr.decode()[-1500:]}")
    return seconds, usage.ru_maxrss / 1024, stdout.decode()


def raw_postgresql(path):
    with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{PG_DB}", autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS raw_ledger")
        connection.execute(f"CREATE TABLE raw_ledger ({', '.join(f'{c} text' for c in HEADER)})")
        start = time.perf_counter()
        copy_sql = "COPY raw_ledger FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)"
        with connection.cursor() as cursor, open(path, "rb") as handle, cursor.copy(copy_sql) as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - start
        connection.execute("DROP TABLE raw_ledger")
    return seconds


FLOOR_TABLES = {
    "tenancies_tenancy": [
        ("corporation_id", "organisations_organisation"),
        ("municipality_id", "organisations_municipality"),
    ],
    "ledgers_tenancysnapshot": [
        ("tenancy_id", "floor_tenancies_tenancy"),
        ("ledger_import_id", "ledgers_ledgerimport"),
    ],
}


def indexed_floor_postgresql(path, follow_up=None):
    """The least the database must do for a first snapshot: load the file and write its rows into
    copies of the tenancy and snapshot tables with all their indexes, constraints and (deferred) foreign
    keys, in SQL alone (no validation, no rules). Returns the seconds of each step, in one transaction;
    with ``follow_up``, a second dict: the same for the follow-up file into the same tables (the
    tenancies it does not hold yet, every snapshot)."""
    with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{PG_DB}", autocommit=True) as connection:
        corporation = connection.execute("SELECT id FROM organisations_organisation WHERE code = 'merwehaven'")
        corporation = corporation.fetchone()[0]
        municipality = connection.execute("SELECT min(id) FROM organisations_municipality").fetchone()[0]
        ledger_import = connection.execute("SELECT min(id) FROM ledgers_ledgerimport").fetchone()[0]
        for table, keys in FLOOR_TABLES.items():
            connection.execute(f"DROP TABLE IF EXISTS floor_{table} CASCADE")
            connection.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)")
            for column, target in keys:
                connection.execute(
                    f"ALTER TABLE floor_{table} ADD FOREIGN KEY ({column}) REFERENCES {target} (id) "
                    "DEFERRABLE INITIALLY DEFERRED"
                )
        ids = {"corporation": corporation, "municipality": municipality, "ledger_import": ledger_import}
        seconds = _floor(connection, path, "raw_ledger", ids)
        if follow_up is not None:
            for table in FLOOR_TABLES:
                connection.execute(f"ANALYZE floor_{table}")  # as the import analyzes what it grew
            seconds = [seconds, _floor(connection, follow_up, "raw_follow_up", ids, only_missing=True)]
        for table in ("ledgers_tenancysnapshot", "tenancies_tenancy"):
            connection.execute(f"DROP TABLE floor_{table}")
    return seconds


def _floor(connection, path, raw, ids, only_missing=False):
    """One file written into the floor tables by SQL alone, in one transaction: loaded (``COPY``), its
    tenancies written (with ``only_missing``, those the tables do not hold yet: an anti join, as a follow-up
    needs), a snapshot of every row, the foreign keys checked. Returns the seconds of each step."""
    seconds, clock = {}, time.perf_counter()

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 2)
        clock = now

    missing = (
        " WHERE NOT EXISTS (SELECT 1 FROM floor_tenancies_tenancy t "
        "WHERE t.corporation_id = %(corporation)s AND t.contract_number = r.contractnummer)"
        if only_missing
        else ""
    )
    with connection.transaction():
        connection.execute(f"CREATE TEMP TABLE {raw} ({', '.join(f'{c} text' for c in HEADER)})")
        copy_sql = f"COPY {raw} FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)"
        with connection.cursor() as cursor, open(path, "rb") as handle, cursor.copy(copy_sql) as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        lap("copy")
        connection.execute(
            "INSERT INTO floor_tenancies_tenancy (corporation_id, contract_number, tenant_name, street, "
            "house_number, house_number_suffix, postcode, town, municipality_id, monthly_rent, phone, email, bsn, "
            "bsn_hash) "
            "SELECT %(corporation)s, contractnummer, huurder_naam, straat, huisnummer, "
            "coalesce(huisnummer_toevoeging, ''), postcode, woonplaats, %(municipality)s, "
            "replace(maandhuur, ',', '.')::numeric, '', '', "
            # stand-ins of the ciphertext's and the keyed hash's size: random, as theirs are
            "'v1:00000000:' || encode(sha256(('c' || bsn)::bytea), 'base64'), encode(sha256(bsn::bytea), 'hex') "
            f"FROM {raw} r{missing}",
            ids,
        )
        lap("tenancies")
        connection.execute(
            "INSERT INTO floor_ledgers_tenancysnapshot (tenancy_id, ledger_import_id, reference_date, "
            "monthly_rent, arrears, payment_arrangement) SELECT t.id, %(ledger_import)s, r.peildatum::date, "
            "t.monthly_rent, replace(r.achterstand, ',', '.')::numeric, r.betalingsregeling = 'ja' "
            f"FROM {raw} r JOIN floor_tenancies_tenancy t ON t.contract_number = r.contractnummer",
            ids,
        )
        lap("snapshots")
        connection.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys, checked row by row
        lap("foreign_keys")
    lap("commit")
    return seconds


def raw_sqlite(path):
    database = WORK / "raw.sqlite3"
    machine.remove_sqlite(database)
    connection = sqlite3.connect(database)
    connection.execute(f"CREATE TABLE raw_ledger ({', '.join(f'{c} text' for c in HEADER)})")
    start = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        with connection:
            connection.executemany(f"INSERT INTO raw_ledger VALUES ({', '.join('?' * len(HEADER))})", reader)
    seconds = time.perf_counter() - start
    connection.close()
    database.unlink()
    return seconds


def fresh_database(backend):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "WOONZEKER_VAR_DIR": str(WORK / "var")}
    env.pop("DATABASE_URL", None)
    # Nothing of an earlier run: the SQLite file (with its log), the stored originals, the seals.
    for directory in (WORK / "var", WORK / "media"):
        shutil.rmtree(directory, ignore_errors=True)
    (WORK / "var").mkdir(parents=True)
    if backend == "postgresql":
        machine.fresh_postgresql(PG_DB, PG_ADMIN)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    env["MEDIA_ROOT"] = str(WORK / "media")
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo", "--cases", "0")
    return env


def files(rows):
    """The generated first and follow-up files of ``rows`` rows: kept between runs, named after the
    generator's code, so a change to ``bench/ledgers.py`` makes new ones."""
    code = hashlib.sha256((ROOT / "bench" / "ledgers.py").read_bytes()).hexdigest()[:10]
    first, follow_up = WORK / f"ledger-{rows}-{code}-first.csv", WORK / f"ledger-{rows}-{code}-follow-up.csv"
    if not (first.exists() and follow_up.exists()):
        WORK.mkdir(parents=True, exist_ok=True)
        write_ledgers(rows, first, follow_up)
    return first, follow_up


def main(sizes, backends, xlsx_rows=0):
    results = machine.Results("ledger_import", machine.header("ledger import"))
    print(
        f"{'database':<11}{'rows':>10}  {'snapshot':<10}{'import s':>9}{'rows/s':>10}{'raw s':>8}{'raw rows/s':>12}"
        f"{'ratio':>7}{'peak MB':>9}  steps (s)"
    )
    for rows in sizes:
        first, follow_up = files(rows)
        for backend in backends:
            env = fresh_database(backend)
            imports = {}
            for label, path in [("first", first), ("follow-up", follow_up)]:
                seconds, peak, out = run_import(env, path)
                imports[label] = seconds
                steps = json.loads(out)["seconds"]
                raw = raw_postgresql(path) if backend == "postgresql" else raw_sqlite(path)
                print(
                    f"{backend:<11}{rows:>10}  {label:<10}{seconds:>9.1f}{rows / seconds:>10,.0f}{raw:>8.1f}"
                    f"{rows / raw:>12,.0f}{raw / seconds:>7.2f}{peak:>9.0f}  {steps}",
                    flush=True,
                )
                results.add("ledger_memory", round(peak), f"{backend}, {rows:,} rows, {label}")
            if backend == "postgresql":
                floors = indexed_floor_postgresql(first, follow_up)
                for (label, seconds), steps in zip(imports.items(), floors, strict=True):
                    floor = sum(steps.values())
                    print(
                        f"{'':<11}{rows:>10}  floor, {label}: the file written into the indexed tables by SQL "
                        f"alone: {floor:.1f} s, {rows / floor:,.0f} rows/s; the import reaches "
                        f"{floor / seconds:.2f} of it  {steps}",
                        flush=True,
                    )
                    key = "ledger_first" if label == "first" else "ledger_follow_up"
                    results.add(
                        key, round(floor / seconds, 3), f"{rows:,} rows", import_s=round(seconds, 1), floor_s=floor
                    )
    if xlsx_rows:
        xlsx_against_csv(xlsx_rows, backends, results)


XLSX_TARGET = TARGETS["xlsx_vs_csv"]  # an XLSX import at most 2.0 times the same rows' CSV import


def xlsx_file(csv_path):
    """The CSV ledger as a workbook, its cells typed as a corporation's export types them."""
    from datetime import date
    from decimal import Decimal

    from openpyxl import Workbook

    path = csv_path.with_suffix(".xlsx")
    if path.exists():
        return path
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    numbers = {"huisnummer"}
    amounts = {"maandhuur", "achterstand"}
    with open(csv_path, encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = next(reader)
        sheet.append(header)
        for cells in reader:
            typed = []
            for name, text in zip(header, cells, strict=True):
                if name == "peildatum":
                    typed.append(date.fromisoformat(text))
                elif name in numbers:
                    typed.append(int(text))
                elif name in amounts:
                    typed.append(float(Decimal(text.replace(",", "."))))
                else:
                    typed.append(text or None)
            sheet.append(typed)
    workbook.save(path)
    return path


def xlsx_against_csv(rows, backends, results):
    """Import the same rows as CSV and as XLSX, each into a fresh database, and print the ratio of the times."""
    csv_path, _follow_up = files(rows)
    xlsx_path = xlsx_file(csv_path)
    print(
        f"\nXLSX against CSV, {rows:,} rows, each into a fresh database; target: XLSX/CSV at most {XLSX_TARGET.bound}"
    )
    print(f"{'database':<11}{'CSV s':>8}{'XLSX s':>8}{'XLSX/CSV':>10}  {'target':<8}{'CSV MB':>7}{'XLSX MB':>8}")
    for backend in backends:
        seconds_csv, peak_csv, _out = run_import(fresh_database(backend), csv_path)
        seconds_xlsx, peak_xlsx, _out = run_import(fresh_database(backend), xlsx_path)
        ratio = seconds_xlsx / seconds_csv
        verdict = "met" if XLSX_TARGET.met(ratio) else "MISSED"
        results.add("xlsx_vs_csv", round(ratio, 3), f"{backend}, {rows:,} rows")
        print(
            f"{backend:<11}{seconds_csv:>8.1f}{seconds_xlsx:>8.1f}{ratio:>10.2f}  {verdict:<8}{peak_csv:>7.0f}"
            f"{peak_xlsx:>8.0f}",
            flush=True,
        )


if __name__ == "__main__":
    sizes = [int(s) for s in os.environ.get("BENCH_LEDGER_ROWS", "50000,2500000").split(",") if s]
    backends = os.environ.get("BENCH_DATABASES", "postgresql,sqlite").split(",")
    main(sizes, backends, xlsx_rows=int(os.environ.get("BENCH_XLSX_ROWS", "50000")))
