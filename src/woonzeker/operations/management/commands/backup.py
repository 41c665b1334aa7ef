"""python manage.py backup [--directory DIR] — a backup of the database, with a manifest to check a restore."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from woonzeker.operations.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or SQLite's online backup) with a manifest of row counts."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(settings.VAR_DIR / "backups"))

    def handle(self, *args, directory, **options):
        try:
            path = backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written: {path}")
        self.stdout.write(f"Manifest: {path}.json")
