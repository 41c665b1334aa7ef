"""Registering the household a signal or referral is about."""

from django.db import transaction

from woonzeker.tenancies.models import Tenancy


@transaction.atomic
def register_tenancy(*, corporation, contract_number="", **details):
    """The corporation's tenancy with this contract number, updated with ``details``; or a new one.

    A household without a contract number (referred by Veilig Thuis) is always new.
    """
    tenancy = None
    if corporation is not None and contract_number:
        tenancy = (
            Tenancy.objects.select_for_update().filter(corporation=corporation, contract_number=contract_number).first()
        )
    tenancy = tenancy or Tenancy(corporation=corporation, contract_number=contract_number)
    for name, value in details.items():
        setattr(tenancy, name, value)
    tenancy.full_clean()
    tenancy.save()
    return tenancy
