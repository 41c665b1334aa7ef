"""An import's progress on its own record, for the bar on its page and the API's status.

The import runs in one transaction (all or nothing), which nobody else can see into. Its progress is
written beside it: outside that transaction on the same connection, inside it on a second connection of
its own, each update a short transaction that commits at once. On PostgreSQL a page sees every update;
SQLite has one writer at a time, so there an update the import's own transaction blocks is skipped (the
bar then moves at the stages the import passes outside its transaction)."""

import logging

from django.db import DatabaseError, connection, connections
from django.utils import timezone

from woonzeker.ledgers.models import LedgerImport

logger = logging.getLogger(__name__)

FIELDS = {"status", "stage", "rows_read", "rows_applied"}


class Progress:
    """Tells one import's progress; ``close()`` releases the second connection, if one was opened."""

    #: How many updates were written, and skipped (the benchmark prints them).
    written = skipped = 0

    def __init__(self, ledger_import_id):
        self.pk = ledger_import_id
        self.side = None
        # Imported inside a caller's transaction (the command, with its audit entry; a test): nobody could see
        # the progress before that commits, and the connection may be busy streaming rows (COPY), so none is
        # written; the import's own last save has the final figures.
        self.inside_callers_transaction = connection.in_atomic_block

    def update(self, **fields):
        assert set(fields) <= FIELDS, fields
        if self.inside_callers_transaction:
            return
        fields["progress_at"] = timezone.now()
        if not connection.in_atomic_block:
            LedgerImport.objects.filter(pk=self.pk).update(**fields)
            self.written += 1
            return
        try:
            self._write_beside(fields)
            self.written += 1
        except DatabaseError as error:  # SQLite: the import's transaction holds the one write lock
            self.skipped += 1
            logger.debug("Progress of ledger import %s not written: %s", self.pk, error)

    def _write_beside(self, fields):
        if self.side is None:
            self.side = connections.create_connection("default")
            if self.side.vendor == "sqlite":
                self.side.settings_dict = {
                    **self.side.settings_dict,
                    "OPTIONS": {**self.side.settings_dict.get("OPTIONS", {}), "timeout": 0.05},
                }
        table = LedgerImport._meta.db_table
        names = sorted(fields)
        assignments = ", ".join(f"{name} = %s" for name in names)
        with self.side.cursor() as cursor:  # autocommit: each update is a transaction of its own
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 (names from FIELDS)
                [*(fields[name] for name in names), self.pk],
            )

    def close(self):
        if self.side is not None:
            self.side.close()
            self.side = None
