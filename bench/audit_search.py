"""Benchmark: the privacy officer's search of the audit trail by person (NEN 7513), on a long trail.

On the load benchmark's data set (``bench/load.py``, generated if missing) the trail is filled up to
``BENCH_AUDIT_ENTRIES`` entries (default 2,000,000: a year of reads of a mid-sized region) with
synthetic reads, four in five of one case and one in five of a page of fifty; they are marked with the
user name ``synthetic`` and do not form a chain. It then renders the privacy officer's search page for
one household (by contract number; every entry naming its cases, first page), median of seven, and
times the trail's part of it both ways: through the GIN index (``@>``, PostgreSQL) and as text with a
pattern (SQLite's way, and PostgreSQL's before decision 78), with the ratio. The floor: the officer's
minimal page (``bench.pages.FLOOR_PATH``) through the same client, its median of seven right before and
right after the search page's (the mean of the two). Target (``audit_search_page`` in ``bench/targets.py``):
the search page's median at most a multiple of the floor, on this trail; the ratio goes to the summary.

Run: ``PYTHONPATH=src:. .venv/bin/python -m bench.audit_search`` (part of ``make bench``).
"""

import os
import time

import psycopg

from bench import machine
from bench.load import DATABASE_URL, ensure_data_set
from bench.pages import FLOOR_PATH, between_floors, get_page, median_ms, page_ratio, signed_in, verdict
from bench.targets import TARGETS

ENTRIES = int(os.environ.get("BENCH_AUDIT_ENTRIES", "2000000"))
TARGET = "audit_search_page"
RUNS = 7


def fill_trail():
    """Synthetic reads until the trail holds ``ENTRIES`` entries."""
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        have = connection.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0]
        missing = ENTRIES - have
        if missing <= 0:
            print(f"reusing the trail of {have:,} entries", flush=True)
            return
        start = time.perf_counter()
        offset = connection.execute("SELECT count(*) FROM audit_auditentry WHERE username = 'synthetic'").fetchone()[0]
        connection.execute(
            """INSERT INTO audit_auditentry (at, username, organisation, role, action, what, case_ids, reason,
                   address, previous_hash, hash, user_id, result)
               SELECT now() - (g || ' seconds')::interval, 'synthetic', 'Synthetic', 'case_worker', 'read',
                      CASE WHEN mod(g, 5) = 0 THEN 'work queue' ELSE 'case' END,
                      CASE WHEN mod(g, 5) = 0
                           THEN (SELECT jsonb_agg(x) FROM generate_series(1 + mod(g * 7919, 999000),
                                                                          1 + mod(g * 7919, 999000) + 980, 20) x)
                           ELSE jsonb_build_array(1 + mod(g * 104729, 1000000)) END,
                      '', NULL, NULL, NULL, NULL, 'granted'
               FROM generate_series(%(first)s::bigint, %(last)s::bigint) g""",
            {"first": offset + 1, "last": offset + missing},
        )
        connection.execute("VACUUM ANALYZE audit_auditentry")
        print(f"added {missing:,} synthetic entries in {time.perf_counter() - start:.0f} s", flush=True)


def measure(report):
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "woonzeker.conf.settings")
    import django

    django.setup()
    from django.conf import settings

    from woonzeker.accounts.models import User
    from woonzeker.audit.models import AuditEntry
    from woonzeker.privacy.audit_search import case_ids_of, containing_cases, find_people, naming_cases_as_text
    from woonzeker.privacy.views import privacy_tenancies

    settings.ALLOWED_HOSTS = ["testserver"]
    officer = User.objects.get(username="privacy")

    contract = "NB-15770"
    people = list(find_people(privacy_tenancies(officer), contract))
    case_ids = case_ids_of(people)
    entries = AuditEntry.objects.order_by("-at", "-pk")
    named = containing_cases(entries, case_ids).count()

    def first_page(select):
        return lambda: (select(entries, case_ids).count(), list(select(entries, case_ids)[:50]))

    with signed_in(officer) as client:
        get_page(client, f"/privacy/?persoon={contract}")  # not counted, as the floor's first
        page_ms, floor = between_floors(
            client, RUNS, lambda: median_ms(lambda: get_page(client, f"/privacy/?persoon={contract}"), RUNS)
        )
    index_ms = median_ms(first_page(containing_cases), RUNS)
    text_ms = median_ms(first_page(naming_cases_as_text), RUNS)
    ratio = page_ratio(page_ms, floor["floor"])
    trail = AuditEntry.objects.count()
    print(f"Audit trail of {trail:,} entries; one household ({len(case_ids)} case(s)), {named} entries")
    print(
        f"floor: the officer's {FLOOR_PATH}, median of {RUNS} before and after the search page's: "
        f"{floor['before']:.1f} and {floor['after']:.1f} ms, mean {floor['floor']:.1f} ms"
    )
    target = TARGETS[TARGET]
    print(
        f"{'search page ms':>15}{'× floor':>9}{'trail, index ms':>17}{'trail, as text ms':>19}{'× faster':>10}"
        f"  target ({target.text()})"
    )
    print(
        f"{page_ms:>15.0f}{ratio:>8.1f}×{index_ms:>17.0f}{text_ms:>19.0f}{text_ms / index_ms:>9.0f}×"
        f"  {verdict(TARGET, ratio)}"
    )
    report.add(
        TARGET,
        ratio,
        f"{trail:,} entries",
        page_ms=round(page_ms, 1),
        floor_ms=round(floor["floor"], 2),
        floor_before_ms=round(floor["before"], 2),
        floor_after_ms=round(floor["after"], 2),
    )


if __name__ == "__main__":
    results = machine.Results("audit_search", machine.header("audit search"))
    ensure_data_set()
    fill_trail()
    measure(results)
