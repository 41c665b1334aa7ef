"""The daily run as a task (django-tasks, database backend; the worker is ``manage.py db_worker``).

``run_daily_task`` queues itself again for the next ``DAILY_RUN_AT`` on the local clock, unless another is
already waiting, then does the daily run: once queued it keeps going, once a day, for as long as a worker
runs. ``schedule_daily()`` (``manage.py schedule_tasks``, ``make run``, ``make serve``) starts it, and is safe
to call again. A run whose time passed while no worker ran is done when a worker starts, and the next one
is queued for the next run time after that. ``manage.py run_daily`` from cron stays possible beside it:
``run_daily`` tells nobody twice.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from woonzeker.notifications.daily import run_daily


def next_daily_run(now=None):
    """The first ``DAILY_RUN_AT`` on the local clock (``TIME_ZONE``) after ``now``, as an aware datetime in UTC
    (``timezone.localtime`` shows it on the local clock).

    Days are counted on the local calendar and each day's run time gets that day's own offset, so the run stays
    at 06:15 in Amsterdam across the change to and from summer time (the next run is then 23 or 25 hours
    away, not 24). A run time the clock skips in spring (between 02:00 and 03:00) falls an hour later that
    day; one the clock passes twice in autumn is the first of the two.
    """
    # Compared and returned in UTC: Python compares and subtracts two datetimes of one zone by their wall
    # clocks, which is wrong in the hour the clock passes twice.
    now = (now or timezone.now()).astimezone(UTC)
    zone = timezone.get_default_timezone()
    today = now.astimezone(zone).date()
    for day in (today, today + timedelta(days=1)):
        run_at = datetime.combine(day, settings.DAILY_RUN_AT, tzinfo=zone).astimezone(UTC)
        if run_at > now:
            return run_at
    raise AssertionError("tomorrow's run time is always after now")  # pragma: no cover


def waiting_daily_runs():
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=run_daily_task.module_path, status=TaskResultStatus.READY)


def schedule_daily(now=None):
    """Queue the daily run for the next run time after ``now``, unless one is already waiting; returns
    whether queued."""
    if waiting_daily_runs().exists():
        return False
    run_daily_task.using(run_after=next_daily_run(now)).enqueue()
    return True


@task()
def run_daily_task():
    # The next run is queued first, while the database that just handed this one to the worker answers: a run
    # that fails (the database away for a moment) or never ends (the worker stopped halfway) is tried again at
    # tomorrow's run time. Queued after the run, the database still away then, nothing would queue one again.
    schedule_daily()
    return run_daily()
