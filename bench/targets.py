"""Every target of the benchmarks, each a ratio to a floor measured in the same run (issue 17).

A figure in milliseconds says as much about the machine as about the code; a ratio to what the same
machine does at its least in the same run (the same rows written by bare SQL, an empty Django view
through the same server) says how far the code is from that floor. ``bench/summary.py`` judges each
measured ratio against its target here and lists the targets nothing measured.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    what: str  # what is divided by what
    comparison: str  # "≥", "≤" or "<": the value must stand so to the bound
    bound: float
    measured_by: str  # the benchmark (bench/<name>.py) that reports it
    unit: str = "×"

    def met(self, value):
        if value is None:
            return False
        if self.comparison == "≥":
            return value >= self.bound
        if self.comparison == "≤":
            return value <= self.bound
        if self.comparison == "<":
            return value < self.bound
        raise ValueError(f"unknown comparison {self.comparison!r}")

    def text(self):
        return f"{self.comparison} {format_value(self.bound, self.unit)}"


def format_value(value, unit):
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:.2f}{unit}"


TARGETS = {
    "ledger_first": Target("ledger import, first snapshot: rows/s ÷ the bare-SQL floor's", "≥", 0.8, "ledger_import"),
    "ledger_follow_up": Target(
        "ledger import, follow-up snapshot: rows/s ÷ the bare-SQL floor's", "≥", 0.8, "ledger_import"
    ),
    "ledger_memory": Target("ledger import: peak memory of the process", "<", 1024, "ledger_import", "MB"),
    # Measured by the XLSX part of bench/ledger_import.py: Results.add("xlsx_vs_csv", xlsx_s / csv_s, ...).
    "xlsx_vs_csv": Target("XLSX of 50,000 rows: import seconds ÷ the same rows as CSV", "≤", 2.0, "ledger_import"),
    "api_detail": Target("API case detail, 16 users: median ÷ the minimal view's", "≤", 3.0, "load"),
    "api_team_list": Target("API case list (team case worker), 16 users: median ÷ minimal", "≤", 5.0, "load"),
    "api_coordinator_list": Target("API case list (coordinator), 16 users: median ÷ minimal", "≤", 5.0, "load"),
    "api_signal": Target("API create signal, 16 users: median ÷ the minimal view's", "≤", 6.0, "load"),
    "audit_overhead": Target("audit: case detail at 16 users, audited ÷ unaudited req/s", "≥", 0.9, "audit_overhead"),
    # The pages rendered in process (bench/pages.py): each median over the floor's, the same signed-in user's
    # notifications page with none (FLOOR_PATH) through the same test client, measured with the same number of
    # renderings right before and after the pages (the mean of the two). Each bound is the millisecond target it
    # replaces divided by that floor as measured on the 2-core development machine on 1 December 2026 at commit
    # 72274d2 (wz_pages_national, 20,000 cases; 43 medians of seven, four users): median 28 ms (quartiles 24 and
    # 32 ms; /healthz through the same client 8 ms), the load average 3.0-3.7 from other engineers' benchmarks.
    # The millisecond targets were met on a machine that served an empty view 2.5 times faster (issue 17), and
    # quieter (load average 0.7 before the work queue's figures of 26 November): its floor was lower, so the
    # multiple a millisecond target allowed there was larger. These bounds are at least as strict as the
    # targets they replace; to be derived again from a floor on a quiet machine if they prove stricter.
    # bench/work_queue.py, TARGET_MS = 100 ("the first page of the queue, of a filter and of a search"): 100 / 28.
    "work_queue_page": Target(
        "work queue, first page or a filter or search: median ÷ minimal page", "≤", 3.6, "work_queue"
    ),
    # bench/audit_search.py, TARGET_MS = 200 ("the privacy officer's search page"): 200 / 28.
    "audit_search_page": Target("privacy officer's audit search: median ÷ minimal page", "≤", 7.1, "audit_search"),
    # bench/monitoring_dashboard.py, "under half a second for any selection": 500 / 28.
    "monitoring_page": Target(
        "monitoring dashboard, a selection: median ÷ minimal page", "<", 18.0, "monitoring_dashboard"
    ),
}
