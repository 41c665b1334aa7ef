"""The read rules of docs/authorization.md, cell by cell, on the pages and on the API.

For each party and each place of a case in the process: may the party open the
case page and the API record (200), or does the case not exist for it (404)?
"""

import pytest
from rest_framework.test import APIClient

from woonzeker.api.models import ApiToken, Scope
from woonzeker.cases import services
from woonzeker.cases.constants import State

pytestmark = pytest.mark.django_db

# Who sees the case, by the state it reached; the social service is brought into the trajectory.
VISIBLE = {
    State.SIGNAL: {"corporation_worker"},
    State.REFERRED: {"corporation_worker", "team_worker"},
    State.FEEDBACK_SENT: {"corporation_worker", "team_worker"},
    State.CARE_TRAJECTORY: {"corporation_worker", "team_worker", "social_service_worker"},
}
PARTIES = [
    "corporation_worker",
    "other_corporation_worker",
    "team_worker",
    "other_team_worker",
    "social_service_worker",
    "health_service_worker",
    "safe_home_worker",
    "municipality_user",
    "functional_admin",
]
MATRIX = [(state, party) for state in VISIBLE for party in PARTIES]


@pytest.fixture
def case_in(make_case, world):
    def build(state):
        case = make_case(state)
        if state == State.CARE_TRAJECTORY:
            services.request_involvement(world.team_worker, case, organisation=world.social_service)
        return case

    return build


@pytest.mark.parametrize(("state", "party"), MATRIX)
def test_case_page(client, world, case_in, state, party):
    case = case_in(state)
    client.force_login(getattr(world, party))
    expected = 200 if party in VISIBLE[state] else 404
    assert client.get(f"/dossiers/{case.pk}/").status_code == expected


@pytest.mark.parametrize(("state", "party"), MATRIX)
def test_case_in_the_api(world, case_in, state, party):
    case = case_in(state)
    _token, key = ApiToken.issue(user=getattr(world, party), name="matrix", scopes=[Scope.CASES_READ])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    expected = 200 if party in VISIBLE[state] else 404
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == expected


def test_the_safe_home_sees_what_it_referred(client, world, today):
    from tests.factories import TenancyFactory

    household = TenancyFactory(corporation=None, contract_number="", municipality=world.dordrecht)
    case = services.refer_from_safe_home(world.safe_home_worker, household, referred_on=today)
    for party, expected in [("safe_home_worker", 200), ("team_worker", 200), ("corporation_worker", 404)]:
        client.force_login(getattr(world, party))
        assert client.get(f"/dossiers/{case.pk}/").status_code == expected, party
