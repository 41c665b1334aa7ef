"""Consent to share: the services see a case only while the household's consent covering them is in force."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import client_for, give_consent
from woonzeker.accounts.authorization import MoveRefused, visible_cases
from woonzeker.api.models import Scope
from woonzeker.cases import services
from woonzeker.cases.constants import State
from woonzeker.cases.models import CaseEvent, Consent
from woonzeker.organisations.models import OrganisationKind as Kind

pytestmark = pytest.mark.django_db


def test_a_service_cannot_be_brought_in_without_consent(make_case, world):
    case = make_case(State.CARE_TRAJECTORY)
    with pytest.raises(ValidationError, match="consent to share this case with SDD first"):
        services.request_involvement(world.team_worker, case, organisation=world.social_service)
    give_consent(world.team_worker, case, Kind.HEALTH_SERVICE)  # covers the other service only
    with pytest.raises(ValidationError, match="consent"):
        services.request_involvement(world.team_worker, case, organisation=world.social_service)
    services.request_involvement(world.team_worker, case, organisation=world.health_service)
    assert case.involvements.get().organisation == world.health_service


def test_consent_records_who_when_and_what(make_case, world, today):
    case = make_case(State.FEEDBACK_SENT)
    consent = services.record_consent(
        world.team_worker,
        case,
        given_by="J. de Vries",
        given_on=today,
        parties=[Kind.SOCIAL_SERVICE],
        purpose="Schuldhulp",
    )
    assert (consent.given_by, consent.given_on, consent.recorded_by) == ("J. de Vries", today, world.team_worker)
    assert consent.social_service and not consent.health_service and consent.in_force
    event = CaseEvent.objects.filter(case=case, action="record_consent").get()
    assert event.details == {"consent": consent.pk, "parties": ["social_service"]}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"parties": []}, "Choose the social service"),
        ({"parties": ["housing_corporation"]}, "Choose the social service"),
        ({"given_by": " "}, "required"),
    ],
)
def test_consent_needs_a_party_and_a_person(make_case, world, today, fields, message):
    case = make_case(State.REFERRED)
    arguments = {"given_by": "J. de Vries", "given_on": today, "parties": [Kind.SOCIAL_SERVICE], **fields}
    with pytest.raises(ValidationError, match=message):
        services.record_consent(world.team_worker, case, **arguments)
    assert not Consent.objects.exists()


def test_only_the_social_team_records_consent(make_case, world, today):
    case = make_case(State.REFERRED)
    with pytest.raises(MoveRefused):
        services.record_consent(
            world.corporation_worker, case, given_by="X", given_on=today, parties=[Kind.SOCIAL_SERVICE]
        )


def test_withdrawal_ends_the_services_access_everywhere(client, make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    consent = give_consent(world.team_worker, case, Kind.SOCIAL_SERVICE)
    involvement = services.request_involvement(world.team_worker, case, organisation=world.social_service)
    assert case in visible_cases(world.social_service_worker)
    services.withdraw_consent(world.team_worker, case, consent=consent, withdrawn_on=today)
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by) == (today, world.team_worker)
    assert case not in visible_cases(world.social_service_worker)
    with pytest.raises(ValidationError, match="in force"):
        services.withdraw_consent(world.team_worker, case, consent=consent, withdrawn_on=today)
    client.force_login(world.social_service_worker)
    assert client.get(f"/dossiers/{case.pk}/").status_code == 404
    assert f"/dossiers/{case.pk}/" not in client.get("/").content.decode()
    with pytest.raises(MoveRefused):
        services.update_involvement(world.social_service_worker, involvement, status="accepted")


def test_withdrawal_ends_the_involvement_of_a_service_it_no_longer_covers(make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    both = give_consent(world.team_worker, case, Kind.SOCIAL_SERVICE, Kind.HEALTH_SERVICE)
    social = services.request_involvement(world.team_worker, case, organisation=world.social_service)
    services.update_involvement(world.social_service_worker, social, status="accepted")
    case.refresh_from_db()  # the service's move counted as a change of the case
    health = services.request_involvement(world.team_worker, case, organisation=world.health_service)
    give_consent(world.team_worker, case, Kind.HEALTH_SERVICE)  # a second consent, for the health service only

    services.withdraw_consent(world.team_worker, case, consent=both, withdrawn_on=today)

    social.refresh_from_db()
    health.refresh_from_db()
    assert (social.status, social.finished_on) == ("consent_withdrawn", today)
    assert (health.status, health.finished_on) == ("requested", None)  # still covered: it goes on
    event = CaseEvent.objects.filter(case=case, action="withdraw_consent").get()
    assert event.details == {"consent": both.pk, "involvements_ended": [social.pk]}
    # brought in again only with a new consent
    with pytest.raises(ValidationError, match="consent"):
        services.request_involvement(world.team_worker, case, organisation=world.social_service)
    give_consent(world.team_worker, case, Kind.SOCIAL_SERVICE)
    again = services.request_involvement(world.team_worker, case, organisation=world.social_service)
    assert again.status == "requested"


def test_a_service_cannot_end_its_involvement_as_if_consent_were_withdrawn(client, make_case, world):
    case = make_case(State.CARE_TRAJECTORY)
    give_consent(world.team_worker, case, Kind.SOCIAL_SERVICE)
    involvement = services.request_involvement(world.team_worker, case, organisation=world.social_service)
    with pytest.raises(ValidationError, match="cannot become"):
        services.update_involvement(world.social_service_worker, involvement, status="consent_withdrawn")
    client.force_login(world.social_service_worker)
    assert 'value="consent_withdrawn"' not in client.get(f"/dossiers/{case.pk}/").content.decode()


def test_the_team_records_and_withdraws_consent_on_the_case_page(client, make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    client.force_login(world.team_worker)
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "Toestemming om te delen vastleggen" in page
    response = client.post(
        f"/dossiers/{case.pk}/record_consent/",
        {
            "record_consent-given_by": "J. de Vries",
            "record_consent-given_on": today.isoformat(),
            "record_consent-social_service": "on",
            "record_consent-health_service": "on",
            "record_consent-purpose": "Schuldhulp",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    assert "J. de Vries" in page and "sociale dienst, gezondheidsdienst" in page
    consent = case.consents.get()
    response = client.post(
        f"/dossiers/{case.pk}/withdraw_consent/",
        {"withdraw_consent-consent": consent.pk, "withdraw_consent-withdrawn_on": today.isoformat()},
    )
    assert response.status_code == 302
    assert "ingetrokken op" in client.get(f"/dossiers/{case.pk}/").content.decode()


def test_the_team_sees_why_an_involvement_ended(client, make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    consent = give_consent(world.team_worker, case, Kind.SOCIAL_SERVICE)
    services.request_involvement(world.team_worker, case, organisation=world.social_service)
    services.withdraw_consent(world.team_worker, case, consent=consent, withdrawn_on=today)
    client.force_login(world.team_worker)
    assert "SDD: Beëindigd: toestemming ingetrokken" in client.get(f"/dossiers/{case.pk}/").content.decode()


def test_a_consent_without_a_party_is_refused_on_the_page(client, make_case, world, today):
    case = make_case(State.REFERRED)
    client.force_login(world.team_worker)
    response = client.post(
        f"/dossiers/{case.pk}/record_consent/",
        {"record_consent-given_by": "J. de Vries", "record_consent-given_on": today.isoformat()},
    )
    assert response.status_code == 400
    assert "Kies de sociale dienst, de gezondheidsdienst of beide." in response.content.decode()
    assert not case.consents.exists()


def test_the_api_records_consent(world, make_case, today):

    from woonzeker.api.models import Scope

    case = make_case(State.CARE_TRAJECTORY)
    api = client_for(world.team_worker, [Scope.CASES_READ, Scope.CASES_WRITE])
    body = {"given_by": "J. de Vries", "given_on": today.isoformat(), "health_service": True}
    assert api.post(f"/api/v1/cases/{case.pk}/moves/record_consent/", body, format="json").status_code == 200
    consent = case.consents.get()
    assert consent.health_service and not consent.social_service


def test_bringing_in_without_consent_says_why_on_the_page(client, make_case, world):
    case = make_case(State.CARE_TRAJECTORY)
    client.force_login(world.team_worker)
    response = client.post(
        f"/dossiers/{case.pk}/request_involvement/", {"request_involvement-organisation": world.social_service.pk}
    )
    assert response.status_code == 400
    assert "toestemming" in response.content.decode()
    assert not case.involvements.exists()


def test_withdrawal_ends_the_services_api_access_at_once(make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    consent = give_consent(world.team_worker, case, Kind.SOCIAL_SERVICE)
    services.request_involvement(world.team_worker, case, organisation=world.social_service)
    api = client_for(world.social_service_worker, scopes=[Scope.CASES_READ])
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 200  # the scope's SQL is now composed and kept
    services.withdraw_consent(world.team_worker, case, consent=consent, withdrawn_on=today)
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 404  # what is kept is the rule, not its answer
