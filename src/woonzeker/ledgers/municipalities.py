"""Which municipality a ledger row belongs to: named in the file, or derived from the postcode."""

from bisect import bisect_right

from django.utils.translation import gettext as _

from woonzeker.ledgers.parsing import InvalidValue
from woonzeker.organisations.models import Municipality, ServiceArea


class MunicipalityResolver:
    """Loaded once per import (a few hundred rows), then answers in memory for every ledger row."""

    def __init__(self):
        self.by_name = {}
        self.by_code = {}
        for pk, name, code in Municipality.objects.values_list("pk", "name", "cbs_code"):
            self.by_name[name.casefold()] = pk
            self.by_code[code] = pk
        areas = sorted(ServiceArea.objects.values_list("postcode_from", "postcode_to", "municipality_id", "team_id"))
        self.area_starts = [start for start, _end, _m, _team in areas]
        self.areas = areas
        self.derived = {}
        self.coverage = {}

    def resolve(self, named, postcode):
        """The municipality's id; raises ``InvalidValue`` with a message for the user."""
        if named:
            key = named.strip()
            code = key.upper().removeprefix("GM")
            if code.isdigit() and code.zfill(4) in self.by_code:
                return self.by_code[code.zfill(4)]
            if key.casefold() in self.by_name:
                return self.by_name[key.casefold()]
            raise InvalidValue(_("Unknown municipality: give its name or CBS code."))
        if postcode not in self.derived:
            self.derived[postcode] = self._derive(postcode)
        if self.derived[postcode] is None:
            raise InvalidValue(_("The municipality cannot be derived from this postcode: fill in the column gemeente."))
        return self.derived[postcode]

    def _derive(self, postcode):
        found = {
            municipality
            for start, end, municipality, _team in self.areas[: bisect_right(self.area_starts, postcode)]
            if start <= postcode <= end
        }
        return found.pop() if len(found) == 1 else None

    def covered(self, municipality_id, postcode):
        """Whether exactly one social team covers ``postcode`` in the municipality: the rule of
        ``organisations.routing.responsible_team``, answered in memory for each row (``applying.uncovered_rows``
        then reads only the rows where it is false)."""
        key = (municipality_id, postcode)
        if key not in self.coverage:
            teams = {
                team
                for start, end, municipality, team in self.areas[: bisect_right(self.area_starts, postcode)]
                if municipality == municipality_id and start <= postcode <= end
            }
            self.coverage[key] = len(teams) == 1
        return self.coverage[key]
