"""Amounts in euros: one way to read them (forms, the API and rent ledgers) and one way to show them.

The rule, also in ``docs/ledger-format.md``:

- a comma or a point is the decimal separator, with at most two decimals: ``1234``, ``1234,5``,
  ``1234,56``, ``1234.56``;
- thousands are separated by ``.`` or a space only in groups of three, and only with a decimal comma:
  ``1.234,56``, ``1.234.567,89``, ``1 234,56``;
- ``1.234`` and ``1,234`` (one group of three, no other separator) are refused as ambiguous: thousands
  or decimals? Write ``1234`` or ``1234,00``;
- an optional ``€`` or ``EUR`` in front (``€ 1.234,56``, as amounts are shown), and a minus for a credit where
  the field allows it; a workbook's number cell is taken as it is (at most two decimals).
"""

import math
import re
from decimal import Decimal

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
MAX_TEXT = 20  # characters: beyond any amount in euros, and beyond what Decimal rounds to cents (28 digits)

_SPACES = re.compile(r"[\u00a0\u202f]")  # a non-breaking or narrow space, as copied from a page, is a space
_CURRENCY = re.compile(r"^(-?)\s*(?:€|EUR)\s*", re.IGNORECASE)
_PLAIN = re.compile(r"-?[0-9]+(?:[.,][0-9]{1,2})?")  # 1234, 1234,5, 1234.56
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:(?:\.[0-9]{3})+|(?: [0-9]{3})+),[0-9]{1,2}")  # 1.234,56 1 234 567,89
_AMBIGUOUS = re.compile(r"-?[0-9]{1,3}[.,][0-9]{3}")  # 1.234 or 1,234


class AmountError(ValueError):
    """The text is not an amount by the rule; ``message`` says why, for the person who wrote it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def parse_amount(value):
    """An amount in euros as a Decimal with two decimals, by the rule of this module; raises AmountError."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_amount(value)
    text = _SPACES.sub(" ", "" if value is None else str(value)).strip()
    text = _CURRENCY.sub(r"\1", text)
    if len(text) > MAX_TEXT:
        raise AmountError(_("'%(value)s' is too large for an amount in euros.") % {"value": value})
    if _PLAIN.fullmatch(text):
        return Decimal(text.replace(",", ".")).quantize(CENT)
    if _GROUPED.fullmatch(text):
        return Decimal(text.replace(".", "").replace(" ", "").replace(",", ".")).quantize(CENT)
    if _AMBIGUOUS.fullmatch(text):
        raise AmountError(
            _("'%(value)s' is ambiguous: write amounts without a thousands separator, e.g. 1234,00.") % {"value": value}
        )
    raise AmountError(_("'%(value)s' is not an amount. Write amounts like 1234,56 or 1234.56.") % {"value": value})


def _number_amount(value):
    if isinstance(value, float) and not math.isfinite(value):
        raise AmountError(_("'%(value)s' is not an amount. Write amounts like 1234,56 or 1234.56.") % {"value": value})
    if abs(value) >= 10**15:  # a workbook number beyond any amount in euros (and beyond rounding to cents)
        raise AmountError(_("'%(value)s' is too large for an amount in euros.") % {"value": value})
    exact = Decimal(str(value))
    amount = exact.quantize(CENT)
    if abs(exact - amount) > Decimal("0.000001"):  # more than the noise of binary floating point
        raise AmountError(_("'%(value)s' has more than two decimals.") % {"value": value})
    return amount


def format_euro(amount):
    """``€ 1.234,00`` in Dutch (``€ 1,234.00`` in English): always two decimals and thousands grouped."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(CENT)
    sign = "-" if value < 0 else ""
    number = formats.number_format(abs(value), decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{sign}€\u00a0{number}"


class AmountField(forms.Field):
    """A form field for an amount by ``parse_amount``; the page and the API both read amounts through it."""

    def __init__(self, *, min_value=Decimal("0"), max_digits=10, **kwargs):
        self.min_value = min_value
        self.max_value = Decimal(10 ** (max_digits - 2)) - CENT
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            amount = parse_amount(value)
        except AmountError as error:
            raise forms.ValidationError(error.message, code="invalid") from None
        if self.min_value is not None and amount < self.min_value:
            raise forms.ValidationError(_("An amount cannot be negative here."), code="min_value")
        if amount > self.max_value:
            raise forms.ValidationError(
                _("'%(value)s' is too large for an amount in euros.") % {"value": value}, code="max_value"
            )
        return amount

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return formats.number_format(value, decimal_pos=2, use_l10n=True)
        return value
