from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from woonzeker.audit.models import AuditEntry
from woonzeker.audit.seals import check_seals, seal_path, unsigned_checkpoints
from woonzeker.audit.services import first_broken_link, latest_checkpoint, unrecorded_checkpoint


def oldest_unchained_since(seconds):
    """When the oldest entry still waiting for its place was written, if that is longer than ``seconds`` ago."""
    oldest = AuditEntry.objects.filter(position__isnull=True).order_by("at").values_list("at", flat=True).first()
    if oldest is not None and timezone.now() - oldest > timedelta(seconds=seconds):
        return oldest
    return None


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
        for checkpoint in unsigned_checkpoints():
            problems.append(
                f"The retention checkpoint of {checkpoint.created_at:%Y-%m-%d} (entries up to "
                f"{checkpoint.removed_through}) is not signed with AUDIT_SEAL_KEY: it was written or altered in the "
                "database, not by the retention run."
            )
        seals = check_seals()
        for line, why in seals.invalid_lines:
            problems.append(f"Line {line} of {seal_path()} is not a valid seal: {why}.")
        problems.extend(seals.problems)
        stalled = oldest_unchained_since(settings.AUDIT_CHAIN_STALLED_AFTER)
        if stalled is not None:
            problems.append(
                f"An entry written at {stalled:%Y-%m-%d %H:%M:%S} is still not chained: the chainer has stopped or "
                "fails (is the task worker running? `manage.py seal_audit` chains and seals by hand)."
            )
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
