"""Registering a household: what ``register_tenancy`` refuses itself, now that it asks the database nothing to check."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from woonzeker.tenancies.models import Tenancy
from woonzeker.tenancies.services import register_tenancy

pytestmark = pytest.mark.django_db

HOUSEHOLD = {
    "tenant_name": "J. de Vries",
    "street": "Singel",
    "house_number": "12",
    "postcode": "3312AB",
    "town": "Dordrecht",
}


def test_a_negative_rent_is_refused_at_its_field_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as refused, transaction.atomic():  # as its callers call it
        register_tenancy(
            corporation=world.corporation,
            contract_number="NEG-1",
            municipality=world.dordrecht,
            monthly_rent=Decimal("-1.00"),
            **HOUSEHOLD,
        )
    assert "monthly_rent" in refused.value.message_dict
    assert not Tenancy.objects.filter(contract_number="NEG-1").exists()


def test_only_a_housing_corporation_is_a_landlord(world):
    with pytest.raises(ValueError, match="no housing corporation"), transaction.atomic():
        register_tenancy(corporation=world.team, contract_number="T-1", municipality=world.dordrecht, **HOUSEHOLD)
    assert not Tenancy.objects.filter(contract_number="T-1").exists()


def test_the_same_contract_number_updates_the_corporations_tenancy(world):
    first = register_tenancy(
        corporation=world.corporation, contract_number="C-1", municipality=world.dordrecht, **HOUSEHOLD
    )
    again = register_tenancy(
        corporation=world.corporation,
        contract_number="C-1",
        municipality=world.dordrecht,
        **{**HOUSEHOLD, "house_number": "14"},
    )
    assert again.pk == first.pk and Tenancy.objects.get(pk=first.pk).house_number == "14"
    other = register_tenancy(
        corporation=world.other_corporation, contract_number="C-1", municipality=world.dordrecht, **HOUSEHOLD
    )
    assert other.pk != first.pk  # another corporation's contract of the same number is its own
