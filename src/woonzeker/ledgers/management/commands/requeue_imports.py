"""python manage.py requeue_imports: queue again the ledger imports a stopped worker left unfinished."""

from django.core.management.base import BaseCommand

from woonzeker.ledgers.tasks import requeue_unfinished


class Command(BaseCommand):
    help = (
        "Queue again every ledger import still queued or running (after a task worker was stopped mid-import; "
        "nothing of such an import was stored). An import that finished meanwhile is not run twice."
    )

    def handle(self, *args, **options):
        ids = requeue_unfinished()
        self.stdout.write(f"Queued again: {', '.join(map(str, ids)) or 'none'}")
