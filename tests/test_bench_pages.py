"""The page benchmarks' floor: measured right before and after the pages, each page judged as a multiple of it."""

from types import SimpleNamespace

import pytest
from bench import pages
from bench.summary import MISS, NOT_MEASURED, PASS, summary_rows
from bench.targets import TARGETS


class Client:
    """Answers every GET with 200 and remembers the paths asked for."""

    def __init__(self, log):
        self.log = log

    def get(self, path):
        self.log.append(path)
        return SimpleNamespace(status_code=200)


def test_the_floor_is_measured_right_before_and_right_after_the_pages(monkeypatch):
    log, floors = [], iter([20.0, 30.0])
    monkeypatch.setattr(pages, "median_ms", lambda function, runs: (function(), next(floors))[1])

    def measure():
        log.append("measured")
        return "pages"

    measured, floor = pages.between_floors(Client(log), 7, measure)

    assert measured == "pages"
    assert floor == {"before": 20.0, "after": 30.0, "floor": 25.0}  # the mean of the two ends
    # One rendering not counted, then the counted ones, on each side of the pages.
    assert log == [pages.FLOOR_PATH, pages.FLOOR_PATH, "measured", pages.FLOOR_PATH, pages.FLOOR_PATH]


def test_a_floor_page_that_does_not_answer_stops_the_benchmark():
    client = SimpleNamespace(get=lambda path: SimpleNamespace(status_code=302))
    with pytest.raises(AssertionError, match=pages.FLOOR_PATH):
        pages.floor_ms(client, 3)


def test_a_page_is_reported_as_a_multiple_of_the_floor():
    assert pages.page_ratio(100.0, 28.0) == 3.57
    assert pages.page_ratio(28.0, 28.0) == 1.0
    assert pages.page_ratio(50.0, 0) is None  # nothing to divide by: no ratio, never a pass
    assert pages.page_ratio(None, 28.0) is None


@pytest.mark.parametrize(
    ("key", "bound"), [("work_queue_page", 3.6), ("audit_search_page", 7.1), ("monitoring_page", 18.0)]
)
def test_each_page_target_is_a_bound_on_the_multiple(key, bound):
    assert TARGETS[key].bound == bound and TARGETS[key].unit == "×"
    below, above = round(bound - 0.01, 2), round(bound + 0.01, 2)
    assert pages.verdict(key, below) == PASS
    assert pages.verdict(key, above) == MISS
    assert pages.verdict(key, None) == MISS


def test_at_the_bound_the_work_queue_passes_and_the_dashboard_does_not():
    assert pages.verdict("work_queue_page", 3.6) == PASS  # "within": at most
    assert pages.verdict("audit_search_page", 7.1) == PASS
    assert pages.verdict("monitoring_page", 18.0) == MISS  # "under": strictly below


def test_the_summary_judges_the_page_ratios_and_names_those_not_measured():
    machine = {"commit": "abc1234", "date": "2026-12-01 16:00:00 UTC", "load_average": [1, 1, 1], "run": "pages-1"}
    measures = [
        {"target": "work_queue_page", "value": 2.1, "label": "wijkteam, first page", "failures": 0},
        {"target": "work_queue_page", "value": 3.7, "label": "wijkteam, search: name", "failures": 0},
    ]
    rows = summary_rows([{"benchmark": "work_queue", "run": "pages-1", "machine": machine, "measures": measures}])
    verdicts = {(row["benchmark"], row["label"]): (row["value"], row["verdict"]) for row in rows}

    assert verdicts["work_queue", "wijkteam, first page"] == ("2.10×", PASS)
    assert verdicts["work_queue", "wijkteam, search: name"] == ("3.70×", MISS)
    assert verdicts["audit_search", ""] == ("—", NOT_MEASURED)
    assert verdicts["monitoring_dashboard", ""] == ("—", NOT_MEASURED)
