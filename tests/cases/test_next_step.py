"""My work: a case worker's own cases first, who has each case, and the next step, by whom, by when."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import UserFactory, give_consent
from woonzeker.cases import deadlines, services
from woonzeker.cases.constants import State
from woonzeker.formatting import long_date as _long_date

pytestmark = pytest.mark.django_db


def long_date(day):
    """The date as the Dutch pages and messages write it (the tests' own language is English)."""
    from django.utils import translation

    with translation.override("nl"):
        return _long_date(day)


def _rows(client):
    page = client.get("/").content.decode()
    return re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", page, re.S)[1:]  # after the header


def _row_of(client, case):
    [row] = [r for r in _rows(client) if f'href="/dossiers/{case.pk}/"' in r]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))


def test_current_rent_check_is_due_a_month_after_the_last_one(world):
    covenant = world.covenant
    started = covenant.starts_on
    assert deadlines.current_rent_check_due(None, started, covenant) == started + timedelta(days=30)
    later = started + timedelta(days=45)
    assert deadlines.current_rent_check_due(later, started, covenant) == later + timedelta(days=30)
    assert deadlines.arrangement_review_due(later, covenant) == later + timedelta(days=90)


def test_a_case_worker_sees_their_own_cases_first_with_who_has_each(client, make_case, world):
    colleague = UserFactory(organisation=world.team)
    others = [make_case(State.REFERRED, established_days_ago=days) for days in (30, 25)]  # due sooner
    mine = make_case(State.REFERRED, established_days_ago=10)
    services.assign_case_worker(world.team_coordinator, others[0], worker=colleague)
    services.assign_case_worker(world.team_coordinator, mine, worker=world.team_worker)

    client.force_login(world.team_worker)
    rows = _rows(client)
    assert f'href="/dossiers/{mine.pk}/"' in rows[0]  # mine first, though the others are due sooner
    assert "(u)" in _row_of(client, mine)
    assert str(colleague) in _row_of(client, others[0])
    row = _row_of(client, others[1])
    assert "Analyse terugkoppelen" in row and str(world.team) in row
    assert long_date(others[1].feedback_due_on) in row


def test_a_care_trajectory_shows_the_next_current_rent_check_to_its_readers_only(client, make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    services.record_current_rent_check(world.corporation_worker, case, checked_on=today - timedelta(days=10), paid=True)
    give_consent(world.team_worker, case)
    services.request_involvement(world.team_worker, case, organisation=world.health_service)
    due = long_date(today + timedelta(days=20))

    for reader in (world.team_worker, world.corporation_worker):
        client.force_login(reader)
        row = _row_of(client, case)
        assert "Lopende huur controleren" in row and due in row and str(world.corporation) in row
    client.force_login(world.health_service_worker)  # it does not read current-rent checks
    row = _row_of(client, case)
    assert "Lopende huur" not in row and due not in row
    assert "verzoek" in row.lower()  # its own next step: answer the request to join


def test_the_arrangement_review_comes_first_when_it_is_sooner(client, make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    services.record_current_rent_check(world.corporation_worker, case, checked_on=today, paid=True)
    services.record_payment_arrangement(
        world.team_worker,
        case,
        agreed_on=today - timedelta(days=80),
        monthly_amount=Decimal("50"),
        total_amount=Decimal("700"),
    )
    client.force_login(world.corporation_worker)
    row = _row_of(client, case)
    assert "Betalingsregeling herzien" in row and long_date(today + timedelta(days=10)) in row
