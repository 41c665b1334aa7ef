"""Soak: a bounded mixed load on the production server, watching for errors and for memory that grows.

The same server and data set as ``bench/load.py`` (gunicorn with production settings on loopback, the
1,000,000-case data set), ``SOAK_USERS`` locust users (default 8) requesting a working day's mix of
endpoints without pause for ``SOAK_SECONDS`` (default 180). Every ``SOAK_SAMPLE_SECONDS`` (default 15)
the resident memory of the gunicorn workers is read. Printed: requests, failures, throughput, and the
workers' memory after the first sample (warmed up) and at the end, with the growth between them.

Run: ``PYTHONPATH=src:. .venv/bin/python -m bench.soak`` (part of ``make bench``).
"""

import os
import subprocess
import time

import psutil

from bench import load, machine

USERS = int(os.environ.get("SOAK_USERS", "8"))
SECONDS = int(os.environ.get("SOAK_SECONDS", "180"))
SAMPLE_SECONDS = int(os.environ.get("SOAK_SAMPLE_SECONDS", "15"))


def worker_memory(server):
    """Resident memory of each gunicorn worker, in MB (the master forks them)."""
    return [child.memory_info().rss / 2**20 for child in psutil.Process(server.pid).children()]


def main():
    machine.header("soak")
    load.WORK.mkdir(parents=True, exist_ok=True)
    load.ensure_data_set()
    environment = load.prepare_users()
    prefix = load.WORK / "soak"
    with open(load.WORK / "soak-gunicorn.log", "w") as log:
        server = load.start_server(log)
        try:
            command = load.locust_command("Mixed", USERS, SECONDS, prefix)
            locust = subprocess.Popen(command, env={**os.environ, **environment}, stdout=subprocess.DEVNULL)
            samples = []
            deadline = time.monotonic() + SECONDS + 60
            while locust.poll() is None and time.monotonic() < deadline:
                time.sleep(SAMPLE_SECONDS)
                samples.append((round(time.monotonic()), worker_memory(server)))
                print(f"  workers' memory: {', '.join(f'{mb:.0f} MB' for mb in samples[-1][1])}", flush=True)
            locust.wait(timeout=60)
        finally:
            server.terminate()
            server.wait(timeout=30)
    with open(f"{prefix}_stats.csv", newline="") as handle:
        stats = load.read_stats(handle)
    requests = sum(s["requests"] for s in stats.values())
    failures = sum(s["failures"] for s in stats.values())
    first, last = sum(samples[0][1]), sum(samples[-1][1])
    print()
    print(f"Soak: {USERS} users, {SECONDS} s, mixed endpoints, {load.CASES:,} cases")
    print(f"  requests {requests:,}, failures {failures}, {requests / SECONDS:.0f} requests/s")
    for name, figures in sorted(stats.items()):
        print(
            f"  {name:<30} {figures['requests']:>8,} requests, median {figures['median']:.0f} ms, p95 {figures['p95']:.0f} ms"
        )
    print(
        f"  workers' memory after warm-up {first:.0f} MB, at the end {last:.0f} MB: {100 * (last - first) / first:+.1f}%"
    )
    if failures:
        print("  FAILURES: see the lines above and var/bench/soak_failures.csv")


if __name__ == "__main__":
    main()
