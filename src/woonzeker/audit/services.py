"""Writing to and checking the audit trail."""

from django.db import transaction
from django.utils import timezone

from woonzeker.audit.models import AuditChainHead, AuditEntry

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


def first_broken_link():
    """The first entry whose hash does not match its content or its predecessor; None when the chain holds."""
    previous = GENESIS
    for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=2000):
        if entry.previous_hash != previous or entry.compute_hash() != entry.hash:
            return entry
        previous = entry.hash
    return None
