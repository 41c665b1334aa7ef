from django.core.management.base import BaseCommand, CommandError

from woonzeker.audit.models import AuditEntry
from woonzeker.audit.seals import check_seals, seal_path
from woonzeker.audit.services import first_broken_link, latest_checkpoint, unrecorded_checkpoint


class Command(BaseCommand):
    help = (
        "Check the audit trail: its hash chain (from the retention checkpoint, if any) and the newest seal of "
        "its head (AUDIT_SEAL_PATH); report the first problem."
    )

    def handle(self, *args, **options):
        problems = []
        broken = first_broken_link()
        if broken is not None:
            problems.append(
                f"The audit trail is broken at entry {broken.pk} ({broken.at:%Y-%m-%d %H:%M:%S}, {broken.username}, "
                f"{broken.action} {broken.what}): its hash does not match its content or the entry before it."
            )
        unrecorded = unrecorded_checkpoint()
        if unrecorded is not None:
            problems.append(
                f"The audit trail starts at a checkpoint (entries up to {unrecorded.removed_through} removed) that no "
                "entry of the trail records: entries may have been removed outside the retention run."
            )
        seals = check_seals()
        for line, why in seals.invalid_lines:
            problems.append(f"Line {line} of {seal_path()} is not a valid seal: {why}.")
        problems.extend(seals.problems)
        if problems:
            raise CommandError("\n".join(problems))
        chained = AuditEntry.objects.filter(position__isnull=False).count()
        message = f"The audit trail holds: {chained} entries checked."
        if seals.seal is not None:
            message += (
                f" The newest seal ({seals.seal['sealed_at'][:19]}, place {seals.seal['position']}) matches; "
                f"{seals.unsealed} entries chained since are not yet sealed."
            )
        if seals.unchained:
            message += f" {seals.unchained} entries are not yet chained."
        checkpoint = latest_checkpoint()
        if checkpoint is not None:
            message += (
                f" It starts at the checkpoint of {checkpoint.created_at:%Y-%m-%d} (entries up to "
                f"{checkpoint.removed_through} removed by the retention term)."
            )
        self.stdout.write(self.style.SUCCESS(message))
