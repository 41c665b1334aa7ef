"""The BSN encrypted at rest, with a keyed hash to find it (woonzeker/crypto.py).

The data step works on the column with plain SQL, not through the model: the
historical model already decrypts, and the values it meets are still plain.
"""

import woonzeker.crypto
import woonzeker.tenancies.models
from django.db import migrations, models


BATCH = 1000


def _rewrite(schema_editor, convert):
    """Rewrite every non-empty BSN (and its hash) with ``convert(value) -> (bsn, bsn_hash)``, in batches."""
    connection = schema_editor.connection
    last_id = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, bsn FROM tenancies_tenancy WHERE bsn <> '' AND id > %s ORDER BY id LIMIT %s",
                [last_id, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            cursor.executemany(
                "UPDATE tenancies_tenancy SET bsn = %s, bsn_hash = %s WHERE id = %s",
                [(*convert(value), pk) for pk, value in rows],
            )
            last_id = rows[-1][0]


def encrypt_plain_bsns(apps, schema_editor):
    from woonzeker import crypto

    encrypt, hash_one = crypto.encrypter(), crypto.hasher()
    # A value that is already encrypted (a re-run) is left as it is.
    _rewrite(
        schema_editor,
        lambda value: (value, hash_one(crypto.decrypt(value)))
        if value.startswith(f"{crypto.VERSION}:")
        else (encrypt(value), hash_one(value)),
    )


def decrypt_bsns(apps, schema_editor):
    from woonzeker import crypto

    _rewrite(schema_editor, lambda value: (crypto.decrypt(value), ""))


class Migration(migrations.Migration):

    dependencies = [
        ('tenancies', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='tenancy',
            name='bsn_hash',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64, verbose_name='BSN (keyed hash)'),
        ),
        migrations.AlterField(
            model_name='tenancy',
            name='bsn',
            field=woonzeker.crypto.EncryptedCharField(blank=True, hash_field='bsn_hash', max_length=100, validators=[woonzeker.tenancies.models.validate_bsn], verbose_name='BSN'),
        ),
        migrations.RunPython(encrypt_plain_bsns, decrypt_bsns),
    ]
