"""What the audit trail costs a request: the API's case detail at 16 users, with and without its entry.

Two production servers (gunicorn, ``gunicorn.conf.py``) on one PostgreSQL data set: one as in production,
with the task worker (``manage.py db_worker``) chaining and sealing every ``AUDIT_SEAL_INTERVAL`` seconds
beside it; one whose ``audit.services.record`` is a no-op (``bench/wsgi_audit_off.py``, never a setting).
Runs of ``BENCH_SECONDS`` (default 20) alternate between them ``BENCH_ROUNDS`` times (default 3), so the
noise of a shared machine falls on both alike. Prints requests per second and medians per run and the
overhead: 1 - (audited requests per second / unaudited), target at most 10%, given to the summary as
audited ÷ unaudited requests per second (at least 0.9), of the medians and of the median pair.

Run: ``PYTHONPATH=src:. .venv/bin/python -m bench.audit_overhead`` (part of ``make bench``);
``BENCH_CASES=20000`` for a quick data set (the load benchmark's; ``BENCH_LOAD_DATABASE`` to choose one).
"""

import os
import secrets
import statistics
import subprocess
import sys
import time

from bench import machine
from bench.load import (
    CASES,
    DETAIL,
    ROOT,
    SECONDS,
    WORK,
    ensure_data_set,
    prepare_users,
    run_locust,
    server_environment,
    start_server,
)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
USERS = 16
AUDITED_PORT = int(os.environ.get("BENCH_PORT", "8765"))
UNAUDITED_PORT = AUDITED_PORT + 1
TARGET = 0.10


def chain_what_is_waiting():
    """One chainer pass before measuring (a data set filled by other benchmarks may hold unchained entries)."""
    start = time.perf_counter()
    env = server_environment(AUDITED_PORT)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "seal_audit"], env=env, check=True, capture_output=True, text=True
    )
    print(f"  before measuring: {result.stdout.strip()} ({time.perf_counter() - start:.0f} s)", flush=True)


def start_worker(log):
    """The task worker with the production settings: the audit chainer, queued first."""
    env = {**server_environment(AUDITED_PORT), "AUDIT_SEAL_INTERVAL": os.environ.get("AUDIT_SEAL_INTERVAL", "5")}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "seal_audit", "--schedule"], env=env, check=True, capture_output=True)
    return subprocess.Popen([*manage, "db_worker"], env=env, stdout=log, stderr=subprocess.STDOUT)


def unchained(environment):
    from woonzeker.audit.models import AuditEntry

    return AuditEntry.objects.filter(position__isnull=True).count()


def main():
    report = machine.Results("audit_overhead", machine.header("audit overhead"))
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_data_set()  # a fresh data set removes the seal file and its key
    # One seal key for the benchmark's seal file (var/bench/), kept beside it: every pass signs with it.
    key_file = WORK / "audit_seal_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
    os.environ.setdefault("AUDIT_SEAL_KEY", key_file.read_text().strip())
    environment = prepare_users()
    print(f"audit overhead: case detail (API), {USERS} users, {ROUNDS} rounds of {SECONDS} s each way", flush=True)
    chain_what_is_waiting()
    load_before = os.getloadavg()[0]
    runs = {"audited": [], "not audited": []}
    with open(WORK / "audit-overhead.log", "w") as log:
        audited = start_server(log, AUDITED_PORT)
        unaudited = start_server(log, UNAUDITED_PORT, app="bench.wsgi_audit_off:application")
        # BENCH_AUDIT_WORKER=0: no chainer during the runs (to see what the inserts alone cost).
        worker = start_worker(log) if os.environ.get("BENCH_AUDIT_WORKER", "1") != "0" else None
        try:
            for round_number in range(1, ROUNDS + 1):
                order = [("audited", AUDITED_PORT), ("not audited", UNAUDITED_PORT)]
                if round_number % 2 == 0:
                    order.reverse()  # interleaved: neither always runs first
                for label, port in order:
                    figures = run_locust(DETAIL, USERS, environment, port=port)[DETAIL]
                    runs[label].append(figures)
                    print(
                        f"  round {round_number}, {label:<11}: {figures['rps']:7.1f} req/s, median "
                        f"{figures['median']:.0f} ms, p95 {figures['p95']:.0f} ms, {figures['failures']} failed",
                        flush=True,
                    )
            if worker is not None:
                time.sleep(int(os.environ.get("AUDIT_SEAL_INTERVAL", "5")) + 2)  # the chainer's last pass
            waiting = unchained(environment)
        finally:
            processes = [p for p in (audited, unaudited, worker) if p is not None]
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
    with_audit = statistics.median(r["rps"] for r in runs["audited"])
    without = statistics.median(r["rps"] for r in runs["not audited"])
    overhead = 1 - with_audit / without
    # Each round's pair ran back to back, so its ratio carries less of the machine's drift than the medians do.
    paired = statistics.median(
        1 - a["rps"] / n["rps"] for a, n in zip(runs["audited"], runs["not audited"], strict=True)
    )
    print()
    print(
        f"Audit overhead on {CASES:,} cases, {os.cpu_count()} cores (other work included: load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    print(
        f"  case detail, {USERS} users, median of {ROUNDS} runs: {with_audit:.1f} req/s audited, "
        f"{without:.1f} req/s not audited"
    )
    print(
        f"  overhead: {overhead:.1%} of the medians; {paired:.1%} the median of each round's pair "
        f"(target at most {TARGET:.0%}: {'met' if max(overhead, paired) <= TARGET else 'NOT MET'})"
    )
    failed = sum(r["failures"] for rs in runs.values() for r in rs)
    report.add("audit_overhead", round(with_audit / without, 3), f"medians of {ROUNDS} runs", failures=failed)
    report.add("audit_overhead", round(1 - paired, 3), f"median of {ROUNDS} pairs", failures=failed)
    print(
        f"  entries not yet chained {int(os.environ.get('AUDIT_SEAL_INTERVAL', '5')) + 2} s after the last run: "
        f"{waiting}"
    )


if __name__ == "__main__":
    main()
