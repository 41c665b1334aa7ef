"""python manage.py reencrypt_bsns: every stored BSN encrypted again with the newest key, and hashed again.

Run after a new key was put in front of WOONZEKER_BSN_KEYS (then the old key may be removed),
and after WOONZEKER_BSN_HASH_KEY changed (lookups by BSN find a tenancy again once it has run).
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from woonzeker import crypto
from woonzeker.tenancies.models import Tenancy

BATCH = 1000


class Command(BaseCommand):
    help = "Encrypt every stored BSN again with the newest key in WOONZEKER_BSN_KEYS and recompute its hash."

    def handle(self, *args, **options):
        hash_one = crypto.hasher()
        rewritten, last_pk = 0, 0
        while True:
            with transaction.atomic():
                batch = list(
                    Tenancy.objects.select_for_update()
                    .exclude(bsn="")
                    .filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", "bsn")[:BATCH]
                )
                if not batch:
                    break
                for tenancy in batch:
                    tenancy.bsn_hash = hash_one(tenancy.bsn)
                # bulk_update encrypts again (with the newest key), through the field.
                Tenancy.objects.bulk_update(batch, ["bsn", "bsn_hash"])
            rewritten += len(batch)
            last_pk = batch[-1].pk
        newest = crypto.keyring()[0][0]
        self.stdout.write(f"{rewritten} BSNs encrypted with key {newest}.")
