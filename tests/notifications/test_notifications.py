"""Notifications: who is told what, how they chose to be told, and the daily run that never tells twice."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import UserFactory, give_consent
from woonzeker.accounts.models import Role
from woonzeker.cases import services
from woonzeker.cases.constants import State
from woonzeker.notifications.daily import run_daily
from woonzeker.notifications.models import Delivery, Kind, Notification, Preference
from woonzeker.notifications.working_days import add_working_days, is_working_day, working_days_until

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def with_email(world):
    for user in (world.team_worker, world.team_coordinator, world.corporation_worker, world.corporation_coordinator):
        user.email = f"{user.username}@example.org"
        user.save()
    return world


def test_working_days_skip_weekends_and_dutch_holidays():
    assert not is_working_day(date(2026, 4, 27))  # King's Day, a Monday
    assert not is_working_day(date(2026, 12, 26))  # Second Christmas Day
    assert add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)  # Friday + 1: over the weekend and King's Day
    assert working_days_until(date(2026, 12, 24), date(2026, 12, 28)) == 1  # only the Monday counts


def test_a_referral_tells_the_team_at_once_by_mail(with_email, make_case):
    make_case(State.REFERRED)
    told = Notification.objects.filter(kind=Kind.NEW_REFERRAL)
    assert {n.user for n in told} == {with_email.team_worker, with_email.team_coordinator}
    assert len(mail.outbox) == 2
    assert "Huurder" not in mail.outbox[0].body  # no personal details in e-mail
    assert "Woonzeker" in mail.outbox[0].subject


def test_feedback_and_involvement_requests_are_told(with_email, make_case, world):
    case = make_case(State.CARE_TRAJECTORY)
    assert Notification.objects.filter(kind=Kind.FEEDBACK_READY, user=world.corporation_worker, case=case).exists()
    give_consent(world.team_worker, case)
    services.request_involvement(world.team_worker, case, organisation=world.social_service)
    assert Notification.objects.filter(kind=Kind.INVOLVEMENT_REQUEST, user=world.social_service_worker).exists()


def test_a_withdrawn_consent_tells_the_service_its_involvement_ended_without_a_link(client, make_case, world, today):
    service_worker = world.social_service_worker
    service_worker.email = "schuldhulp@sdd.example"
    service_worker.save()
    case = make_case(State.CARE_TRAJECTORY)
    consent = give_consent(world.team_worker, case)
    services.request_involvement(world.team_worker, case, organisation=world.social_service)
    mail.outbox.clear()
    services.withdraw_consent(world.team_worker, case, consent=consent, withdrawn_on=today)

    [told] = Notification.objects.filter(kind=Kind.INVOLVEMENT_ENDED)
    assert told.user == service_worker and told.case == case  # kept with the case, for retention
    [message] = mail.outbox
    assert message.to == [service_worker.email]
    assert f"dossier {case.pk}" in message.body and "toestemming ingetrokken" in message.body
    assert "om het dossier te zien" not in message.body  # it no longer may
    client.force_login(service_worker)
    page = client.get("/meldingen/").content.decode()
    assert f"toestemming ingetrokken om dossier {case.pk}" in page
    assert f'href="/dossiers/{case.pk}/"' not in page  # nor the request to join it: no link to a 404
    client.force_login(world.team_worker)  # who still sees the case: its referral links to it
    assert f'href="/dossiers/{case.pk}/"' in client.get("/meldingen/").content.decode()


def test_current_rent_breach_tells_case_director_and_corporation(with_email, make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    services.record_current_rent_check(world.corporation_worker, case, checked_on=today, paid=False)
    told = {n.user for n in Notification.objects.filter(kind=Kind.CURRENT_RENT_BREACH)}
    assert told == {world.team_worker, world.corporation_worker, world.corporation_coordinator}


def test_off_means_in_the_application_only(with_email, make_case, world):
    Preference.objects.create(user=world.team_worker, kind=Kind.NEW_REFERRAL, delivery=Delivery.OFF)
    make_case(State.REFERRED)
    assert Notification.objects.filter(user=world.team_worker, kind=Kind.NEW_REFERRAL).exists()
    assert [m.to for m in mail.outbox] == [[world.team_coordinator.email]]


def test_daily_digest_gathers_what_was_not_mailed(with_email, make_case, world, today):
    Preference.objects.create(user=world.team_worker, kind=Kind.NEW_REFERRAL, delivery=Delivery.DAILY)
    make_case(State.REFERRED)
    make_case(State.REFERRED)
    mail.outbox.clear()
    run_daily(today)
    digests = [m for m in mail.outbox if m.to == [world.team_worker.email] and "overzicht" in m.subject]
    assert len(digests) == 1 and digests[0].body.count("- ") >= 2
    mail.outbox.clear()
    run_daily(today)
    assert not [m for m in mail.outbox if m.to == [world.team_worker.email] and "overzicht" in m.subject]


def test_the_digest_reads_the_choices_once_however_many_wait(with_email, world, django_assert_num_queries):
    from woonzeker.notifications.daily import send_digests

    user = world.team_worker
    Preference.objects.create(user=user, kind=Kind.NEW_REFERRAL, delivery=Delivery.DAILY)

    def waiting(count):
        for number in range(count):
            key = f"k{count}-{number}"
            Notification.objects.create(user=user, kind=Kind.NEW_REFERRAL, key=key, message=f"m{number}")

    waiting(2)
    # the waiting notifications, the choices, and the claim in its transaction (savepoint, update, release)
    with django_assert_num_queries(5) as few:
        assert send_digests() == 1
    waiting(12)
    with django_assert_num_queries(len(few.captured_queries)):
        assert send_digests() == 1
    assert mail.outbox[-1].body.count("- m") == 12
    assert "om het dossier te zien" not in mail.outbox[-1].body  # about no case: not sent to see one


def test_a_digest_another_run_mailed_meanwhile_is_not_mailed_again(with_email, world, monkeypatch):
    """Cron and the scheduled task starting at the same moment: the second finds the first's claim."""
    from woonzeker.notifications import daily

    user = world.team_worker
    Preference.objects.create(user=user, kind=Kind.NEW_REFERRAL, delivery=Delivery.DAILY)
    Notification.objects.create(user=user, kind=Kind.NEW_REFERRAL, key="k", message="Dossier 1 is gemeld.")
    delivery_for = daily.delivery_for

    def the_other_run_mails_them_meanwhile(*args):
        Notification.objects.update(emailed_at=timezone.now())  # after this run read what waits
        return delivery_for(*args)

    monkeypatch.setattr(daily, "delivery_for", the_other_run_mails_them_meanwhile)
    mail.outbox.clear()

    assert daily.send_digests() == 0
    assert mail.outbox == []


