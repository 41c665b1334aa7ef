"""Benchmark: a ledger import through the task worker beside the same import run directly.

On a fresh PostgreSQL database each time (migrated, the demo covenant without cases): the first snapshot of
``rows`` tenancies imported by ``manage.py import_ledger`` (directly), then, on another fresh database, the
same file queued as the upload page queues it (``importing.queue_ledger``) and imported by
``manage.py db_worker --batch``. It prints rows per second of each (from start of the process to the import
finished, worker start-up included) and the progress the import told on its record, as a page polling it
ten times a second saw it: how many updates, at what rows, the longest wait between two. Run through
``make bench`` (``python -m bench.ledger_worker [rows]``).
"""

import subprocess
import sys
import time

import psycopg

from bench import machine
from bench.ledger_import import PG_DB, ROOT, files, fresh_database, run_import

QUEUE = (
    "import sys; from woonzeker.ledgers.importing import queue_ledger; "
    "from woonzeker.organisations.models import Organisation; "
    "print(queue_ledger(None, Organisation.objects.get(code='merwehaven'), sys.argv[-1], 'ledger.csv', 'upload').pk)"
)


def through_the_worker(env, path):
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", f"import sys; sys.argv=['x', {str(path)!r}]; {QUEUE}"],
        env=env,
        check=True,
        capture_output=True,
    )
    print("queued; worker starts", flush=True)
    seen = []
    with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{PG_DB}", autocommit=True) as connection:
        start = time.perf_counter()
        worker = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--no-startup-delay"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        while True:
            row = connection.execute(
                "SELECT status, stage, rows_read, rows_applied, progress_at FROM ledgers_ledgerimport"
            ).fetchone()
            now = time.perf_counter() - start
            if row and (not seen or seen[-1][1][4] != row[4]):
                seen.append((now, row))
            if row and row[0] in ("imported", "refused"):
                break
            if worker.poll() is not None and not (row and row[0] in ("imported", "refused")):
                row = connection.execute("SELECT status, stage FROM ledgers_ledgerimport").fetchone()
                if row[0] not in ("imported", "refused"):
                    errors = connection.execute(
                        "SELECT exception_class_path, traceback FROM django_tasks_database_dbtaskresult"
                    ).fetchall()
                    raise SystemExit(
                        f"the worker stopped, the import {row}: {errors}\n{worker.stderr.read().decode()[-2000:]}"
                    )
            time.sleep(0.1)  # a page polling ten times a second
        seconds = time.perf_counter() - start
        worker.wait(timeout=120)
    return seconds, seen


def main(rows):
    machine.header("ledger import through the task worker")
    first, _follow_up = files(rows)
    print("fresh database, direct import", flush=True)
    env = fresh_database("postgresql")
    direct, _peak, _out = run_import(env, first)
    print(f"direct: {direct:.2f} s; fresh database, queued import", flush=True)
    env = fresh_database("postgresql")
    queued, seen = through_the_worker(env, first)
    print(f"PostgreSQL, first snapshot of {rows:,} rows")
    print(f"{'path':<22}{'seconds':>9}{'rows/s':>10}")
    print(f"{'import_ledger (direct)':<22}{direct:>9.2f}{rows / direct:>10,.0f}")
    print(f"{'db_worker (queued)':<22}{queued:>9.2f}{rows / queued:>10,.0f}   ratio {queued / direct:.2f}")
    told = [(when, row) for when, row in seen if row[4] is not None]
    gaps = [b[0] - a[0] for a, b in zip(told, told[1:], strict=False)]
    print(f"progress updates seen by a poller at 10/s: {len(told)}; longest wait between two: {max(gaps or [0]):.2f} s")
    for when, (status, stage, rows_read, rows_applied, _at) in told:
        print(f"  {when:7.2f} s  {status:<9}{stage:<9} read {rows_read:>9,}  applied {rows_applied:>9,}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
