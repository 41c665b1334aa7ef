"""Benchmark: the monitoring dashboard over a year of national-scale data on PostgreSQL.

Generates 1,000,000 cases and 5,000,000 history events (``bench/national_data.py``) in a fresh
database (``bench.load.ensure_data_set``, which later benchmarks of the same run use), then renders the dashboard as a municipality user for the whole region, one
municipality and one team, and prints the median time of five renderings and
the number of queries per page. Target: under half a second for any selection.
"""

import os
import statistics
import time

from bench import machine
from bench.load import DATABASE_URL, ensure_data_set
from bench.pages import signed_in


def measure():
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "woonzeker.conf.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
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
    # Signed in with the second factor passed: a bare force_login is sent to the second step (302).
    with signed_in(User.objects.get(username="gemeente")) as client:
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
    machine.header("monitoring dashboard")
    ensure_data_set()
    measure()
