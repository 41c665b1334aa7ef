"""Who sees which cases: decided in one place, checked here for every kind of party."""

import pytest

from tests.factories import UserFactory, give_consent
from woonzeker.accounts.authorization import visible_case_ids_sql, visible_cases
from woonzeker.accounts.models import Role
from woonzeker.cases import services
from woonzeker.cases.constants import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(make_case, world):
    signal = make_case(State.SIGNAL)
    referred = make_case(State.REFERRED)
    trajectory = make_case(State.CARE_TRAJECTORY)
    give_consent(world.team_worker, trajectory)
    services.request_involvement(world.team_worker, trajectory, organisation=world.social_service)
    return {"signal": signal, "referred": referred, "trajectory": trajectory}


def test_corporation_sees_its_own_tenants_only(world, cases):
    assert set(visible_cases(world.corporation_worker)) == set(cases.values())
    assert list(visible_cases(world.other_corporation_worker)) == []


def test_social_team_sees_cases_routed_to_it_not_signals(world, cases):
    assert set(visible_cases(world.team_worker)) == {cases["referred"], cases["trajectory"]}
    assert list(visible_cases(world.other_team_worker)) == []


def test_services_see_only_cases_they_were_brought_into(world, cases):
    assert list(visible_cases(world.social_service_worker)) == [cases["trajectory"]]
    assert list(visible_cases(world.health_service_worker)) == []


def test_municipality_and_administrators_see_no_personal_files(world, cases):
    assert list(visible_cases(world.municipality_user)) == []
    assert list(visible_cases(world.functional_admin)) == []


def test_inactive_user_sees_nothing(world, cases):
    world.corporation_worker.is_active = False
    assert list(visible_cases(world.corporation_worker)) == []


@pytest.mark.parametrize("role", [Role.FUNCTIONAL_ADMIN, Role.PRIVACY_OFFICER])
@pytest.mark.parametrize("party", ["corporation", "team", "social_service", "safe_home"])
def test_administrators_and_privacy_officers_read_no_case_file_in_whatever_organisation(
    client, world, cases, role, party
):
    """Reproduced on main: a functional administrator who put itself into a corporation opened its cases."""
    user = UserFactory(organisation=getattr(world, party), role=role)
    assert list(visible_cases(user)) == []
    assert visible_case_ids_sql(user) is None
    client.force_login(user)
    assert client.get(f"/dossiers/{cases['trajectory'].pk}/").status_code == 404
