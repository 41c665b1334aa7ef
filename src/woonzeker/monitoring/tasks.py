"""The monitoring figures refreshed by the task worker after every change that moves them.

A case's move (``cases.services``, every ``CaseEvent``) and a ledger import queue ``refresh_figures_task``
when their transaction commits, unless a refresh is already waiting: however many changes come in, at most
one refresh is queued at a time, and the one waiting counts them all. ``run_daily`` refreshes too."""

from django.db import transaction
from django_tasks import task

from woonzeker.monitoring.refresh import refresh_figures


def _waiting():
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=refresh_figures_task.module_path, status=TaskResultStatus.READY)


def schedule_refresh():
    """Queue a refresh unless one is already waiting; returns whether one was queued."""
    if _waiting().exists():
        return False
    refresh_figures_task.enqueue()
    return True


def refresh_after_commit():
    """Queue a refresh once the current transaction commits (at once outside one); a transaction of many
    changes (a demo's thousands of events) registers it once."""
    connection = transaction.get_connection()
    if any(entry[1] is schedule_refresh for entry in connection.run_on_commit):
        return
    transaction.on_commit(schedule_refresh)


@task()
def refresh_figures_task():
    refresh = refresh_figures()
    return {"refreshed_at": refresh.refreshed_at.isoformat(), "cases": refresh.cases}
