"""Benchmark: the monitoring dashboard over a year of national-scale data on PostgreSQL.

Generates 1,000,000 cases and 5,000,000 history events (``bench/national_data.py``),
then renders the dashboard as a municipality user for the whole region, one
municipality and one team, and prints the median time of five renderings and
the number of queries per page. Target: under half a second for any selection.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = "woonzeker_bench_national"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
CASES = int(os.environ.get("BENCH_CASES", "1000000"))


def prepare():
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
    if exists and os.environ.get("BENCH_REUSE") == "1":
        return None
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "PYTHONPATH": str(ROOT / "src")}
    for args in (["migrate", "--noinput"], ["load_demo", "--cases", "0"]):
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, capture_output=True)
    from bench.national_data import generate

    start = time.perf_counter()
    seconds = generate(DATABASE_URL, cases=CASES)
    print(f"generated {CASES:,} cases in {time.perf_counter() - start:.0f} s: {seconds}", flush=True)
    return seconds


def measure():
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "woonzeker.conf.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from woonzeker.accounts.models import User
    from woonzeker.cases.models import Case, CaseEvent
    from woonzeker.monitoring.refresh import refresh_figures
    from woonzeker.organisations.models import Municipality, Organisation

    settings.ALLOWED_HOSTS = ["testserver"]
    refresh = refresh_figures()
    print(
        f"{Case.objects.count():,} cases, {CaseEvent.objects.count():,} events; "
        f"refresh_monitoring took {refresh.seconds:.1f} s",
        flush=True,
    )
    client = Client()
    client.force_login(User.objects.get(username="gemeente"))
    selections = {
        "region": "",
        "one municipality": f"gemeente={Municipality.objects.get(name='Dordrecht').pk}",
        "one team": f"team={Organisation.objects.get(code='swt-dordrecht-noord').pk}",
    }
    print(f"{'selection':<18}{'median ms':>10}{'max ms':>8}{'queries':>9}")
    for name, query in selections.items():
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(f"/monitoring/?periode=2026&{query}")
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        print(f"{name:<18}{statistics.median(timings):>10.0f}{max(timings):>8.0f}{len(queries):>9}", flush=True)


if __name__ == "__main__":
    prepare()
    measure()
