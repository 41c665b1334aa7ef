"""One entry per place in the chain, kept by the database; on PostgreSQL built without blocking writers."""

from django.db import migrations, models

from woonzeker.migration_operations import AddUniqueConstraintWithoutBlocking


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("audit", "0005_chained_off_the_request_path")]

    operations = [
        AddUniqueConstraintWithoutBlocking(
            "auditentry", models.UniqueConstraint(fields=["position"], name="audit_one_entry_per_position")
        ),
    ]
