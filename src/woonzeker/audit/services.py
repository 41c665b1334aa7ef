"""Writing to and checking the audit trail."""

from django.db import transaction
from django.utils import timezone

from woonzeker.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry

GENESIS = "0" * 64


def client_address(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


@transaction.atomic
def record(user, action, what, *, cases=(), reason="", request=None):
    """Append one entry: ``user`` did ``action`` on ``what`` (and these cases), for ``reason``."""
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    entry = AuditEntry(
        at=timezone.now(),
        user=user if user is not None and user.is_authenticated else None,
        username=getattr(user, "username", "") or "system",
        organisation=str(user.organisation) if getattr(user, "organisation_id", None) else "",
        role=getattr(user, "role", "") or "",
        action=action,
        what=what,
        case_ids=sorted(int(pk) for pk in cases),
        reason=reason,
        address=client_address(request),
        previous_hash=head.last_hash,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    head.last_hash = entry.hash
    head.save(update_fields=["last_hash"])
    return entry


def latest_checkpoint():
    return AuditCheckpoint.objects.order_by("-pk").first()


def first_broken_link():
    """The first entry whose hash does not match its content or its predecessor; None when the chain holds.

    After the retention term removed older entries, the kept trail is checked from the latest
    checkpoint: its oldest entry must chain from the checkpoint's anchor hash.
    """
    checkpoint = latest_checkpoint()
    previous = checkpoint.anchor_hash if checkpoint else GENESIS
    entries = AuditEntry.objects.order_by("pk")
    if checkpoint is not None:
        entries = entries.filter(pk__gt=checkpoint.removed_through)
    for entry in entries.iterator(chunk_size=2000):
        if entry.previous_hash != previous or entry.compute_hash() != entry.hash:
            return entry
        previous = entry.hash
    return None


def prune_before(moment):
    """Remove the audit entries written before ``moment`` (the retention term) and leave a checkpoint.

    Returns the ``AuditCheckpoint``, or None when nothing was old enough. The kept trail still
    verifies: its oldest entry chains from the checkpoint's anchor hash. Audit entries are
    append-only for the application; this is the one place that removes them.
    """
    from django.db import models

    with transaction.atomic():
        last = AuditEntry.objects.filter(at__lt=moment).order_by("-pk").first()
        if last is None:
            return None
        old = models.QuerySet(model=AuditEntry).filter(pk__lte=last.pk)
        removed = old._raw_delete(old.db)
        return AuditCheckpoint.objects.create(
            removed_through=last.pk, anchor_hash=last.hash, removed_count=removed, removed_before=moment
        )
