"""Writing to and checking the audit trail."""

# ruff: noqa: S608 -- only the models' table and column names are formatted into the SQL; values are parameters.

from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from woonzeker.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry

GENESIS = "0" * 64


def client_address(request):
    from woonzeker.conf.client_ip import client_address as address_behind_the_proxies

    return address_behind_the_proxies(request) if request is not None else None


def record(user, action, what, *, cases=(), reason="", request=None):
    """Append one entry: ``user`` did ``action`` on ``what`` (and these cases), for ``reason``."""
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
    )
    if connection.vendor == "postgresql":
        return _append_in_one_statement(entry)
    return _append_locked(entry)


@transaction.atomic
def _append_locked(entry):
    """Lock the head, chain the entry onto it, move the head: one writer at a time, so no forks."""
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    entry.previous_hash = head.last_hash
    entry.hash = entry.compute_hash()
    entry.save()
    head.last_hash = entry.hash
    head.save(update_fields=["last_hash"])
    return entry


def latest_checkpoint():
    return AuditCheckpoint.objects.order_by("-pk").first()


CONTENT_COLUMNS = ("at", "user", "username", "organisation", "role", "action", "what", "case_ids", "reason", "address")


def _append_in_one_statement(entry):
    """PostgreSQL: lock the head, insert the entry chained onto it and move the head in one statement,
    hashing in the database exactly as ``AuditEntry.compute_hash`` does (the content is ASCII JSON).

    The head's row lock is held from that statement to its commit, so entries are still chained
    one at a time; what is gone is the round trips in between. Outside a caller's own transaction the
    commit waits for the disk unless ``AUDIT_SYNCHRONOUS_COMMIT`` is off (see docs/decisions.md).
    """
    asynchronous = not connection.in_atomic_block and not settings.AUDIT_SYNCHRONOUS_COMMIT
    fields, sql = _append_statement(asynchronous)
    values = [field.get_db_prep_save(getattr(entry, field.attname), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, entry.content()])
        row = cursor.fetchone()
    if row is None:  # the very first entry: there is no head yet
        AuditChainHead.objects.get_or_create(pk=1)
        return _append_in_one_statement(entry)
    entry.pk, entry.previous_hash, entry.hash = row
    entry._state.adding = False
    return entry


@lru_cache(maxsize=2)
def _append_statement(asynchronous):
    """The content fields and the one statement of ``_append_in_one_statement``, composed once per process."""
    entries, heads = AuditEntry._meta.db_table, AuditChainHead._meta.db_table
    fields = [AuditEntry._meta.get_field(name) for name in CONTENT_COLUMNS]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    # set_config(..., true) lasts for this statement's own transaction only.
    commit_mode = ", (SELECT set_config('synchronous_commit', 'off', true)) AS mode" if asynchronous else ""
    sql = f"""
        WITH head AS (SELECT last_hash{commit_mode} FROM {heads} WHERE id = 1 FOR UPDATE),
        added AS (
            INSERT INTO {entries} ({columns}, previous_hash, hash)
            SELECT {", ".join(["%s"] * len(fields))}, head.last_hash,
                   encode(sha256(convert_to(head.last_hash || %s, 'UTF8')), 'hex')
            FROM head
            RETURNING id, previous_hash, hash
        )
        UPDATE {heads} SET last_hash = added.hash FROM added WHERE {heads}.id = 1
        RETURNING added.id, added.previous_hash, added.hash"""
    return fields, sql


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


def unrecorded_checkpoint():
    """The latest checkpoint when no kept entry records the pruning that made it, else None.

    Retention writes an entry naming the anchor right after it prunes; that entry is in the chain,
    so a checkpoint forged (or altered) to hide removed entries has no such entry behind it."""
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        return None
    recorded = AuditEntry.objects.filter(
        pk__gt=checkpoint.removed_through, reason__contains=f"anchor {checkpoint.anchor_hash}"
    ).exists()
    return None if recorded else checkpoint


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
