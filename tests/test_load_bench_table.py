"""The load benchmark's table: figures from locust's CSV, ratios to the minimal view, PASS or MISS against
the targets on those ratios."""

import io

from bench.load import DETAIL, MINIMAL, TEAM_LIST, both_ends, format_table, read_stats, result_rows


def stats(median, p95, rps=10.0, failures=0):
    return {"requests": 100, "failures": failures, "median": median, "mean": median * 1.5, "p95": p95, "rps": rps}


def test_reads_locusts_csv():
    text = (
        '"Type","Name","Request Count","Failure Count","Average Response Time","Requests/s","50%","95%"\n'
        '"GET","case detail","120","1","24.8","12.5","21","40"\n'
        '"","Aggregated","120","1","24.8","12.5","21","40"\n'
    )
    assert read_stats(io.StringIO(text)) == {
        "case detail": {"requests": 120, "failures": 1, "median": 21.0, "mean": 24.8, "p95": 40.0, "rps": 12.5}
    }


def test_ratios_targets_and_open_zaak_beside_them():
    results = {
        1: {TEAM_LIST: stats(30, 60), MINIMAL: stats(2, 4)},
        16: {TEAM_LIST: stats(40, 160), DETAIL: stats(15, 50), MINIMAL: stats(5, 9)},
    }
    rows = {(row["users"], row["endpoint"]): row for row in result_rows(results)}
    assert rows[1, TEAM_LIST]["ratio"] == 15
    assert rows[1, TEAM_LIST]["met"] == ""  # no target for one user
    assert rows[16, TEAM_LIST]["ratio"] == 8
    assert rows[16, TEAM_LIST]["met"] == "MISS"  # 8 times the minimal view, the target at most 5
    assert rows[16, DETAIL]["ratio"] == 3 and rows[16, DETAIL]["met"] == "PASS"  # at most 3: met on the bound
    assert rows[16, DETAIL]["open_zaak"] == "240-310" and rows[1, TEAM_LIST]["open_zaak"] == "140-240"
    assert rows[16, MINIMAL]["ratio"] is None and rows[16, MINIMAL]["open_zaak"] == ""
    table = format_table(result_rows(results))
    assert "≤ 5.00×" in table and "15.0×" in table
    assert table.splitlines()[0].split()[2:6] == ["median", "ms", "mean", "ms"]


def test_failed_requests_fail_the_target():
    rows = result_rows({16: {DETAIL: stats(1, 2, failures=3), MINIMAL: stats(1, 2)}})
    assert rows[0]["met"] == "MISS"


def test_no_minimal_view_no_pass():
    rows = result_rows({16: {DETAIL: stats(1, 2)}})
    assert rows[0]["ratio"] is None and rows[0]["met"] == "MISS"


def test_the_floor_is_the_mean_of_the_minimal_views_first_and_last_run():
    floor = both_ends([stats(4, 8, rps=1000, failures=1), stats(6, 12, rps=800)])
    assert floor["median"] == 5 and floor["rps"] == 900 and floor["p95"] == 12
    assert floor["requests"] == 200 and floor["failures"] == 1
