"""Benchmark: the work queue (the home page of every party with case files) over 1,000,000 cases.

On the load benchmark's data set (``bench/load.py``, generated if missing), it renders the work queue
as a case worker of a social team (68,000 open cases) and as a corporation's coordinator (124,000),
first page, a page far in, and filtered on overdue cases, through the whole view (template included),
and prints the median of seven renderings and the queries per page. Beside it, the page's cases read
as now (``selectors.queue_page``) and as before decision 76 (full case rows sorted, then the page cut),
and the ratio of the two; then a search for one household by name, contract number and postcode
(served by the trigram indexes of ``tenancies/migrations/0005_search_indexes``). Target: the pages
people open, the first page of the queue, of a filter and of a search, within 100 ms at this scale; a
page far in (an offset of ten thousand) is shown without a target.

Run: ``PYTHONPATH=src:. .venv/bin/python -m bench.work_queue`` (part of ``make bench``).
"""

from urllib.parse import urlencode

from bench import machine
from bench.load import DATABASE_URL, ensure_data_set
from bench.pages import get_page, median_ms, signed_in

TARGET_MS = 100
RUNS = 7


def measure():
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

    def row(username, label, open_cases, page_ms, queries, read="—", before="—", ratio="—", met="—"):
        print(
            f"{username:<24}{label:<21}{open_cases:>11,}{page_ms:>9.0f}{queries:>9}{read:>9}{before:>16}{ratio:>10}"
            f"  {met}",
            flush=True,
        )

    def within_target(page_ms):
        return "met" if page_ms <= TARGET_MS else "NOT MET"

    print(f"Work queue on 1,000,000 cases; median of {RUNS} renderings; target: a page within {TARGET_MS} ms")
    header = f"{'who':<24}{'page':<21}{'open cases':>11}{'page ms':>9}{'queries':>9}"
    print(f"{header}{'read ms':>9}{'read before ms':>16}{'× faster':>10}  target (≤{TARGET_MS} ms)")
    for username in ("wijkteam", "corporatie-coordinator"):
        user = User.objects.get(username=username)
        queue = work_queue(user, visible_cases(user), today)
        open_cases = queue.count()
        with signed_in(user) as client:
            for label, path, number, deadline in (
                ("first page", "/", 1, ""),
                ("overdue, first page", "/?deadline=overdue", 1, "overdue"),
                ("page 200", "/?pagina=200", 200, ""),
            ):
                page_ms, queries = page_timings(client, path)
                read = read_timings(queue_page, user, number, deadline)
                before = read_timings(full_rows, user, number, deadline)
                met = within_target(page_ms) if number == 1 else "—"
                row(
                    username,
                    label,
                    open_cases,
                    page_ms,
                    queries,
                    f"{read:.0f}",
                    f"{before:.0f}",
                    f"{before / read:.1f}×",
                    met,
                )
            # A search for one household, as people type it: (part of) a name, a contract number, a postcode.
            household = queue.select_related("tenancy").last().tenancy
            for label, term in (
                ("search: name", household.tenant_name.lower()),
                ("search: contract", household.contract_number),
                ("search: postcode", f"{household.postcode[:4]} {household.postcode[4:]}"),
            ):
                page_ms, queries = page_timings(client, f"/?{urlencode({'q': term})}")
                row(username, label, open_cases, page_ms, queries, met=within_target(page_ms))


if __name__ == "__main__":
    machine.header("work queue")
    ensure_data_set()
    measure()