def test_a_digest_that_could_not_be_sent_waits_for_the_next_one(with_email, world, monkeypatch):
    from smtplib import SMTPException

    from woonzeker.notifications import daily

    user = world.team_worker
    Preference.objects.create(user=user, kind=Kind.NEW_REFERRAL, delivery=Delivery.DAILY)
    waiting = Notification.objects.create(user=user, kind=Kind.NEW_REFERRAL, key="k", message="Dossier 1 is gemeld.")

    def mail_server_away(*args, **kwargs):
        raise SMTPException("connection refused")

    monkeypatch.setattr(daily, "_send", mail_server_away)
    with pytest.raises(SMTPException):
        daily.send_digests()
    waiting.refresh_from_db()
    assert waiting.emailed_at is None  # the claim rolled back with the failed send

    monkeypatch.undo()
    mail.outbox.clear()
    assert daily.send_digests() == 1
    assert "Dossier 1 is gemeld." in mail.outbox[-1].body


def test_deadline_due_soon_and_passed_are_told_once_even_when_run_twice(with_email, make_case, world, today):
    due_soon = make_case(State.SIGNAL, established_days_ago=41)  # due tomorrow
    overdue = make_case(State.SIGNAL, established_days_ago=43)  # due yesterday
    mail.outbox.clear()
    run_daily(today)
    assert Notification.objects.filter(kind=Kind.DEADLINE_DUE, case=due_soon, user=world.corporation_worker).exists()
    assert Notification.objects.filter(kind=Kind.DEADLINE_PASSED, case=overdue, user=world.corporation_worker).exists()
    count, sent = Notification.objects.count(), len(mail.outbox)
    run_daily(today)
    assert (Notification.objects.count(), len(mail.outbox)) == (count, sent)


def test_escalation_reaches_coordinators_after_the_grace(with_email, make_case, world, today):
    case = make_case(State.SIGNAL, established_days_ago=60)  # 18 days overdue
    run_daily(today)
    escalated = Notification.objects.filter(kind=Kind.DEADLINE_ESCALATION, case=case)
    assert {n.user for n in escalated} == {world.corporation_coordinator}


def test_escalations_cannot_be_switched_off(with_email, make_case, world, today):
    Preference.objects.create(user=world.corporation_coordinator, kind=Kind.DEADLINE_ESCALATION, delivery=Delivery.OFF)
    make_case(State.SIGNAL, established_days_ago=60)
    mail.outbox.clear()
    run_daily(today)
    assert any(m.to == [world.corporation_coordinator.email] for m in mail.outbox)  # in the digest


def test_overdue_analysis_goes_to_the_assigned_case_worker(with_email, make_case, world, today):
    case = make_case(State.REFERRED, established_days_ago=40)
    other = UserFactory(organisation=world.team, role=Role.CASE_WORKER, email="other@example.org")
    services.assign_case_worker(world.team_coordinator, case, worker=other)
    run_daily(today)
    told = {n.user for n in Notification.objects.filter(kind=Kind.DEADLINE_PASSED, case=case)}
    assert told == {other}


def test_run_daily_command(with_email, make_case, capsys, today):
    make_case(State.SIGNAL, established_days_ago=43)
    call_command("run_daily", "--date", today.isoformat())
    assert "Notified" in capsys.readouterr().out


def test_notifications_page_lists_and_saves_choices(client, with_email, make_case, world):
    make_case(State.REFERRED)
    client.force_login(world.team_worker)
    page = client.get("/meldingen/").content.decode()
    assert "is gemeld bij uw team" in page
    response = client.post("/meldingen/", {kind.value: Delivery.DAILY for kind in Kind})
    assert response.status_code == 302
    assert Preference.objects.get(user=world.team_worker, kind=Kind.NEW_REFERRAL).delivery == Delivery.DAILY


def test_escalation_off_is_not_offered(client, world):
    client.force_login(world.team_worker)
    response = client.post(
        "/meldingen/", {**{k.value: Delivery.IMMEDIATELY for k in Kind}, "deadline_escalation": "off"}
    )
    assert response.status_code == 200  # the form says what is wrong
    assert not Preference.objects.filter(kind=Kind.DEADLINE_ESCALATION).exists()


def test_run_as_of_another_day(with_email, make_case, world, today):
    case = make_case(State.SIGNAL, established_days_ago=5)  # due in 37 days
    run_daily(today)
    assert not Notification.objects.filter(case=case, kind=Kind.DEADLINE_PASSED).exists()
    run_daily(today + timedelta(days=40))
    assert Notification.objects.filter(case=case, kind=Kind.DEADLINE_PASSED, user=world.corporation_worker).exists()
