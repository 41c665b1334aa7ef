"""An idempotent request's stored answer as JSON text: a replay gives back the same bytes, keys in their order."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0002_idempotent_requests'),
    ]

    operations = [
        migrations.AlterField(
            model_name='idempotentrequest',
            name='body',
            field=models.TextField(null=True),
        ),
    ]
