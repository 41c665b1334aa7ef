"""Which covenant applies."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from woonzeker.covenants.models import Covenant
from woonzeker.formatting import long_date

#: ``Covenant.objects.filter(municipalities=municipality, starts_on__lte=on_date).order_by("-starts_on", "-id")``,
#: written out: every new signal and referral asks, and the ORM took twice as long to write it as to run it
#: (``bench/load.py``, create signal).
COVENANT_FOR = (
    "SELECT covenant.* FROM covenants_covenant covenant"
    " JOIN covenants_covenant_municipalities served ON served.covenant_id = covenant.id"
    " WHERE served.municipality_id = %s AND covenant.starts_on <= %s"
    " ORDER BY covenant.starts_on DESC, covenant.id DESC LIMIT 1"
)


def covenant_for(municipality, on_date):
    """The covenant that governs a case in ``municipality`` that starts on ``on_date``.

    A covenant applies from the start of its term until a later covenant for
    the same municipality starts (see docs/decisions.md: the signed term is
    what monitoring reports on; the agreement keeps governing until replaced).
    """
    covenant = next(iter(Covenant.objects.raw(COVENANT_FOR, [municipality.pk, on_date])), None)
    if covenant is None:
        raise ValidationError(
            _("No covenant covers %(municipality)s on %(date)s.")
            % {"municipality": municipality, "date": long_date(on_date)}
        )
    return covenant
