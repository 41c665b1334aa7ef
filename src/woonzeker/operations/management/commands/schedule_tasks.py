"""python manage.py schedule_tasks — queue every recurring task once; safe to repeat (make run, make serve)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from woonzeker.audit.tasks import schedule as schedule_chainer
from woonzeker.notifications.tasks import schedule_daily, waiting_daily_runs


class Command(BaseCommand):
    help = (
        "Queue the recurring tasks the task worker (manage.py db_worker) keeps running: the audit chainer "
        "(every AUDIT_SEAL_INTERVAL seconds) and the daily run (at DAILY_RUN_AT). A task already waiting is "
        "left as it is, so this is safe to repeat."
    )

    def handle(self, *args, **options):
        queued = schedule_chainer()
        self.stdout.write("The audit chainer is queued." if queued else "The audit chainer was already queued.")
        queued = schedule_daily()
        run_after = timezone.localtime(waiting_daily_runs().earliest("run_after").run_after)
        when = f"{run_after:%Y-%m-%d %H:%M} ({run_after:%Z})"
        self.stdout.write(
            f"The daily run is queued for {when}." if queued else f"The daily run was already queued, for {when}."
        )
