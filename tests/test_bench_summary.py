"""The closing table of the benchmarks: each measured ratio judged against its target, none forgotten."""

import json

from bench.machine import Results
from bench.summary import MISS, NOT_MEASURED, PASS, format_summary, read_results, summary_rows
from bench.targets import TARGETS, Target

MACHINE = {
    "commit": "abc1234",
    "date": "2026-12-01 14:00:00 UTC",
    "load_average": [1.0, 2.0, 3.0],
    "cores": 2,
    "memory_gb": 7.8,
    "python": "3.11.2",
    "postgresql": "15.8",
    "run": "quick-1",
}


def result(benchmark, *measures, machine=MACHINE):
    return {
        "benchmark": benchmark,
        "run": machine["run"],
        "machine": machine,
        "measures": [{"target": t, "value": v, "label": label, "failures": f} for t, v, label, f in measures],
    }


def by_target(rows):
    return {(row["what"], row["label"]): row["verdict"] for row in rows}


def test_a_ratio_at_least_its_floor_share_passes_and_below_misses():
    measures = ("ledger_first", 0.8, "250,000 rows", 0), ("ledger_follow_up", 0.79, "250,000 rows", 0)
    rows = summary_rows([result("ledger_import", *measures)])
    verdicts = by_target(rows)
    assert verdicts[TARGETS["ledger_first"].what, "250,000 rows"] == PASS  # at least 0.8: the bound passes
    assert verdicts[TARGETS["ledger_follow_up"].what, "250,000 rows"] == MISS


def test_a_multiple_of_the_minimal_view_at_most_its_bound_passes():
    rows = summary_rows([result("load", ("api_detail", 3.0, "", 0), ("api_signal", 6.1, "", 0))])
    verdicts = by_target(rows)
    assert verdicts[TARGETS["api_detail"].what, ""] == PASS
    assert verdicts[TARGETS["api_signal"].what, ""] == MISS


def test_memory_must_stay_strictly_under_a_gigabyte():
    rows = summary_rows([result("ledger_import", ("ledger_memory", 1024, "first", 0), ("ledger_memory", 419, "f", 0))])
    assert [row["verdict"] for row in rows if row["benchmark"] == "ledger_import"][:2] == [MISS, PASS]
    assert rows[0]["value"] == "1,024 MB" and rows[0]["target"] == "< 1,024 MB"


def test_failed_requests_or_no_value_miss_whatever_the_ratio():
    rows = summary_rows([result("load", ("api_detail", 1.0, "", 2), ("api_team_list", None, "", 0))])
    assert rows[0]["verdict"] == MISS and rows[0]["label"] == ", 2 failed"
    assert rows[1]["verdict"] == MISS and rows[1]["value"] == "—"


def test_every_target_nothing_measured_is_listed():
    targets = {"a": Target("a ÷ floor", "≥", 0.8, "one"), "b": Target("b ÷ floor", "≤", 2.0, "other")}
    rows = summary_rows([result("one", ("a", 0.9, "", 0))], targets)
    assert [(row["what"], row["verdict"], row["benchmark"]) for row in rows] == [
        ("a ÷ floor", PASS, "one"),
        ("b ÷ floor", NOT_MEASURED, "other"),
    ]


def test_the_table_names_the_commit_and_warns_of_mixed_commits():
    results = [
        result("ledger_import", ("ledger_first", 0.9, "", 0)),
        result("load", ("api_detail", 4.0, "", 0), machine={**MACHINE, "commit": "def5678"}),
    ]
    text = format_summary(summary_rows(results), results)
    assert "different commits: abc1234, def5678" in text
    assert "commit abc1234" in text and "load average 1.00 / 2.00 / 3.00" in text
    assert text.splitlines()[-1].startswith("1 PASS, 1 MISS,")


def test_results_written_by_a_benchmark_are_read_back_for_its_run_only(tmp_path, monkeypatch):
    monkeypatch.setattr("bench.machine.WORK", tmp_path)
    results = Results("load", MACHINE)
    results.add("api_detail", 2.5, "20,000 cases", median_ms=20)
    (tmp_path / "result-old.json").write_text(json.dumps(result("old", machine={**MACHINE, "run": "earlier"})))
    read = read_results(tmp_path, run=results.content["run"])
    assert [content["benchmark"] for content in read] == ["load"]
    assert read[0]["measures"][0]["figures"] == {"median_ms": 20}
