"""The API's next step of a case, by whom, by when: the work queue's, for the same reader, from the same function."""

import re
from datetime import timedelta

import pytest

from tests.factories import client_for, give_consent
from woonzeker.cases import services
from woonzeker.cases.constants import InvolvementStatus, State
from woonzeker.cases.models import Involvement
from woonzeker.formatting import long_date as _long_date

pytestmark = pytest.mark.django_db


def long_date(day):
    from django.utils import translation

    with translation.override("nl"):
        return _long_date(day)


def queue_row(client, user, case):
    """The case's row of ``user``'s work queue, as text."""
    client.force_login(user)
    page = client.get("/").content.decode()
    [row] = [r for r in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", page, re.S) if f"/{case.pk}/" in r]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))


def next_step_in_the_api(user, case):
    """The case's next step in the API's list and in its detail, which must agree."""
    api = client_for(user)
    [listed] = [row for row in api.get("/api/v1/cases/").json()["results"] if row["id"] == case.pk]
    detail = api.get(f"/api/v1/cases/{case.pk}/").json()
    assert listed["next_step"] == detail["next_step"]
    return detail["next_step"]


@pytest.fixture
def trajectory(make_case, world, today):
    """A care trajectory of the team worker's, its current rent checked ten days ago, the health service asked."""
    case = make_case(State.CARE_TRAJECTORY)
    services.assign_case_worker(world.team_coordinator, case, worker=world.team_worker)
    services.record_current_rent_check(world.corporation_worker, case, checked_on=today - timedelta(days=10), paid=True)
    give_consent(world.team_worker, case)
    services.request_involvement(world.team_worker, case, organisation=world.health_service)
    return case


def test_the_api_gives_a_case_workers_next_step_by_whom_and_by_when(client, world, trajectory, today):
    due = today + timedelta(days=20)  # a month after the last check (current_rent_check_interval_days)
    assert next_step_in_the_api(world.team_worker, trajectory) == {
        "name": "check_current_rent",
        "label": "Lopende huur controleren",
        "by": str(world.corporation),
        "due_on": due.isoformat(),
    }
    row = queue_row(client, world.team_worker, trajectory)  # the page says the same
    assert "Lopende huur controleren" in row and str(world.corporation) in row and long_date(due) in row


def test_a_payment_arrangement_due_for_review_before_the_next_check_is_the_next_step(client, world, trajectory, today):
    from decimal import Decimal

    agreed = today - timedelta(days=85)  # reviewed every 90 days: due in 5, before the check due in 20
    services.record_payment_arrangement(
        world.team_worker, trajectory, agreed_on=agreed, monthly_amount=Decimal("50"), total_amount=Decimal("600")
    )
    due = today + timedelta(days=5)
    assert next_step_in_the_api(world.team_worker, trajectory) == {
        "name": "review_arrangement",
        "label": "Betalingsregeling herzien",
        "by": str(world.team),
        "due_on": due.isoformat(),
    }
    row = queue_row(client, world.team_worker, trajectory)
    assert "Betalingsregeling herzien" in row and long_date(due) in row


def test_the_label_follows_the_apis_language(world, trajectory):
    answer = client_for(world.team_worker).get(f"/api/v1/cases/{trajectory.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.json()["next_step"]["label"] == "Check the current rent"


def test_a_referred_case_is_owed_its_analysis_by_the_team(world, make_case):
    case = make_case(State.REFERRED)
    assert next_step_in_the_api(world.team_worker, case) == {
        "name": "feed_back",
        "label": "Analyse terugkoppelen",
        "by": str(world.team),
        "due_on": case.feedback_due_on.isoformat(),
    }


def test_a_party_that_does_not_read_the_current_rent_checks_does_not_get_their_due_date(
    client, world, trajectory, today
):
    due = today + timedelta(days=20)
    reader = world.health_service_worker  # reads neither current-rent checks nor payment arrangements
    step = next_step_in_the_api(reader, trajectory)
    assert step["name"] == "answer_request" and step["due_on"] is None  # its own answer, as on its page
    assert "verzoek" in queue_row(client, reader, trajectory).lower()

    involvement = Involvement.objects.get(case=trajectory, organisation=world.health_service)
    services.update_involvement(reader, involvement, status=InvolvementStatus.ACCEPTED)
    step = next_step_in_the_api(reader, trajectory)
    assert step == {
        "name": "follow_trajectory",
        "label": "Zorgtraject volgen tot een uitkomst",
        "by": str(world.team),
        "due_on": None,
    }
    detail = client_for(reader).get(f"/api/v1/cases/{trajectory.pk}/").content.decode()
    assert due.isoformat() not in detail
    row = queue_row(client, reader, trajectory)
    assert "Zorgtraject volgen" in row and long_date(due) not in row


def test_an_ended_case_has_no_next_step(world, make_case):
    case = make_case(State.CLOSED)
    assert next_step_in_the_api(world.team_worker, case) is None
