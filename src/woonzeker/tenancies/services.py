"""Registering the household a signal or referral is about."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from woonzeker.organisations.models import OrganisationKind
from woonzeker.tenancies.models import Tenancy


@transaction.atomic(savepoint=False)  # part of its caller's transaction: a refusal rolls back the whole move
def register_tenancy(*, corporation, contract_number="", **details):
    """The corporation's tenancy with this contract number, updated with ``details``; or a new one.

    A household without a contract number (referred by Veilig Thuis) is always new.
    """
    if corporation is not None and corporation.kind != OrganisationKind.HOUSING_CORPORATION:
        raise ValueError(f"{corporation} is no housing corporation: a tenancy's landlord is one")  # a caller's mistake
    if (details.get("monthly_rent") or 0) < 0:  # the check constraint's condition, without its query
        raise ValidationError({"monthly_rent": _("An amount cannot be negative here.")})
    tenancy = None
    if corporation is not None and contract_number:
        tenancy = (
            Tenancy.objects.select_for_update().filter(corporation=corporation, contract_number=contract_number).first()
        )
    tenancy = tenancy or Tenancy(corporation=corporation, contract_number=contract_number)
    for name, value in details.items():
        setattr(tenancy, name, value)
    # The field checks of ``full_clean`` without its queries (they cost more than the rest of a new signal): the
    # corporation (its kind checked above) and municipality come as loaded rows (the user's organisation, a
    # form's choice); the contract number was looked up just above, with the unique constraint behind it in the
    # database; and the rent's check constraint (not negative) is checked above in Python.
    tenancy.full_clean(exclude=["corporation", "municipality"], validate_constraints=False)
    tenancy.save()
    return tenancy
