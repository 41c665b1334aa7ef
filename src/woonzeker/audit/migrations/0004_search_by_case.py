"""The privacy officer's search by person through an index on PostgreSQL: a GIN index on the entries' case
lists (``jsonb_path_ops``, for ``@>``), so a search reads the entries that name the person's cases instead
of every entry of the trail. Built ``CONCURRENTLY``: every read appends to this table. Nothing on SQLite."""

from django.db import migrations

from woonzeker.migration_operations import IndexOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("audit", "0003_one_entry_per_link")]

    operations = [
        IndexOnPostgreSQL("audit_entry_cases", "audit_auditentry", "USING gin (case_ids jsonb_path_ops)"),
    ]
