"""The chain is built off the request path (``audit/chain.py``), and entries say what came of the event.

- ``user`` stops being a foreign key: the account's id stays as a plain number (same column), so deleting
  an account no longer rewrites hashed content (``SET NULL`` broke the chain).
- ``result``: granted, refused or failed (BIO 8.15.01). Earlier entries were all granted.
- ``position``, ``previous_hash`` and ``hash`` are empty until the chainer fills them in. Every entry so far
  was chained in id order at insert time, so its place is its id; the head's new counters start from there.
"""

from django.db import migrations, models


def place_existing_entries(apps, schema_editor):
    entries = apps.get_model("audit", "AuditEntry")
    heads = apps.get_model("audit", "AuditChainHead")
    table = schema_editor.quote_name(entries._meta.db_table)
    schema_editor.execute(f"UPDATE {table} SET position = id")  # noqa: S608 -- the model's own table name
    last = entries.objects.order_by("-pk").values_list("pk", "hash").first()
    if last is None:
        return
    head, _created = heads.objects.get_or_create(pk=1)
    head.last_position = last[0]
    head.last_hash = last[1]
    head.chained_count = entries.objects.count()
    head.save()


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_search_by_case")]

    operations = [
        migrations.AlterField(
            "auditentry", "user", models.BigIntegerField(db_column="user_id", null=True, blank=True)
        ),
        migrations.RenameField("auditentry", "user", "user_id"),
        migrations.AlterField(
            "auditentry", "user_id", models.BigIntegerField(null=True, blank=True, verbose_name="user id")
        ),
        migrations.AddField(
            "auditentry",
            "result",
            models.CharField(
                choices=[("granted", "Granted"), ("refused", "Refused"), ("failed", "Failed")],
                default="granted",
                max_length=20,
                verbose_name="result",
            ),
        ),
        migrations.AlterField(
            "auditentry",
            "action",
            models.CharField(
                choices=[
                    ("read", "Read"),
                    ("change", "Change"),
                    ("export", "Export"),
                    ("print", "Print"),
                    ("sign_in", "Sign in"),
                    ("sign_out", "Sign out"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AddField("auditentry", "position", models.BigIntegerField(null=True, blank=True, editable=False)),
        migrations.AlterField(
            "auditentry", "previous_hash", models.CharField(max_length=64, null=True, blank=True, editable=False)
        ),
        migrations.AlterField(
            "auditentry", "hash", models.CharField(max_length=64, null=True, blank=True, editable=False)
        ),
        migrations.AddField("auditchainhead", "last_position", models.BigIntegerField(default=0)),
        migrations.AddField("auditchainhead", "chained_count", models.BigIntegerField(default=0)),
        migrations.AddField("auditchainhead", "sealed_position", models.BigIntegerField(default=0)),
        migrations.RunPython(place_existing_entries, migrations.RunPython.noop),
    ]
