"""A minimal covenant world for fault tests that run the app in processes of their own.

Run inside ``manage.py shell``; prints one JSON line with what a test needs (no personal data)."""

import json

from tests.factories import (
    CovenantFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ServiceAreaFactory,
    UserFactory,
)
from woonzeker.api.models import ApiToken, Scope
from woonzeker.organisations.models import OrganisationKind as Kind

PASSWORD = "correct-horse-battery"


def seed():
    dordrecht = MunicipalityFactory(name="Dordrecht", cbs_code="0505")
    CovenantFactory(municipalities=[dordrecht])
    corporation = OrganisationFactory(name="Woonstichting Storing", kind=Kind.HOUSING_CORPORATION)
    team = OrganisationFactory(name="Wijkteam Storing", kind=Kind.SOCIAL_TEAM)
    ServiceAreaFactory(team=team, municipality=dordrecht, postcode_from="3311AA", postcode_to="3329ZZ")
    user = UserFactory(organisation=corporation, username="storing")
    _token, key = ApiToken.issue(
        user=user, name="fault test", scopes=[Scope.CASES_READ, Scope.CASES_WRITE, Scope.LEDGER_WRITE]
    )
    print(
        json.dumps(
            {
                "municipality": dordrecht.pk,
                "corporation": corporation.pk,
                "corporation_code": corporation.code,
                "username": user.username,
                "password": PASSWORD,
                "token": key,
            }
        )
    )
