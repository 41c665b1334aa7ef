"""What every benchmark states first, and where it leaves its ratios for the summary.

``header(benchmark)`` prints (and returns) the commit measured, the date and the machine's state: load
average, cores, memory, Python and PostgreSQL versions. A figure without these cannot be compared with
another. ``Results`` writes a benchmark's ratios to ``var/bench/result-<benchmark>.json`` as they are
measured; ``bench/summary.py`` reads them back and judges each against its target (``bench/targets.py``).

``BENCH_RUN`` names one ``make bench`` (or ``make bench-quick``): the Makefile sets it once for all the
benchmarks it starts. The summary reads only results of that run, and a data set generated earlier in the
same run may be used again by a later benchmark, never one of an earlier run (``fresh_postgresql``).
"""

import json
import os
import platform
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "bench"
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
#: One run of the benchmarks; a benchmark started by hand is a run of its own.
RUN = os.environ.get("BENCH_RUN") or f"single-{os.getpid()}-{int(time.time())}"


def commit():
    """The commit measured, with "+uncommitted changes" when tracked files differ from it."""
    head = _git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head}+uncommitted changes" if _git("status", "--porcelain", "--untracked-files=no") else head


def _git(*args):
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)  # noqa: S607
    return result.stdout.strip() if result.returncode == 0 else ""


def postgresql_version():
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=5) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error:
        return "not reachable"


def memory_gb():
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def load_average():
    return [round(figure, 2) for figure in os.getloadavg()]


def state():
    """The machine as a benchmark finds it."""
    return {
        "commit": commit(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "load_average": load_average(),
        "cores": os.cpu_count(),
        "memory_gb": round(memory_gb(), 1),
        "python": platform.python_version(),
        "postgresql": postgresql_version(),
        "run": RUN,
    }


def header_lines(benchmark, figures):
    one, five, fifteen = figures["load_average"]
    return [
        f"== {benchmark} == commit {figures['commit']}, {figures['date']}, run {figures['run']}",
        f"   machine: load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min), {figures['cores']} cores, "
        f"{figures['memory_gb']:.1f} GB memory; Python {figures['python']}, PostgreSQL {figures['postgresql']}",
    ]


def header(benchmark):
    """Print the header every benchmark starts with; return the figures it printed."""
    figures = state()
    print("\n".join(header_lines(benchmark, figures)), flush=True)
    return figures


class Results:
    """The ratios one benchmark measured, kept in ``var/bench/result-<benchmark>.json`` for the summary.

    ``add(target, value, label, failures=0)``: ``target`` is a key of ``bench.targets.TARGETS`` (which says
    what is compared with what, and the bound); ``label`` says which case was measured ("250,000 rows");
    ``failures``, requests that failed during the measure, make it a MISS whatever the value.
    The file is rewritten at each addition, so a benchmark that stops half-way leaves what it measured.
    """

    def __init__(self, benchmark, machine=None):
        self.benchmark = benchmark
        self.path = WORK / f"result-{benchmark}.json"
        self.content = {"benchmark": benchmark, "run": RUN, "machine": machine or state(), "measures": []}
        self._write()

    def add(self, target, value, label="", failures=0, **figures):
        from bench.targets import TARGETS

        if target not in TARGETS:
            raise KeyError(f"no target {target!r} in bench/targets.py")
        self.content["measures"].append(
            {"target": target, "value": value, "label": label, "failures": failures, "figures": figures}
        )
        self.content["load_average_now"] = load_average()
        self._write()

    def _write(self):
        WORK.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.content, indent=1))


def fresh_postgresql(database, admin=PG_ADMIN):
    """Drop and create ``database``: nothing measured may lean on what an earlier run left there."""
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')


def mark_data_set(database, description, admin=PG_ADMIN):
    """Tag a generated data set with this run (a comment on the database), once it is complete."""
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"COMMENT ON DATABASE \"{database}\" IS 'bench run {RUN}: {description}'")


def data_set_of_this_run(database, description, admin=PG_ADMIN):
    """Whether ``database`` holds a complete data set generated earlier in this same run."""
    if not os.environ.get("BENCH_RUN"):
        return False  # a benchmark started by hand generates its own
    with psycopg.connect(admin, autocommit=True) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
    return row is not None and row[0] == f"bench run {RUN}: {description}"


def remove_sqlite(path):
    """Remove an SQLite database with its write-ahead log and shared memory (decision 119)."""
    path = Path(path)
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        name.unlink(missing_ok=True)
