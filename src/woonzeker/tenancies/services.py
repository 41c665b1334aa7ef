"""Registering the household a signal or referral is about."""

from django.db import transaction

from woonzeker.tenancies.models import Tenancy


@transaction.atomic(savepoint=False)  # part of its caller's transaction: a refusal rolls back the whole move
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
    # The field checks of ``full_clean`` without its queries (they cost more than the rest of a new signal): the
    # corporation and municipality come as loaded rows (the user's organisation, a form's choice); the contract
    # number was looked up just above, with the unique constraint behind it in the database; and the rent's
    # check constraint (not negative) stands behind the forms' amount fields, which refuse a negative amount.
    tenancy.full_clean(exclude=["corporation", "municipality"], validate_constraints=False)
    tenancy.save()
    return tenancy
