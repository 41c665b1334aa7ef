from django.core.management.base import BaseCommand, CommandError

from woonzeker.audit.models import AuditEntry
from woonzeker.audit.services import first_broken_link, latest_checkpoint, unrecorded_checkpoint


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; report the first broken link."

    def handle(self, *args, **options):
        broken = first_broken_link()
        if broken is not None:
            raise CommandError(
                f"The audit trail is broken at entry {broken.pk} ({broken.at:%Y-%m-%d %H:%M:%S}, {broken.username}, "
                f"{broken.action} {broken.what}): its hash does not match its content or the entry before it."
            )
        unrecorded = unrecorded_checkpoint()
        if unrecorded is not None:
            raise CommandError(
                f"The audit trail starts at a checkpoint (entries up to {unrecorded.removed_through} removed) that no "
                "entry of the trail records: entries may have been removed outside the retention run."
            )
        message = f"The audit trail holds: {AuditEntry.objects.count()} entries checked."
        checkpoint = latest_checkpoint()
        if checkpoint is not None:
            message += (
                f" It starts at the checkpoint of {checkpoint.created_at:%Y-%m-%d} (entries up to "
                f"{checkpoint.removed_through} removed by the retention term)."
            )
        self.stdout.write(self.style.SUCCESS(message))
