"""Hand-offs: whoever must act next is told, and the e-mail links to the case."""

import pytest
from django.core import mail

from tests.factories import give_consent
from woonzeker.cases import services
from woonzeker.cases.constants import CorporationDecision, State
from woonzeker.cases.models import Involvement
from woonzeker.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://woonzeker.example.nl"


@pytest.fixture
def with_email(world):
    for user in (world.team_worker, world.team_coordinator, world.corporation_worker, world.social_service_worker):
        user.email = f"{user.username}@example.org"
        user.save()
    return world


def _mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_the_assigned_case_worker_is_told_with_a_link_to_the_case(with_email, make_case, world):
    case = make_case(State.REFERRED)
    mail.outbox.clear()
    services.assign_case_worker(world.team_coordinator, case, worker=world.team_worker)
    [told] = Notification.objects.filter(kind=Kind.CASE_ASSIGNED)
    assert told.user == world.team_worker and told.case == case
    [message] = _mails_to(world.team_worker)
    assert f"https://woonzeker.example.nl/dossiers/{case.pk}/" in message.body
    assert "Huurder" not in message.body  # the link carries the case number only


def test_the_corporations_decision_tells_the_team(with_email, make_case, world):
    case = make_case(State.FEEDBACK_SENT)
    services.record_corporation_decision(
        world.corporation_worker, case, decision=CorporationDecision.DECLINED, reason="Eerder traject mislukt."
    )
    told = Notification.objects.filter(kind=Kind.CORPORATION_DECIDED, case=case)
    assert {n.user for n in told} == {world.team_worker, world.team_coordinator}
    assert all("Eerder traject mislukt." not in n.message for n in told)  # the reason is on the case page only
    assert "case page" in told[0].message or "dossier" in told[0].message


@pytest.mark.parametrize("status", ["accepted", "declined"])
def test_a_service_answering_tells_the_team_and_the_case_director(with_email, make_case, world, status):
    case = make_case(State.CARE_TRAJECTORY)
    give_consent(world.team_worker, case)
    involvement = services.request_involvement(world.team_worker, case, organisation=world.social_service)
    involvement = Involvement.objects.get(pk=involvement.pk)
    services.update_involvement(world.social_service_worker, involvement, status=status)
    told = {n.user for n in Notification.objects.filter(kind=Kind.INVOLVEMENT_ANSWERED, case=case)}
    case.refresh_from_db()
    assert case.case_director in told and world.team_coordinator in told
    assert world.social_service_worker not in told


def test_a_note_alone_tells_nobody(with_email, make_case, world):
    case = make_case(State.CARE_TRAJECTORY)
    give_consent(world.team_worker, case)
    involvement = services.request_involvement(world.team_worker, case, organisation=world.social_service)
    services.update_involvement(
        world.social_service_worker, Involvement.objects.get(pk=involvement.pk), status="accepted"
    )
    services.update_involvement(world.social_service_worker, Involvement.objects.get(pk=involvement.pk), progress="x")
    assert Notification.objects.filter(kind=Kind.INVOLVEMENT_ANSWERED).count() == 2  # team worker + coordinator


def test_no_link_once_the_reader_may_not_open_the_case(with_email, make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    consent = give_consent(world.team_worker, case)
    services.request_involvement(world.team_worker, case, organisation=world.social_service)
    [request] = _mails_to(world.social_service_worker)
    assert f"/dossiers/{case.pk}/" in request.body  # asked to join: it may open the case
    mail.outbox.clear()
    services.withdraw_consent(world.team_worker, case, consent=consent, withdrawn_on=today)
    [ended] = _mails_to(world.social_service_worker)
    assert "/dossiers/" not in ended.body
