# The snapshot's own index on tenancy_id is dropped: the unique constraint on (tenancy_id, reference_date)
# serves every look-up by tenancy, and each ledger import had to fill both. Only the index goes; the
# foreign key stays as it is (an AlterField would drop and re-add it, checking every snapshot again).

import django.db.models.deletion
from django.db import migrations, models

INDEX = "ledgers_tenancysnapshot_tenancy_id_29eb0348"


class Migration(migrations.Migration):

    dependencies = [
        ('ledgers', '0001_initial'),
        ('tenancies', '0003_merge_0002_anonymised_on_0002_encrypt_bsn'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='tenancysnapshot',
                    name='tenancy',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='snapshots', to='tenancies.tenancy'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "ledgers_tenancysnapshot" ("tenancy_id")',
                ),
            ],
        ),
    ]
