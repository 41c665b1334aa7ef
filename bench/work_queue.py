"""Benchmark: the work queue (the home page of every party with case files) over 1,000,000 cases.

On the load benchmark's data set (``bench/load.py``, generated if missing), it renders the work queue
as a case worker of a social team (68,000 open cases) and as a corporation's coordinator (124,000),
first page, a page far in, and filtered on overdue cases, through the whole view (template included),
and prints the median of seven renderings and the queries per page. Beside it, the page's cases read
as now (``selectors.queue_page``) and as before decision 76 (full case rows sorted, then the page cut),
and the ratio of the two; then a search for one household by name, contract number and postcode
(served by the trigram indexes of ``tenancies/migrations/0005_search_indexes``). The floor: the same
user's minimal page (``bench.pages.FLOOR_PATH``) through the same client, its median of seven right before
and right after that user's pages (the mean of the two). Target (``work_queue_page`` in
``bench/targets.py``): the pages people open, the first page of the queue, of a filter and of a search,
each at most a multiple of the floor; a page far in (an offset of ten thousand) is shown without a target.
The ratios go to the summary (``bench/summary.py``).

Run: ``PYTHONPATH=src:. .venv/bin/python -m bench.work_queue`` (part of ``make bench``).
"""

from urllib.parse import urlencode

from bench import machine
from bench.load import CASES, DATABASE_URL, ensure_data_set
from bench.pages import FLOOR_PATH, between_floors, get_page, median_ms, page_ratio, signed_in, verdict
from bench.targets import TARGETS

TARGET = "work_queue_page"
RUNS = 7


def measure(report):
    import os

    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "woonzeker.conf.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from woonzeker.accounts.authorization import visible_cases
    from woonzeker.accounts.models import User
    from woonzeker.cases import views
    from woonzeker.cases.selectors import queue_page, work_queue

    settings.ALLOWED_HOSTS = ["testserver"]
    today = timezone.localdate()

    def full_rows(queue, number, per_page):
        """The queue as it was read before: every open case's full row sorted, then the page cut."""
        related = queue.select_related("tenancy", "social_team", "corporation", "case_worker")
        return Paginator(related, per_page).get_page(number)

    def page_timings(client, path):
        with CaptureQueriesContext(connection) as queries:
            get_page(client, path)
        count = len(queries)  # read now: the next request empties the log it is read from
        return median_ms(lambda: get_page(client, path), RUNS), count

    def read_timings(read, user, number, deadline):
        queue = work_queue(user, visible_cases(user), today, deadline=deadline)
        return median_ms(lambda: list(read(queue, number, views.PAGE_SIZE).object_list), RUNS)

    def pages_of(client, user, queue):
        """The user's pages: {"label", "page_ms", "queries", "read", "before", "targeted"} each."""
        rows = []
        for label, path, number, deadline in (
            ("first page", "/", 1, ""),
            ("overdue, first page", "/?deadline=overdue", 1, "overdue"),
            ("page 200", "/?pagina=200", 200, ""),
        ):
            page_ms, queries = page_timings(client, path)
            read = read_timings(queue_page, user, number, deadline)
            before = read_timings(full_rows, user, number, deadline)
            row = {"label": label, "page_ms": page_ms, "queries": queries, "read": read, "before": before}
            rows.append(row | {"targeted": number == 1})
        # A search for one household, as people type it: (part of) a name, a contract number, a postcode.
        household = queue.select_related("tenancy").last().tenancy
        for label, term in (
            ("search: name", household.tenant_name.lower()),
            ("search: contract", household.contract_number),
            ("search: postcode", f"{household.postcode[:4]} {household.postcode[4:]}"),
        ):
            page_ms, queries = page_timings(client, f"/?{urlencode({'q': term})}")
            rows.append({"label": label, "page_ms": page_ms, "queries": queries, "targeted": True})
        return rows

    target = TARGETS[TARGET]
    print(
        f"Work queue on {CASES:,} cases; median of {RUNS} renderings; floor: the same user's {FLOOR_PATH} "
        f"(median of {RUNS} before and after that user's pages, their mean); target: first pages and searches "
        f"{target.text()} the floor"
    )
    header = f"{'who':<24}{'page':<21}{'open cases':>11}{'page ms':>9}{'queries':>9}{'× floor':>9}"
    print(f"{header}{'read ms':>9}{'read before ms':>16}{'× faster':>10}  target ({target.text()})")
    for username in ("wijkteam", "corporatie-coordinator"):
        user = User.objects.get(username=username)
        queue = work_queue(user, visible_cases(user), today)
        open_cases = queue.count()
        with signed_in(user) as client:
            rows, floor = between_floors(client, RUNS, lambda: pages_of(client, user, queue))  # noqa: B023
        print(
            f"{username:<24}{'floor ' + FLOOR_PATH:<21}{'':>11}{floor['floor']:>9.1f}{'':>9}{'1×':>9}"
            f"   (before {floor['before']:.1f} ms, after {floor['after']:.1f} ms)"
        )
        for row in rows:
            ratio = page_ratio(row["page_ms"], floor["floor"])
            read, before = row.get("read"), row.get("before")
            print(
                f"{username:<24}{row['label']:<21}{open_cases:>11,}{row['page_ms']:>9.0f}{row['queries']:>9}"
                f"{ratio:>8.1f}×{f'{read:.0f}' if read else '—':>9}{f'{before:.0f}' if before else '—':>16}"
                f"{f'{before / read:.1f}×' if read else '—':>10}  {verdict(TARGET, ratio) if row['targeted'] else '—'}",
                flush=True,
            )
            if row["targeted"]:
                report.add(
                    TARGET,
                    ratio,
                    f"{username}, {row['label']}, {CASES:,} cases",
                    page_ms=round(row["page_ms"], 1),
                    floor_ms=round(floor["floor"], 2),
                    floor_before_ms=round(floor["before"], 2),
                    floor_after_ms=round(floor["after"], 2),
                    queries=row["queries"],
                )


if __name__ == "__main__":
    results = machine.Results("work_queue", machine.header("work queue"))
    ensure_data_set()
    measure(results)
