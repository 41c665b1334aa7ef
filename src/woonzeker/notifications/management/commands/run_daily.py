from datetime import date

from django.core.management.base import BaseCommand

from woonzeker.notifications.daily import run_daily


class Command(BaseCommand):
    help = (
        "Everything time-driven, once a day (deadlines, escalations, digests, retention, monitoring). "
        "Safe to run twice. The task worker does this every day at DAILY_RUN_AT (manage.py schedule_tasks); "
        "this command is for by hand, or cron where no worker runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        result = run_daily(date)
        self.stdout.write(
            f"Notified {result['notified']}, sent {result['digests']} digests, "
            f"retention {result['retention']}, rebuilt monitoring in {result['monitoring_seconds']:.1f} s."
        )
