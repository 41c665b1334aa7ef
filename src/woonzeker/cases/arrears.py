"""Covenant step 1: when arrears establish a signal."""

from django.utils.translation import gettext as _


def meets_arrears_threshold(arrears, monthly_rent, covenant):
    """Arrears establish a signal when "the unpaid amount has reached at least one month's rent".

    The threshold (in months of rent) is the covenant's ``arrears_threshold_months``.
    """
    if monthly_rent is None or monthly_rent <= 0:
        return False
    return arrears >= monthly_rent * covenant.arrears_threshold_months


def arrears_threshold_message(monthly_rent, covenant):
    return _("Arrears must be at least %(months)s month(s) of rent (EUR %(amount)s) to establish a signal.") % {
        "months": f"{covenant.arrears_threshold_months.normalize():f}",
        "amount": f"{monthly_rent * covenant.arrears_threshold_months:.2f}",
    }
