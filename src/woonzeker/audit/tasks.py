"""The chainer as a task (django-tasks, database backend; the worker is ``manage.py db_worker``).

``seal_trail_task`` chains and seals, then queues itself again ``AUDIT_SEAL_INTERVAL`` seconds later, unless
another is already waiting: one pass at a time keeps going for as long as a worker runs. ``schedule()``
(``manage.py schedule_tasks`` or ``seal_audit --schedule``, ``make run``, ``make serve``, and ``run_daily`` in
case it stopped) starts it, and is safe to call again.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from woonzeker.audit.seals import seal_trail


def _waiting():
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=seal_trail_task.module_path, status=TaskResultStatus.READY)


def schedule(delay=0):
    """Queue the next pass ``delay`` seconds from now, unless one is already waiting; returns whether queued."""
    if _waiting().exists():
        return False
    seal_trail_task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue()
    return True


@task()
def seal_trail_task():
    try:
        chained, seal = seal_trail()
    finally:  # a failed pass (the database away for a moment) is tried again at the next interval
        schedule(settings.AUDIT_SEAL_INTERVAL)
    return {"chained": chained, "sealed_position": seal["position"] if seal else None}
