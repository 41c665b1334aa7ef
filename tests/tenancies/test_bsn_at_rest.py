"""The BSN at rest: encrypted in the database, found through a keyed hash, keys that rotate, clear errors."""

import base64
import io
import secrets

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import TenancyFactory
from woonzeker import crypto
from woonzeker.tenancies.models import Tenancy

BSN = "111222333"
OTHER_BSN = "123456782"


def new_key():
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def stored(tenancy):
    """The row as the database holds it, read with plain SQL (no field to decrypt it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn, bsn_hash FROM tenancies_tenancy WHERE id = %s", [tenancy.pk])
        return cursor.fetchone()


@pytest.mark.django_db
def test_the_database_never_holds_the_plain_bsn(world):
    tenancy = TenancyFactory(bsn=BSN, municipality=world.dordrecht)
    ciphertext, hashed = stored(tenancy)
    assert BSN not in ciphertext and BSN not in hashed
    assert ciphertext.startswith("v1:") and len(hashed) == 64


@pytest.mark.django_db
def test_a_dump_holds_no_plain_bsn_and_loads_back(world, tmp_path):
    tenancy = TenancyFactory(bsn=BSN, municipality=world.dordrecht)
    dump = tmp_path / "tenancies.json"
    call_command("dumpdata", "tenancies.tenancy", output=str(dump))
    assert BSN not in dump.read_text()
    Tenancy.objects.filter(pk=tenancy.pk).delete()
    call_command("loaddata", str(dump), verbosity=0)
    assert Tenancy.objects.get(pk=tenancy.pk).bsn == BSN
    assert list(Tenancy.objects.with_bsn(BSN)) == [tenancy]  # its keyed hash came back with it


@pytest.mark.django_db
def test_round_trip_and_lookup_through_the_keyed_hash(world):
    tenancy = TenancyFactory(bsn=BSN, municipality=world.dordrecht)
    TenancyFactory(bsn=OTHER_BSN, municipality=world.dordrecht)
    TenancyFactory(bsn="", municipality=world.dordrecht)
    assert Tenancy.objects.get(pk=tenancy.pk).bsn == BSN
    assert list(Tenancy.objects.with_bsn(BSN)) == [tenancy]
    assert Tenancy.objects.filter(bsn="").count() == 1  # "no BSN" can still be asked


@pytest.mark.django_db
def test_the_same_bsn_encrypts_differently_each_time_but_hashes_the_same(world):
    first = TenancyFactory(bsn=BSN, municipality=world.dordrecht)
    second = TenancyFactory(bsn=BSN, municipality=world.dordrecht)
    assert stored(first)[0] != stored(second)[0]
    assert stored(first)[1] == stored(second)[1]


@pytest.mark.django_db
def test_a_lookup_by_the_plain_bsn_is_refused_not_silently_empty(world):
    with pytest.raises(FieldError, match="bsn_hash"):
        list(Tenancy.objects.filter(bsn=BSN))


@pytest.mark.django_db
def test_changing_the_bsn_through_save_changes_its_hash(world):
    tenancy = TenancyFactory(bsn=BSN, municipality=world.dordrecht)
    tenancy.bsn = OTHER_BSN
    tenancy.save(update_fields=["bsn"])
    assert list(Tenancy.objects.with_bsn(OTHER_BSN)) == [tenancy]
    assert not Tenancy.objects.with_bsn(BSN).exists()


@pytest.mark.django_db
def test_key_rotation_old_key_decrypts_new_key_encrypts(world, settings):
    old, new = new_key(), new_key()
    settings.BSN_KEYS = [old]
    tenancy = TenancyFactory(bsn=BSN, municipality=world.dordrecht)
    old_id, new_id = crypto.key_id(base64.urlsafe_b64decode(old)), crypto.key_id(base64.urlsafe_b64decode(new))
    assert crypto.key_of(stored(tenancy)[0]) == old_id

    settings.BSN_KEYS = [new, old]  # a new key in front: it encrypts, the old one still decrypts
    assert Tenancy.objects.get(pk=tenancy.pk).bsn == BSN
    later = TenancyFactory(bsn=OTHER_BSN, municipality=world.dordrecht)
    assert crypto.key_of(stored(later)[0]) == new_id

    call_command("reencrypt_bsns", stdout=io.StringIO())
    assert {crypto.key_of(stored(t)[0]) for t in (tenancy, later)} == {new_id}
    settings.BSN_KEYS = [new]  # the old key can go
    assert Tenancy.objects.get(pk=tenancy.pk).bsn == BSN
    assert list(Tenancy.objects.with_bsn(BSN)) == [tenancy]


@pytest.mark.django_db
def test_a_new_hash_key_takes_effect_after_reencrypt(world, settings):
    tenancy = TenancyFactory(bsn=BSN, municipality=world.dordrecht)
    settings.BSN_HASH_KEY = new_key()
    assert not Tenancy.objects.with_bsn(BSN).exists()
    call_command("reencrypt_bsns", stdout=io.StringIO())
    assert list(Tenancy.objects.with_bsn(BSN)) == [tenancy]


@pytest.mark.django_db
def test_a_missing_key_is_a_clear_error(world, settings):
    tenancy = TenancyFactory(bsn=BSN, municipality=world.dordrecht)
    settings.BSN_KEYS = [new_key()]
    with pytest.raises(crypto.DecryptionError, match="not in WOONZEKER_BSN_KEYS") as error:
        Tenancy.objects.get(pk=tenancy.pk)
    assert BSN not in str(error.value)


def test_a_wrong_key_with_the_same_id_or_an_altered_value_is_a_clear_error(settings):
    value = crypto.encrypt(BSN)
    altered = value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]
    with pytest.raises(crypto.DecryptionError, match="altered"):
        crypto.decrypt(altered)
    with pytest.raises(crypto.DecryptionError, match="not an encrypted value"):
        crypto.decrypt(BSN)


def test_no_key_or_a_malformed_key_is_refused(settings):
    settings.BSN_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="WOONZEKER_BSN_KEYS is not set"):
        crypto.encrypt(BSN)
    settings.BSN_KEYS = ["too-short"]
    with pytest.raises(ImproperlyConfigured, match="32 random bytes"):
        crypto.encrypt(BSN)


def test_mask_shows_the_last_four_digits():
    assert crypto.mask(BSN) == "*****2333"
    assert crypto.mask("") == ""


def test_system_check_wants_both_keys_and_different_ones(settings):
    assert crypto.check_bsn_keys() == []
    settings.BSN_KEYS, settings.BSN_HASH_KEY = [], ""
    assert [e.id for e in crypto.check_bsn_keys()] == ["woonzeker.E001", "woonzeker.E001"]
    key = new_key()
    settings.BSN_KEYS, settings.BSN_HASH_KEY = [key], key
    assert [e.id for e in crypto.check_bsn_keys()] == ["woonzeker.E002"]


@pytest.mark.django_db(transaction=True)
def test_data_migration_encrypts_the_plain_values_already_stored(world):
    executor = MigrationExecutor(connection)
    executor.migrate([("tenancies", "0001_initial")])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tenancies_tenancy (corporation_id, contract_number, tenant_name, street, house_number, "
            "house_number_suffix, postcode, town, municipality_id, phone, email, bsn) "
            "VALUES (NULL, '', 'Huurder', 'Voorstraat', '1', '', '3311AB', 'Dordrecht', %s, '', '', %s)",
            [world.dordrecht.pk, BSN],
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    tenancy = Tenancy.objects.get(tenant_name="Huurder")
    assert BSN not in stored(tenancy)[0]
    assert tenancy.bsn == BSN
    assert list(Tenancy.objects.with_bsn(BSN)) == [tenancy]
