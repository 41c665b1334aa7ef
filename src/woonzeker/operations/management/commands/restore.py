"""python manage.py restore FILE --yes — replace the database with a backup, then check it against its manifest."""

from django.core.management.base import BaseCommand, CommandError

from woonzeker.operations.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `backup` (replaces everything in the database) and verify it."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="Confirm that the current data may be replaced.")

    def handle(self, *args, file, yes, **options):
        if not yes:
            raise CommandError("A restore replaces everything in the database. Run it again with --yes to go ahead.")
        try:
            differences, broken = restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if differences:
            raise CommandError(f"Restored, but not as backed up: {differences}")
        if broken is not None:
            raise CommandError(f"Restored, but the audit chain breaks at entry {broken.pk}.")
        self.stdout.write(f"Restored {file}: every table's row count matches the backup and the audit chain holds.")
