"""Covenant step 1: when arrears establish a signal."""

from django.utils import formats
from django.utils.translation import ngettext

from woonzeker.amounts import format_euro


def meets_arrears_threshold(arrears, monthly_rent, covenant):
    """Arrears establish a signal when "the unpaid amount has reached at least one month's rent".

    The threshold (in months of rent) is the covenant's ``arrears_threshold_months``.
    """
    if monthly_rent is None or monthly_rent <= 0:
        return False
    return arrears >= monthly_rent * covenant.arrears_threshold_months


def arrears_threshold_message(monthly_rent, covenant):
    """ "Arrears must be at least 1 month of rent (€ 650,00) ...": months in words, the amount as shown."""
    months = covenant.arrears_threshold_months
    return ngettext(
        "Arrears must be at least %(months)s month of rent (%(amount)s) to establish a signal.",
        "Arrears must be at least %(months)s months of rent (%(amount)s) to establish a signal.",
        1 if months == 1 else 2,
    ) % {
        "months": formats.number_format(months.normalize(), use_l10n=True),
        "amount": format_euro(monthly_rent * months),
    }
