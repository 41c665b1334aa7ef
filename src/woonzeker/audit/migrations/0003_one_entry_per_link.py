"""No forks in the chain, kept by the database: one entry per link (a unique ``previous_hash``).

The unique index on ``hash`` (and its pattern index) goes: nothing looks entries up by their hash, and
every audited read paid for two more index entries. On PostgreSQL the new index is built without blocking
writers (``CONCURRENTLY``), as the trail of a running system is large and every read appends to it."""

from django.db import migrations, models


class AddUniqueConstraintWithoutBlocking(migrations.AddConstraint):
    """``AddConstraint``; on PostgreSQL its index is built ``CONCURRENTLY`` first, then adopted by the constraint."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        table, name = quote(model._meta.db_table), quote(self.constraint.name)
        columns = ", ".join(quote(model._meta.get_field(field).column) for field in self.constraint.fields)
        schema_editor.execute(f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} ({columns})")
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}")
        return None


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("audit", "0002_checkpoint")]

    operations = [
        AddUniqueConstraintWithoutBlocking(
            "auditentry", models.UniqueConstraint(fields=["previous_hash"], name="audit_one_entry_per_link")
        ),
        migrations.AlterField("auditentry", "hash", models.CharField(max_length=64)),
    ]
