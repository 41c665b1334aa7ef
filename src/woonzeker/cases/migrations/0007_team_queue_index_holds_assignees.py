"""The team's queue puts a member's own cases first (assigned case worker or case director), so its index
also holds those two columns: the order is still answered from the index alone on PostgreSQL. Rebuilt
without blocking writers (``woonzeker.migration_operations``): the new index under a new name first."""

from django.db import migrations, models

from woonzeker.migration_operations import AddIndexWithoutBlocking, RemoveIndexWithoutBlocking

QUEUE_COLUMNS = ["referral_due_on", "feedback_due_on", "covenant", "id"]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0006_involvement_notes")]

    operations = [
        AddIndexWithoutBlocking(
            "case",
            models.Index(
                fields=["social_team", "state"],
                include=[*QUEUE_COLUMNS, "case_worker", "case_director"],
                name="case_team_own_queue",
            ),
        ),
        RemoveIndexWithoutBlocking("case", "case_team_queue"),
    ]
