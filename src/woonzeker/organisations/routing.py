"""Routing: which social team is responsible for an address.

Covenant, step 3: the corporation reports the tenant "to the social team
responsible for the tenant's address". Teams serve postcode ranges within a
municipality (``ServiceArea``). An address that no team covers is an error
naming the postcode: a referral is never sent to a default team.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from woonzeker.organisations.models import Organisation
from woonzeker.organisations.postcodes import display_postcode, normalise_postcode


class UncoveredAddress(ValidationError):
    """No social team serves this address (or more than one does): an error on the postcode."""

    def __init__(self, message):
        super().__init__({"postcode": [message]})


#: The teams of ``ServiceArea.objects.filter(municipality=…, postcode_from__lte=postcode, postcode_to__gte=postcode)``,
#: written out: every new signal and referral asks, and the ORM took twice as long to write it as to run it
#: (``bench/load.py``, create signal).
TEAMS_SERVING = (
    "SELECT DISTINCT team.* FROM organisations_organisation team"
    " JOIN organisations_servicearea area ON area.team_id = team.id"
    " WHERE area.municipality_id = %s AND area.postcode_from <= %s AND area.postcode_to >= %s"
)


def responsible_team(municipality, postcode):
    """The one social team that serves ``postcode`` in ``municipality``."""
    postcode = normalise_postcode(postcode)
    teams = set(Organisation.objects.raw(TEAMS_SERVING, [municipality.pk, postcode, postcode]))
    if not teams:
        raise UncoveredAddress(
            _("No social team covers postcode %(postcode)s in %(municipality)s.")
            % {"postcode": display_postcode(postcode), "municipality": municipality}
        )
    if len(teams) > 1:
        raise UncoveredAddress(
            _("Postcode %(postcode)s in %(municipality)s is covered by more than one team: %(teams)s.")
            % {
                "postcode": display_postcode(postcode),
                "municipality": municipality,
                "teams": ", ".join(sorted(str(t) for t in teams)),
            }
        )
    return teams.pop()
