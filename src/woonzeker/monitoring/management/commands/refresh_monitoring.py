from django.core.management.base import BaseCommand

from woonzeker.monitoring.refresh import refresh_figures


class Command(BaseCommand):
    help = "Rebuild the monitoring figures from the cases (run nightly; idempotent)."

    def handle(self, *args, **options):
        refresh = refresh_figures()
        self.stdout.write(f"Monitoring figures rebuilt from {refresh.cases} cases in {refresh.seconds:.1f} s.")
