"""The closing table of ``make bench`` and ``make bench-quick``: every ratio, its target, PASS or MISS.

Reads ``var/bench/result-*.json`` (written by ``bench.machine.Results``) of this run (``BENCH_RUN``; every
result file when it is not set), and lists beside what was measured each target of ``bench/targets.py``
nothing measured. A printout: the make target does not fail on a MISS (no test asserts timings).

Run: ``PYTHONPATH=src:. .venv/bin/python -m bench.summary`` (last in ``make bench``).
"""

import json
import os

from bench.machine import WORK, header_lines
from bench.targets import TARGETS, format_value

PASS, MISS, NOT_MEASURED = "PASS", "MISS", "not measured"


def read_results(directory=WORK, run=None):
    """The result files of ``run`` (all of them when None), in the order their benchmarks started."""
    results = []
    for path in sorted(directory.glob("result-*.json")):
        content = json.loads(path.read_text())
        if run is None or content.get("run") == run:
            results.append(content)
    return sorted(results, key=lambda content: content["machine"]["date"])


def summary_rows(results, targets=TARGETS):
    """One row per measured ratio, judged against its target, then one per target nothing measured."""
    rows, measured = [], set()
    for content in results:
        for measure in content["measures"]:
            target = targets[measure["target"]]
            measured.add(measure["target"])
            rows.append(
                {
                    "benchmark": content["benchmark"],
                    "what": target.what,
                    "label": measure["label"]
                    + (f", {failures} failed" if (failures := measure.get("failures")) else ""),
                    "value": format_value(measure["value"], target.unit),
                    "target": target.text(),
                    "verdict": PASS if target.met(measure["value"]) and not failures else MISS,
                }
            )
    for key, target in targets.items():
        if key not in measured:
            rows.append(
                {
                    "benchmark": target.measured_by,
                    "what": target.what,
                    "label": "",
                    "value": "—",
                    "target": target.text(),
                    "verdict": NOT_MEASURED,
                }
            )
    return rows


def format_summary(rows, results):
    lines = []
    commits = sorted({content["machine"]["commit"] for content in results})
    if len(commits) > 1:
        lines.append(f"WARNING: the results come from different commits: {', '.join(commits)}")
    for content in results:
        lines.extend(header_lines(content["benchmark"], content["machine"]))
        if "load_average_now" in content:
            lines.append(
                f"   load average at its last ratio: {' / '.join(f'{x:.2f}' for x in content['load_average_now'])}"
            )
    width = max([len(f"{row['what']} {row['label']}".strip()) for row in rows] + [10])
    heading = f"{'measure':<{width}}  {'value':>10}  {'target':>11}  verdict"
    lines += ["", heading, "-" * len(heading)]
    for row in rows:
        what = f"{row['what']} ({row['label']})" if row["label"] else row["what"]
        lines.append(f"{what:<{width + 2}}{row['value']:>10}  {row['target']:>11}  {row['verdict']}")
    verdicts = [row["verdict"] for row in rows]
    lines.append(
        f"{verdicts.count(PASS)} PASS, {verdicts.count(MISS)} MISS, {verdicts.count(NOT_MEASURED)} not measured"
    )
    return "\n".join(lines)


def main():
    results = read_results(run=os.environ.get("BENCH_RUN"))
    print()
    print("== summary: every ratio measured in this run, against its target ==")
    print(format_summary(summary_rows(results), results))


if __name__ == "__main__":
    main()
