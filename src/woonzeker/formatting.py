"""How people read values: amounts as ``€ 1.234,00``, dates as ``1 december 2026``, identifiers as plain digits.

A template library registered as a builtin (``TEMPLATES`` in settings): every template has ``|euro``.
Numbers are not grouped by default (``USE_THOUSAND_SEPARATOR`` off), so a case number or a year never reads
``1.680``; amounts are grouped by ``|euro`` itself.
"""

from django import template
from django.utils import formats

from woonzeker.amounts import format_euro

register = template.Library()


@register.filter
def euro(amount):
    """``{{ amount|euro }}``: ``€ 1.234,00``."""
    return format_euro(amount)


def long_date(day):
    """``1 december 2026`` in Dutch, for messages written in Python."""
    return formats.date_format(day, "DATE_FORMAT") if day else ""


@register.filter
def count(number):
    """``{{ rows|count }}``: a count of things, grouped for reading (``449.980``); never for an identifier."""
    if number is None or number == "":
        return ""
    return formats.number_format(number, use_l10n=True, force_grouping=True)
