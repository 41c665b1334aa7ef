"""Covenant step 5: "an important condition of the corporation: the current rent is paid
during the trajectory"."""


def current_rent_unpaid(previous_arrears, arrears):
    """The current rent counts as unpaid when the arrears have grown since the previous snapshot.

    Paying the current rent keeps the arrears where they were; a payment
    arrangement brings them down. Only growth means a month's rent was missed.
    """
    if previous_arrears is None or arrears is None:
        return False
    return arrears > previous_arrears
