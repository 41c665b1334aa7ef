"""A party's work queue ordered from an index: the party's and the state's index also holds the columns the
order and the counts read (due dates, covenant, id), so PostgreSQL answers them without reading the table.
Built without blocking writers (``woonzeker.migration_operations``)."""

from django.db import migrations, models

from woonzeker.migration_operations import AddIndexWithoutBlocking, RemoveIndexWithoutBlocking

QUEUE_COLUMNS = ["referral_due_on", "feedback_due_on", "covenant", "id"]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("cases", "0004_involvement_ended_by_consent_withdrawal")]

    operations = [
        AddIndexWithoutBlocking(
            "case",
            models.Index(fields=["corporation", "state"], include=QUEUE_COLUMNS, name="case_corporation_queue"),
        ),
        AddIndexWithoutBlocking(
            "case", models.Index(fields=["social_team", "state"], include=QUEUE_COLUMNS, name="case_team_queue")
        ),
        RemoveIndexWithoutBlocking("case", "cases_case_corpora_2b06ab_idx"),
        RemoveIndexWithoutBlocking("case", "cases_case_social__153555_idx"),
    ]
