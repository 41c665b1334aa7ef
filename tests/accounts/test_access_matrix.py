"""The rules of docs/authorization.md, cell by cell, on the pages and on the API.

Reads: for each party and each place of a case in the process (including the
household's consent to share it with the services, and its withdrawal), may the
party open the case page and the API record (200), or does the case not exist
for it (404)? Writes: for each party and every move of the workflow table, a
party that does not see the case gets a 404, a party that sees it but may not
make the move gets a 403. Who may make each move is read from the document's
write table itself and held equal to the workflow's.
"""

import re
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from tests.factories import client_for, give_consent
from woonzeker.accounts.authorization import may_see, refusal
from woonzeker.accounts.models import Role
from woonzeker.api.models import ApiToken, Scope
from woonzeker.cases import services
from woonzeker.cases.constants import Outcome, State
from woonzeker.cases.forms import MOVE_FORMS
from woonzeker.cases.workflow import MOVES
from woonzeker.organisations.models import OrganisationKind as Kind

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

CASE_PARTIES = {"corporation_worker", "team_worker"}
# Who sees the case, by the place it reached.
VISIBLE = {
    State.SIGNAL: {"corporation_worker"},
    State.REFERRED: CASE_PARTIES,
    State.FEEDBACK_SENT: CASE_PARTIES,
    # The social service is brought in with consent for it; the health service has consent, but was not brought in.
    State.CARE_TRAJECTORY: CASE_PARTIES | {"social_service_worker"},
    # Both brought in; the consent covers only the social service.
    "consent_for_one_service": CASE_PARTIES | {"social_service_worker"},
    # Both brought in with consent for both.
    "consent_for_both": CASE_PARTIES | {"social_service_worker", "health_service_worker"},
    # Brought in with consent, which the household then withdrew.
    "consent_withdrawn": CASE_PARTIES,
    # Closed after the social service took part: it still sees what it worked on.
    State.CLOSED: CASE_PARTIES | {"social_service_worker"},
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
    "privacy_officer",
]
MATRIX = [(place, party) for place in VISIBLE for party in PARTIES]


@pytest.fixture
def case_in(make_case, world, today):
    def bring_in(case, *services_):
        for organisation in services_:
            services.request_involvement(world.team_worker, case, organisation=organisation)

    def build(place):
        if place in (State.SIGNAL, State.REFERRED, State.FEEDBACK_SENT):
            return make_case(place)
        case = make_case(State.CARE_TRAJECTORY)
        if place == State.CARE_TRAJECTORY:
            give_consent(world.team_worker, case, Kind.SOCIAL_SERVICE, Kind.HEALTH_SERVICE)
            bring_in(case, world.social_service)
        elif place == "consent_for_one_service":
            give_consent(world.team_worker, case, Kind.SOCIAL_SERVICE, Kind.HEALTH_SERVICE)
            bring_in(case, world.social_service, world.health_service)
            consent = case.consents.get()
            services.withdraw_consent(world.team_worker, case, consent=consent, withdrawn_on=today)
            give_consent(world.team_worker, case, Kind.SOCIAL_SERVICE)
        elif place == "consent_for_both":
            give_consent(world.team_worker, case)
            bring_in(case, world.social_service, world.health_service)
        elif place == "consent_withdrawn":
            consent = give_consent(world.team_worker, case, Kind.SOCIAL_SERVICE)
            bring_in(case, world.social_service)
            services.withdraw_consent(world.team_worker, case, consent=consent, withdrawn_on=today)
        elif place == State.CLOSED:
            give_consent(world.team_worker, case, Kind.SOCIAL_SERVICE)
            bring_in(case, world.social_service)
            services.close_care_trajectory(world.team_worker, case, outcome=Outcome.ARREARS_CLEARED, closed_on=today)
        case.refresh_from_db()
        return case

    return build


@pytest.mark.parametrize(("place", "party"), MATRIX)
def test_case_page(client, world, case_in, place, party):
    case = case_in(place)
    client.force_login(getattr(world, party))
    expected = 200 if party in VISIBLE[place] else 404
    assert client.get(f"/dossiers/{case.pk}/").status_code == expected


