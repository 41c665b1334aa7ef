"""Which covenant applies."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from woonzeker.covenants.models import Covenant
from woonzeker.formatting import long_date


def covenant_for(municipality, on_date):
    """The covenant that governs a case in ``municipality`` that starts on ``on_date``.

    A covenant applies from the start of its term until a later covenant for
    the same municipality starts (see docs/decisions.md: the signed term is
    what monitoring reports on; the agreement keeps governing until replaced).
    """
    covenant = (
        Covenant.objects.filter(municipalities=municipality, starts_on__lte=on_date).order_by("-starts_on").first()
    )
    if covenant is None:
        raise ValidationError(
            _("No covenant covers %(municipality)s on %(date)s.")
            % {"municipality": municipality, "date": long_date(on_date)}
        )
    return covenant
