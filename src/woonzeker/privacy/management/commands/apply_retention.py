from datetime import date

from django.core.management.base import BaseCommand

from woonzeker.privacy.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Apply the covenants' retention terms: anonymise expired signals and closed cases, remove expired "
        "ledger files and audit entries. Idempotent; run daily (run_daily does)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="Apply the terms as on this day (YYYY-MM-DD).")

    def handle(self, *args, **options):
        result = apply_retention(options["date"])
        for name, count in result.as_dict().items():
            self.stdout.write(f"{name.replace('_', ' ')}: {count}")