@pytest.mark.parametrize(("place", "party"), MATRIX)
def test_case_in_the_api(world, case_in, place, party):
    case = case_in(place)
    _token, key = ApiToken.issue(user=getattr(world, party), name="matrix", scopes=[Scope.CASES_READ])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    expected = 200 if party in VISIBLE[place] else 404
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == expected


@pytest.mark.parametrize("party", PARTIES)
@pytest.mark.parametrize("place", [State.CARE_TRAJECTORY, State.CLOSED])
def test_forbidden_moves(client, world, case_in, place, party):
    """Every move of the table on a case: not seen is 404, seen but not allowed is 403, nothing written."""
    case = case_in(place)
    user = getattr(world, party)
    client.force_login(user)
    events = case.events.count()
    for name in MOVE_FORMS:
        if party in VISIBLE[place] and refusal(user, MOVES[name], case) is None:
            continue  # allowed: the workflow tests cover what it does
        expected = 404 if party not in VISIBLE[place] else 403
        response = client.post(f"/dossiers/{case.pk}/{name}/", {})
        assert response.status_code == expected, (name, party)
    assert case.events.count() == events


@pytest.mark.parametrize("party", PARTIES)
@pytest.mark.parametrize("place", [State.CARE_TRAJECTORY, State.CLOSED])
def test_forbidden_moves_in_the_api(world, case_in, place, party):
    """The same cells through the API: not seen is 404, seen but not allowed is 403, nothing written."""
    case = case_in(place)
    user = getattr(world, party)
    api = client_for(user, [Scope.CASES_READ, Scope.CASES_WRITE])
    events = case.events.count()
    for name in MOVE_FORMS:
        if party in VISIBLE[place] and refusal(user, MOVES[name], case) is None:
            continue
        expected = 404 if party not in VISIBLE[place] else 403
        response = api.post(f"/api/v1/cases/{case.pk}/moves/{name}/", {}, format="json")
        assert response.status_code == expected, (name, party)
    assert case.events.count() == events


def test_the_matrix_agrees_with_may_see(world, case_in):
    """The same rule answers ``may_see`` for every cell (the queues and exports ask it too)."""
    for place, seen_by in VISIBLE.items():
        case = case_in(place)
        for party in PARTIES:
            assert may_see(getattr(world, party), case) == (party in seen_by), (place, party)


def test_the_safe_home_sees_what_it_referred(client, world, today):
    from tests.factories import TenancyFactory

    household = TenancyFactory(corporation=None, contract_number="", municipality=world.dordrecht)
    case = services.refer_from_safe_home(world.safe_home_worker, household, referred_on=today)
    for party, expected in [("safe_home_worker", 200), ("team_worker", 200), ("corporation_worker", 404)]:
        client.force_login(getattr(world, party))
        assert client.get(f"/dossiers/{case.pk}/").status_code == expected, party


def test_the_documents_write_table_is_the_workflows():
    """docs/authorization.md says who may make each move; the workflow decides it. The two are one table."""
    document = (ROOT / "docs" / "authorization.md").read_text(encoding="utf-8")
    section = document.split("\n## Write\n", 1)[1].split("\n## ", 1)[0]
    parties = {
        "housing corporation": Kind.HOUSING_CORPORATION,
        "social team": Kind.SOCIAL_TEAM,
        "social service": Kind.SOCIAL_SERVICE,
        "health service": Kind.HEALTH_SERVICE,
        "Veilig Thuis": Kind.SAFE_HOME,
    }
    roles = {"case worker": Role.CASE_WORKER, "coordinator": Role.COORDINATOR}
    documented = {}
    for line in section.splitlines()[2:]:
        if not line.startswith("| "):
            continue
        moves, who = (cell.strip() for cell in line.strip("|").split(" | "))
        names = re.findall(r"\(`(\w+)`\)", moves)
        if not names:
            continue  # a row about something other than a move (a ledger import, retention)
        who_parties, who_roles = re.sub(r" \(.*\)$", "", who).split(": ")
        rule = (
            {parties[name] for name in who_parties.split(", ")},
            {roles[name] for name in who_roles.split(", ")},
        )
        for name in names:
            assert name not in documented, f"{name} appears twice in docs/authorization.md"
            documented[name] = rule
    assert documented == {name: (set(move.parties), set(move.roles)) for name, move in MOVES.items()}
