"""What the disclosure table withholds cannot be inferred around it (the review of session 6)."""

import pytest

from tests.factories import TenancyFactory, UserFactory, client_for, dutch_date, give_consent
from woonzeker.accounts.models import Role
from woonzeker.cases import services
from woonzeker.cases.constants import State
from woonzeker.cases.forms import StartCareTrajectoryForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def safe_home_case(world, today):
    household = TenancyFactory(corporation=world.corporation, municipality=world.dordrecht)
    return services.refer_from_safe_home(world.safe_home_worker, household, referred_on=today, note="Opvang")


def test_a_case_veilig_thuis_referred_reaches_the_landlord_only_after_feedback_and_without_its_source(
    client, world, safe_home_case, today
):
    api = client_for(world.corporation_worker)
    assert api.get("/api/v1/cases/").json()["results"] == []
    client.force_login(world.corporation_worker)
    assert client.get(f"/dossiers/{safe_home_case.pk}/").status_code == 404
    services.record_analysis(
        world.team_worker, safe_home_case, tenant_reached=True, problems={}, summary_for_corporation="Samen verder."
    )
    services.send_feedback(world.team_worker, safe_home_case, sent_on=today)
    (row,) = api.get("/api/v1/cases/").json()["results"]
    assert row["source"] == ""
    assert api.get(f"/api/v1/cases/{safe_home_case.pk}/").json()["source"] == ""
    page = client.get(f"/dossiers/{safe_home_case.pk}/").content.decode()
    assert "Samen verder." in page and "Veilig Thuis" not in page and "Opvang" not in page
    assert client_for(world.team_worker).get("/api/v1/cases/").json()["results"][0]["source"] == "safe_home"


def test_the_health_service_cannot_work_out_when_the_arrears_were_established(client, world, make_case):
    case = make_case(State.CARE_TRAJECTORY)
    give_consent(world.team_worker, case)
    services.request_involvement(world.team_worker, case, organisation=world.health_service)
    api = client_for(world.health_service_worker)
    detail = api.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["established_on"] is None and detail["referral_due_on"] is None
    assert [d["name"] for d in detail["deadlines"]] == ["analysis"]
    day = case.established_on.isoformat()
    refused = api.get(f"/api/v1/cases/?established_from={day}&established_to={day}")
    assert refused.status_code == 400
    assert [e["field"] for e in refused.json()["errors"]] == ["established_from"]
    client.force_login(world.health_service_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert dutch_date(case.referral_due_on) not in page
    assert dutch_date(case.established_on) not in page


def test_a_bsn_typed_in_the_search_finds_nothing_for_a_reader_who_sees_it_masked(client, world, make_case):
    case = make_case(State.REFERRED, bsn="111222333")
    client.force_login(world.team_worker)
    assert f"/dossiers/{case.pk}/" not in client.get("/", {"q": "111222333"}).content.decode()
    client.force_login(world.corporation_worker)
    assert f"/dossiers/{case.pk}/" in client.get("/", {"q": "111222333"}).content.decode()


def test_a_service_that_declined_does_not_see_the_case(client, world, make_case):
    case = make_case(State.CARE_TRAJECTORY)
    give_consent(world.team_worker, case)
    involvement = services.request_involvement(world.team_worker, case, organisation=world.social_service)
    client.force_login(world.social_service_worker)
    assert client.get(f"/dossiers/{case.pk}/").status_code == 200
    involvement.refresh_from_db()
    services.update_involvement(world.social_service_worker, involvement, status="declined")
    assert client.get(f"/dossiers/{case.pk}/").status_code == 404


def test_a_purpose_for_both_services_is_read_by_the_team_only(client, world, make_case, today):
    case = make_case(State.CARE_TRAJECTORY)
    services.record_consent(
        world.team_worker,
        case,
        given_by="Huurder",
        given_on=today,
        parties=("social_service", "health_service"),
        purpose="GGZ-behandeling verslaving",
    )
    services.request_involvement(world.team_worker, case, organisation=world.social_service)
    client.force_login(world.social_service_worker)
    assert "GGZ-behandeling" not in client.get(f"/dossiers/{case.pk}/").content.decode()
    client.force_login(world.team_worker)
    assert "GGZ-behandeling" in client.get(f"/dossiers/{case.pk}/").content.decode()


def test_administrators_placed_in_a_corporation_read_no_ledger_report_and_direct_no_case(world, make_case):
    from woonzeker.accounts.authorization import visible_ledger_imports

    for role in (Role.FUNCTIONAL_ADMIN, Role.PRIVACY_OFFICER):
        placed = UserFactory(organisation=world.corporation, role=role)
        assert not visible_ledger_imports(placed).exists()
    case = make_case(State.FEEDBACK_SENT)
    placed = UserFactory(organisation=world.team, role=Role.FUNCTIONAL_ADMIN)
    form = StartCareTrajectoryForm(case=case, user=world.team_worker, prefix="x")
    assert placed not in form.fields["case_director"].queryset
    assert world.team_worker in form.fields["case_director"].queryset
