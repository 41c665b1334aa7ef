"""Benchmark: the monitoring dashboard over a year of national-scale data on PostgreSQL.

Generates 1,000,000 cases and 5,000,000 history events (``bench/national_data.py``) in a fresh
database (``bench.load.ensure_data_set``, which later benchmarks of the same run use), then renders the
dashboard as a municipality user for the whole region, one municipality and one team, and prints the
median time of five renderings and the number of queries per page. The floor: the same user's minimal
page (``bench.pages.FLOOR_PATH``) through the same client, its median of five right before and right
after the three selections (the mean of the two). Target (``monitoring_page`` in ``bench/targets.py``):
the median of any selection under a multiple of the floor; the ratios go to the summary.

Run: ``PYTHONPATH=src:. .venv/bin/python -m bench.monitoring_dashboard`` (part of ``make bench``).
"""

import os
import statistics
import time

from bench import machine
from bench.load import CASES, DATABASE_URL, ensure_data_set
from bench.pages import FLOOR_PATH, between_floors, page_ratio, signed_in, verdict
from bench.targets import TARGETS

TARGET = "monitoring_page"
RUNS = 5


def measure(report):
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
    selections = {
        "region": "",
        "one municipality": f"gemeente={Municipality.objects.get(name='Dordrecht').pk}",
        "one team": f"team={Organisation.objects.get(code='swt-dordrecht-noord').pk}",
    }

    def render(client):
        """{selection: (median ms, max ms, queries)} over ``RUNS`` renderings each."""
        figures = {}
        for name, query in selections.items():
            timings = []
            for _ in range(RUNS):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(f"/monitoring/?periode=2026&{query}")
                    timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.status_code
            figures[name] = statistics.median(timings), max(timings), len(queries)
        return figures

    # Signed in with the second factor passed: a bare force_login is sent to the second step (302).
    with signed_in(User.objects.get(username="gemeente")) as client:
        figures, floor = between_floors(client, RUNS, lambda: render(client))
    target = TARGETS[TARGET]
    print(
        f"floor: the same user's {FLOOR_PATH}, median of {RUNS} before and after the selections: "
        f"{floor['before']:.1f} and {floor['after']:.1f} ms, mean {floor['floor']:.1f} ms"
    )
    print(f"{'selection':<18}{'median ms':>10}{'max ms':>8}{'queries':>9}{'× floor':>9}  target ({target.text()})")
    for name, (median, longest, queries) in figures.items():
        ratio = page_ratio(median, floor["floor"])
        print(f"{name:<18}{median:>10.0f}{longest:>8.0f}{queries:>9}{ratio:>8.1f}×  {verdict(TARGET, ratio)}")
        report.add(
            TARGET,
            ratio,
            f"{name}, {CASES:,} cases",
            page_ms=round(median, 1),
            max_ms=round(longest, 1),
            floor_ms=round(floor["floor"], 2),
            floor_before_ms=round(floor["before"], 2),
            floor_after_ms=round(floor["after"], 2),
            queries=queries,
        )


if __name__ == "__main__":
    results = machine.Results("monitoring_dashboard", machine.header("monitoring dashboard"))
    ensure_data_set()
    measure(results)
