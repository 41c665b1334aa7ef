"""Writing to and checking the audit trail."""

# ruff: noqa: S608 -- only the models' table and column names are formatted into the SQL; values are parameters.

from functools import lru_cache

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from woonzeker.audit.models import AuditCheckpoint, AuditEntry, AuditResult

GENESIS = "0" * 64


def client_address(request):
    from woonzeker.conf.client_ip import client_address as address_behind_the_proxies

    return address_behind_the_proxies(request) if request is not None else None


def record(user, action, what, *, cases=(), reason="", request=None, result=AuditResult.GRANTED, username=None):
    """Append one entry: ``user`` did ``action`` on ``what`` (and these cases), for ``reason``, with ``result``.

    A plain insert: no lock, no waiting on other requests. The chainer (``audit.chain``) gives the entry its
    place and hash shortly after. ``username`` names an actor without an account (a failed sign-in)."""
    entry = AuditEntry(
        at=timezone.now(),
        user_id=user.pk if user is not None and user.is_authenticated else None,
        username=(username if username is not None else getattr(user, "username", "") or "system")[:150],
        organisation=str(user.organisation) if getattr(user, "organisation_id", None) else "",
        role=getattr(user, "role", "") or "",
        action=action,
        result=result,
        what=what[:200],
        case_ids=sorted(int(pk) for pk in cases),
        reason=reason,
        address=client_address(request),
    )
    if connection.vendor == "postgresql":
        return _insert_in_one_statement(entry)
    entry.save()
    return entry


def record_refusal(user, action, what, *, cases=(), reason="", request=None):
    """An entry for something refused: a read of a case the user may not see, a move, an export."""
    return record(user, action, what, cases=cases, reason=reason, request=request, result=AuditResult.REFUSED)


def latest_checkpoint():
    return AuditCheckpoint.objects.order_by("-pk").first()


CONTENT_COLUMNS = (
    "at",
    "user_id",
    "username",
    "organisation",
    "role",
    "action",
    "result",
    "what",
    "case_ids",
    "reason",
    "address",
)


def _insert_in_one_statement(entry):
    """PostgreSQL: the entry's insert as one statement. Outside a caller's own transaction its commit waits
    for the disk unless ``AUDIT_SYNCHRONOUS_COMMIT`` is off (see docs/decisions.md)."""
    asynchronous = not connection.in_atomic_block and not settings.AUDIT_SYNCHRONOUS_COMMIT
    fields, sql = _insert_statement(asynchronous)
    values = [field.get_db_prep_save(getattr(entry, field.attname), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False
    return entry


@lru_cache(maxsize=2)
def _insert_statement(asynchronous):
    """The content fields and the statement of ``_insert_in_one_statement``, composed once per process."""
    fields = [AuditEntry._meta.get_field(name) for name in CONTENT_COLUMNS]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = AuditEntry._meta.db_table
    # set_config(..., true) lasts for this statement's own transaction only.
    if asynchronous:
        source = f"SELECT {placeholders} FROM (SELECT set_config('synchronous_commit', 'off', true)) AS mode"
    else:
        source = f"VALUES ({placeholders})"
    return fields, f"INSERT INTO {table} ({columns}) {source} RETURNING id"


def first_broken_link():
    """The first chained entry whose hash does not match its content or its predecessor; None when the chain
    holds. Entries are walked in their place in the chain; those not yet chained are not looked at.

    After the retention term removed older entries, the kept trail is checked from the latest
    checkpoint: its oldest entry must chain from the checkpoint's anchor hash.
    """
    checkpoint = latest_checkpoint()
    previous = checkpoint.anchor_hash if checkpoint else GENESIS
    entries = AuditEntry.objects.filter(position__isnull=False).order_by("position")
    if checkpoint is not None:
        entries = entries.filter(position__gt=checkpoint.removed_through)
    for entry in entries.iterator(chunk_size=2000):
        if entry.previous_hash != previous or entry.compute_hash() != entry.hash:
            return entry
        previous = entry.hash
    return None


def unrecorded_checkpoint():
    """The latest checkpoint when no kept entry records the pruning that made it, else None.

    Retention writes an entry naming the anchor right after it prunes; that entry is in the chain,
    so a checkpoint forged (or altered) to hide removed entries has no such entry behind it."""
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        return None
    kept = models.Q(position__gt=checkpoint.removed_through) | models.Q(position__isnull=True)
    recorded = AuditEntry.objects.filter(kept, reason__contains=f"anchor {checkpoint.anchor_hash}").exists()
    return None if recorded else checkpoint


def prune_before(moment):
    """Remove the audit entries written before ``moment`` (the retention term) and leave a checkpoint.

    Returns the ``AuditCheckpoint``, or None when nothing was old enough. Entries not yet chained are
    chained first. The kept trail still verifies: its oldest entry chains from the checkpoint's anchor
    hash, and the head's count loses what was removed (the seals' counts are read with the checkpoints,
    ``audit.seals``). Audit entries are append-only for the application; this is the one place that
    removes them.
    """
    from woonzeker.audit.chain import chain_pending, locked_head
    from woonzeker.audit.seals import checkpoint_signature

    chain_pending()
    with transaction.atomic():
        head = locked_head()
        last = AuditEntry.objects.filter(at__lt=moment, position__isnull=False).order_by("-position").first()
        if last is None:
            return None
        old = models.QuerySet(model=AuditEntry).filter(position__lte=last.position)
        removed = old._raw_delete(old.db)
        head.chained_count -= removed
        head.save(update_fields=["chained_count"])
        checkpoint = AuditCheckpoint(
            removed_through=last.position, anchor_hash=last.hash, removed_count=removed, removed_before=moment
        )
        checkpoint.signature = checkpoint_signature(checkpoint)
        checkpoint.save()
        return checkpoint
