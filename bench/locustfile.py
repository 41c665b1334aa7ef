"""The scenarios of ``bench/load.py``: one class per endpoint, each user requesting it without pause.

Run by ``bench/load.py`` (``locust --headless ... <Scenario>`` against gunicorn on loopback); the
tokens, case ids and municipality come in through the environment. ``MinimalView`` (``/healthz``)
is the baseline the others are divided by.
"""

import itertools
import os
import random
import uuid

from locust import FastHttpUser, constant, task

TEAM_TOKEN = os.environ.get("BENCH_TEAM_TOKEN", "")
COORDINATOR_TOKEN = os.environ.get("BENCH_COORDINATOR_TOKEN", "")
SIGNAL_TOKEN = os.environ.get("BENCH_SIGNAL_TOKEN", "")
DETAIL_CASES = [int(pk) for pk in os.environ.get("BENCH_DETAIL_CASES", "0").split(",")]
MUNICIPALITY = os.environ.get("BENCH_MUNICIPALITY", "0")
RUN = uuid.uuid4().hex[:8]
NUMBERS = itertools.count(1)


class Scenario(FastHttpUser):
    """One endpoint, requested again and again without pause (Open Zaak's method: one scenario per run)."""

    abstract = True
    wait_time = constant(0)

    def get(self, path, token, name):
        headers = {"Authorization": f"Token {token}"} if token else {}
        with self.client.get(path, headers=headers, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class MinimalView(Scenario):
    @task
    def minimal_view(self):
        self.get("/healthz", "", "minimal view")


class TeamCaseList(Scenario):
    @task
    def team_case_list(self):
        self.get("/api/v1/cases/", TEAM_TOKEN, "case list, team case worker")


class CoordinatorCaseList(Scenario):
    @task
    def coordinator_case_list(self):
        self.get("/api/v1/cases/", COORDINATOR_TOKEN, "case list, coordinator")


class CaseDetail(Scenario):
    @task
    def case_detail(self):
        self.get(f"/api/v1/cases/{random.choice(DETAIL_CASES)}/", TEAM_TOKEN, "case detail")


class CreateSignal(Scenario):
    @task
    def create_signal(self):
        number = next(NUMBERS)
        body = {
            "contract_number": f"LOAD-{RUN}-{number}",
            "tenant_name": f"Belasting {number}",
            "street": "Singel",
            "house_number": str(number % 300 + 1),
            "postcode": "3312AB",
            "town": "Dordrecht",
            "municipality": MUNICIPALITY,
            "monthly_rent": "650.00",
            "arrears": "700.00",
            "established_on": "2026-11-02",
        }
        headers = {"Authorization": f"Token {SIGNAL_TOKEN}"}
        with self.client.post(
            "/api/v1/cases/signals/", json=body, headers=headers, name="create signal", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class Mixed(Scenario):
    """The soak (bench/soak.py): every endpoint in the proportions of a working day."""

    @task(5)
    def team_case_list(self):
        self.get("/api/v1/cases/", TEAM_TOKEN, "case list, team case worker")

    @task(2)
    def coordinator_case_list(self):
        self.get("/api/v1/cases/", COORDINATOR_TOKEN, "case list, coordinator")

    @task(8)
    def case_detail(self):
        self.get(f"/api/v1/cases/{random.choice(DETAIL_CASES)}/", TEAM_TOKEN, "case detail")

    @task(1)
    def create_signal(self):
        CreateSignal.create_signal(self)

    @task(1)
    def minimal_view(self):
        self.get("/healthz", "", "minimal view")
