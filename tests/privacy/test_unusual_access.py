"""The privacy officers hear, once a day, of unusual access the day before: a user opening more different
case files within an hour than the covenant allows, or refused more often than it allows (issue #15)."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.factories import CovenantFactory, MunicipalityFactory, OrganisationFactory, UserFactory
from woonzeker.accounts.models import Role
from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction
from woonzeker.formatting import long_date as _long_date
from woonzeker.notifications.daily import run_daily
from woonzeker.notifications.models import Kind, Notification
from woonzeker.organisations.models import OrganisationKind
from woonzeker.privacy.unusual_access import most_cases_within_an_hour, notify_unusual_access

pytestmark = pytest.mark.django_db


def long_date(day):
    """The date as the Dutch pages and messages write it (the tests' own language is English)."""
    from django.utils import translation

    with translation.override("nl"):
        return _long_date(day)


@pytest.fixture
def covenant(world):
    world.covenant.parties.add(world.corporation, world.team)
    world.covenant.unusual_access_per_hour = 5
    world.covenant.unusual_refusals_per_day = 3
    world.covenant.save()
    return world.covenant


def _at(day, hour, minute):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def opened(user, case, moment):
    entry = audit.record(user, AuditAction.READ, f"case {case}", cases=[case])
    _move(entry, moment)
    return entry


def _move(entry, moment):
    from django.db import connection

    with connection.cursor() as cursor:  # written at that moment (before the chainer chains it)
        cursor.execute("UPDATE audit_auditentry SET at = %s WHERE id = %s", [moment, entry.pk])


def notices():
    return list(Notification.objects.filter(kind=Kind.UNUSUAL_ACCESS))


def test_opening_more_case_files_within_an_hour_than_the_covenant_allows_is_told(world, covenant, today):
    yesterday = today - timedelta(days=1)
    for n in range(6):  # six different case files in 50 minutes: more than 5
        opened(world.team_worker, 100 + n, _at(yesterday, 10, n * 10))
    assert most_cases_within_an_hour(yesterday) == {world.team_worker.pk: 6}
    assert notify_unusual_access(today) == 1
    (notice,) = notices()
    assert notice.user == world.privacy_officer
    assert world.team_worker.username in notice.message
    assert "6 verschillende dossiers" in notice.message and long_date(yesterday) in notice.message


def test_the_same_reads_spread_over_the_day_are_not_unusual(world, covenant, today):
    yesterday = today - timedelta(days=1)
    for n in range(6):  # one case file every two hours
        opened(world.team_worker, 100 + n, _at(yesterday, 8 + 2 * n, 0))
    for _ in range(4):  # the same case file again and again is one case file
        opened(world.corporation_worker, 7, _at(yesterday, 9, 0))
    assert notify_unusual_access(today) == 0
    assert notices() == []


def test_more_refusals_in_a_day_than_the_covenant_allows_are_told(world, covenant, today):
    yesterday = today - timedelta(days=1)
    for n in range(4):
        entry = audit.record_refusal(world.corporation_worker, AuditAction.READ, f"case {n}", cases=[n])
        _move(entry, _at(yesterday, 14, n))
    assert notify_unusual_access(today) == 1
    (notice,) = notices()
    assert f"{world.corporation_worker.username} (Woonstichting Test) werd 4 keer geweigerd" in notice.message


def test_only_the_officers_of_the_users_covenant_are_told_and_only_once(world, covenant, today):
    elsewhere = MunicipalityFactory(name="Zwijndrecht", cbs_code="0642")
    CovenantFactory(municipalities=[elsewhere])
    other_municipality = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY, municipality=elsewhere)
    other_officer = UserFactory(organisation=other_municipality, role=Role.PRIVACY_OFFICER)
    yesterday = today - timedelta(days=1)
    for n in range(6):
        opened(world.team_worker, 100 + n, _at(yesterday, 10, n))
    run_daily(today)
    run_daily(today)  # twice the same day: told once
    assert [n.user for n in notices()] == [world.privacy_officer]
    assert not Notification.objects.filter(user=other_officer).exists()


def test_todays_access_waits_for_tomorrows_notice(world, covenant, today):
    for n in range(6):
        opened(world.team_worker, 100 + n, _at(today, 0, n))
    assert notify_unusual_access(today) == 0
    assert notify_unusual_access(today + timedelta(days=1)) == 1


def test_a_replayed_answer_counts_as_opening_the_case_and_a_list_does_not():
    import re

    from woonzeker.privacy.unusual_access import OPENED_A_CASE

    assert re.match(OPENED_A_CASE, "API case 12 (replayed answer)")
    assert re.match(OPENED_A_CASE, "case 12") and re.match(OPENED_A_CASE, "API case 12")
    assert not re.match(OPENED_A_CASE, "API case list") and not re.match(OPENED_A_CASE, "work queue")
