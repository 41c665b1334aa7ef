"""Dutch postcodes: checked and written one way (``1234AB``)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as nl_postcode


def normalise_postcode(value, field="postcode"):
    """Return ``value`` as ``1234AB``; raise ValidationError naming the field if it is no postcode."""
    try:
        compact = nl_postcode.validate(value or "")
    except StdnumError:
        raise ValidationError(
            {field: _("'%(value)s' is not a Dutch postcode (e.g. 3311 GR).") % {"value": value}}
        ) from None
    return compact.replace(" ", "").upper()


def display_postcode(value):
    """``1234AB`` as ``1234 AB``."""
    return f"{value[:4]} {value[4:]}" if value and len(value) == 6 else value
