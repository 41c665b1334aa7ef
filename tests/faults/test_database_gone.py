"""Database gone mid-request: a PostgreSQL cluster of the test's own is stopped while requests run.

Users get "temporarily unavailable" (a 503 page, or a 503 problem from the API), nothing is half-written,
and the same server process serves again by itself when the database is back."""

import itertools
import json
import re
import subprocess
import threading
import uuid

import pytest
from django.db import connection

from tests.faults.processes import (
    ProductionServer,
    ThrowAwayCluster,
    can_run_a_cluster,
    manage,
    new_signal,
    seed,
    wait_until,
)

pytestmark = [
    pytest.mark.skipif(not can_run_a_cluster(), reason="needs PostgreSQL's initdb (and runuser when run as root)"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="runs once per CI run, in the PostgreSQL leg (it starts a PostgreSQL cluster of its own)",
    ),
]


@pytest.fixture(scope="module")
def cluster():
    cluster = ThrowAwayCluster().create()
    try:
        manage(cluster.url, "migrate", "--noinput")
        yield cluster
    finally:
        cluster.destroy()


def test_requests_while_the_database_goes_away_and_comes_back(cluster, tmp_path):
    world = seed(cluster.url)
    api = {"Authorization": f"Token {world['token']}"}
    sent = {}  # contract -> (idempotency key, statuses seen)
    answers = []  # every status, in the order the answers came

    with ProductionServer(cluster.url, tmp_path) as server:
        pid = server.process.pid

        def send(number):
            key = sent.setdefault(number, (str(uuid.uuid4()), []))[0]
            status, headers, body = server.request(
                "POST", "/api/v1/cases/signals/", new_signal(world, "STORING", number), {**api, "Idempotency-Key": key}
            )
            sent[number][1].append(status if status else body)
            answers.append(status)
            return status, headers, body

        # Up: everything answers.
        assert server.get("/readyz")[0] == 200
        assert send(0)[0] == 201

        # Requests keep coming while the database is stopped (an immediate stop: connections are cut).
        stop = threading.Event()
        counter = itertools.count(1)

        def keep_sending():
            while not stop.is_set():
                send(next(counter))

        writer = threading.Thread(target=keep_sending)
        writer.start()
        try:
            wait_until(lambda: len(sent) > 3, 30, "a few signals sent before the stop")
            cluster.stop()

            # Down: a clear 503 everywhere, nothing else.
            wait_until(lambda: server.get("/readyz")[0] == 503, 30, "readyz reporting the database gone")
            assert server.get("/healthz")[0] == 200  # the process itself is up
            status, headers, body = server.get("/api/v1/cases/", api)
            assert status == 503
            assert headers["Content-Type"] == "application/problem+json"
            assert headers["Retry-After"] == "30"
            assert "temporarily unavailable" in json.loads(body)["detail"]
            status, headers, body = server.get("/inloggen/")
            assert status == 200  # a page that needs no database still works
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
            cookie = headers["Set-Cookie"].split(";")[0]
            credentials = {"username": world["username"], "password": world["password"], "csrfmiddlewaretoken": token}
            status, headers, body = server.request("POST", "/inloggen/", credentials, {"Cookie": cookie}, form=True)
            assert status == 503
            assert "Woonzeker is tijdelijk niet beschikbaar" in body
            assert "Er is niets gewijzigd" in body
            wait_until(lambda: any(503 in statuses for _key, statuses in sent.values()), 30, "a write refused")

            cluster.start()
            restarted = len(answers)
            # Back: the same process serves again without being restarted.
            wait_until(lambda: server.get("/readyz")[0] == 200, 60, "readyz recovering by itself")
            wait_until(lambda: 201 in answers[restarted:], 60, "writes succeeding again")
        finally:
            stop.set()
            writer.join(timeout=60)
        assert server.process.pid == pid and server.process.poll() is None

        every_status = {status for _key, statuses in sent.values() for status in statuses}
        assert every_status <= {201, 503}, f"only created or temporarily unavailable, never {every_status}"
        # The client retries what was refused, with the same key: each signal ends up created exactly once.
        for number, (_key, statuses) in sorted(sent.items()):
            if statuses[-1] != 201:
                assert send(number)[0] == 201

    counts = manage(
        cluster.url,
        "shell",
        "-c",
        "import json; from woonzeker.cases.models import Case; from woonzeker.tenancies.models import Tenancy;"
        "print(json.dumps({'cases': sorted(Case.objects.values_list('tenancy__contract_number', flat=True)),"
        "'tenancies': Tenancy.objects.count()}))",
    )
    stored = json.loads(counts.stdout.strip().splitlines()[-1])
    assert stored["cases"] == sorted(f"STORING-{n}" for n in sent)  # each once, none half-written
    assert stored["tenancies"] == len(sent)
    manage(cluster.url, "seal_audit")  # the chainer's pass (the task worker, in production)
    verify = manage(cluster.url, "verify_audit", check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_the_cluster_helper_really_stops_the_database(cluster):
    """The fault is real: with the cluster stopped, a plain connection is refused."""
    cluster.stop()
    try:
        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "-c", "SELECT 1"],
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0
    finally:
        cluster.start()
