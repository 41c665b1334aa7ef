"""The chainer: gives the entries requests wrote their place in the chain and their hashes, off the request path.

Requests only insert (``services.record``). This runs in the background (the task ``audit.tasks.seal_trail``
every few seconds, ``manage.py seal_audit``, ``run_daily``): under the lock of the one ``AuditChainHead`` row,
which only chainers take, it reads the entries not yet chained in id order and chains each onto the one
before, giving it the next place (``position``). An entry whose transaction commits after a later id was
already chained (ids are handed out before commit) is simply chained in the next pass, at the next place:
the chain follows the order entries became visible, so no entry is ever left out and nothing waits for a gap
(docs/decisions.md, "The audit chain is built off the request path").
"""

# ruff: noqa: S608 -- only the model's table and column names are formatted into the SQL; values are parameters.

from django.db import connection, transaction

from woonzeker.audit.models import AuditChainHead, AuditEntry

#: Entries chained per transaction: the head's lock is held for one batch at a time.
BATCH = 5000


def locked_head():
    """The chain's head row, locked until the caller's transaction ends (created on first use)."""
    AuditChainHead.objects.get_or_create(pk=1)
    return AuditChainHead.objects.select_for_update().get(pk=1)


def chain_pending(batch=BATCH):
    """Chain every entry not yet chained, in id order; returns how many were chained."""
    chained = 0
    while True:
        with transaction.atomic():
            head = locked_head()
            entries = list(AuditEntry.objects.filter(position__isnull=True).order_by("pk")[:batch])
            if not entries:
                return chained
            previous, position, links = head.last_hash, head.last_position, []
            for entry in entries:
                position += 1
                entry.previous_hash = previous
                entry.hash = entry.compute_hash()
                links.append((position, entry.previous_hash, entry.hash, entry.pk))
                previous = entry.hash
            _write_links(links)
            head.last_hash, head.last_position = previous, position
            head.chained_count += len(links)
            head.save(update_fields=["last_hash", "last_position", "chained_count"])
        chained += len(links)
        if len(entries) < batch:
            return chained


def _write_links(links):
    """The one place that writes to an existing entry: its place and hashes, once (they were empty)."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET position = %s, previous_hash = %s, hash = %s WHERE id = %s AND position IS NULL",
            links,
        )
