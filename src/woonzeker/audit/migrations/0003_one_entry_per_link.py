"""No forks in the chain, kept by the database: one entry per link (a unique ``previous_hash``).

The unique index on ``hash`` (and its pattern index) goes: nothing looks entries up by their hash, and
every audited read paid for two more index entries. On PostgreSQL the new index is built without blocking
writers (``CONCURRENTLY``), as the trail of a running system is large and every read appends to it."""

from django.db import migrations, models

from woonzeker.migration_operations import AddUniqueConstraintWithoutBlocking


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("audit", "0002_checkpoint")]

    operations = [
        AddUniqueConstraintWithoutBlocking(
            "auditentry", models.UniqueConstraint(fields=["previous_hash"], name="audit_one_entry_per_link")
        ),
        migrations.AlterField("auditentry", "hash", models.CharField(max_length=64)),
    ]
