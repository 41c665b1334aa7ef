"""Several task workers on one PostgreSQL database, as docs/deploy.md runs them: each task is taken by one
worker, once (django-tasks-db claims a task with SELECT ... FOR UPDATE SKIP LOCKED), and both take work."""

import json
import subprocess

import pytest
from django.db import connection

from tests.faults.processes import PROJECT, PYTHON, environment, manage

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="several workers run on PostgreSQL")

TASKS = 20
QUEUE = f"from tests.faults.worker_tasks import rendezvous\nfor n in range({TASKS}): rendezvous.enqueue(n)"
RESULTS = (
    "import json; from django_tasks_db.models import DBTaskResult;"
    "print(json.dumps([(r.status, r.worker_ids, r.return_value) for r in DBTaskResult.objects.filter("
    "task_path='tests.faults.worker_tasks.rendezvous')]))"
)


def test_two_workers_on_postgresql_each_take_distinct_tasks_and_none_twice(database):
    manage(database.url, "shell", "-c", QUEUE)
    command = [PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0.1"]
    workers = [
        subprocess.Popen(
            command, cwd=PROJECT, env=environment(database.url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )  # fmt: skip
        for _ in range(2)
    ]
    for worker in workers:
        _out, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors.decode()
    results = json.loads(manage(database.url, "shell", "-c", RESULTS).stdout.strip().splitlines()[-1])
    assert len(results) == TASKS
    assert {status for status, _ids, _value in results} == {"SUCCESSFUL"}
    assert all(len(ids) == 1 for _status, ids, _value in results), "a task was claimed twice"
    assert sorted(value["number"] for _status, _ids, value in results) == list(range(TASKS))
    by_worker = {}
    for _status, (worker_id,), value in results:
        by_worker.setdefault(worker_id, set()).add(value["number"])
    assert len(by_worker) == 2, "one worker took every task"
    first, second = by_worker.values()
    assert first.isdisjoint(second)
    assert len({value["pid"] for _s, _i, value in results}) == 2
