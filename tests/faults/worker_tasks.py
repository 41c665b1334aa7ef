"""A task for the several-workers test: it waits (bounded) until two different workers have claimed tasks,
so that both workers are shown to take work, then returns which process ran it."""

import os
import time

from django_tasks import task


@task()
def rendezvous(number):
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        claims = DBTaskResult.objects.exclude(worker_ids=[]).values_list("worker_ids", flat=True)
        if len({worker for ids in claims for worker in ids}) >= 2:
            break
        time.sleep(0.05)
    return {"number": number, "pid": os.getpid()}
