"""An idempotent request keeps what its answer was about, not the answer: a replay renders it afresh for its
reader, and the table holds no personal data (the stored bodies held full BSNs)."""

import json

from django.db import migrations, models


def object_from_body(apps, schema_editor):
    """The case or import each kept answer was about: ``id`` (a case, an import) or ``import`` (a refused one).
    A kept answer about neither cannot be replayed and is dropped (keys are kept for a day only)."""
    IdempotentRequest = apps.get_model("api", "IdempotentRequest")
    for row in IdempotentRequest.objects.exclude(body=None).iterator():
        try:
            body = json.loads(row.body)
        except ValueError:
            body = None
        object_id = body.get("id", body.get("import")) if isinstance(body, dict) else None
        if isinstance(object_id, int) and object_id > 0:
            IdempotentRequest.objects.filter(pk=row.pk).update(object_id=object_id)
        else:
            IdempotentRequest.objects.filter(pk=row.pk).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0003_idempotent_body_as_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="idempotentrequest",
            name="object_id",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.RunPython(object_from_body, migrations.RunPython.noop),
        migrations.RemoveField(model_name="idempotentrequest", name="body"),
        migrations.RemoveField(model_name="idempotentrequest", name="content_type"),
    ]
