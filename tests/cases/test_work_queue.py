"""The work queue in pages: what the party owes first, soonest due first, then the rest; each case once."""

import pytest

from woonzeker.accounts.authorization import visible_cases
from woonzeker.cases.constants import State
from woonzeker.cases.selectors import queue_page, work_queue

pytestmark = pytest.mark.django_db


def test_pages_follow_the_queue_order_and_show_each_case_once(world, make_case, today, django_assert_num_queries):
    referred = [make_case(State.REFERRED, established_days_ago=days) for days in (20, 35, 12, 28)]
    fed_back = [make_case(State.FEEDBACK_SENT, established_days_ago=days) for days in (60, 40)]
    queue = work_queue(world.team_worker, visible_cases(world.team_worker), today)
    owed_soonest_first = sorted(referred, key=lambda case: (case.feedback_due_on, case.pk))
    expected = [case.pk for case in owed_soonest_first] + sorted(case.pk for case in fed_back)

    shown = []
    for number in (1, 2, 3):
        with django_assert_num_queries(3):  # the count, the page's ids, the page's cases with their parties
            page = queue_page(queue, number, 2)
            shown += [(case.pk, case.due_on, case.tenancy.tenant_name, str(case.social_team)) for case in page]

    assert [pk for pk, *_ in shown] == expected
    due = {case.pk: case.feedback_due_on for case in referred}
    assert [due_on for _pk, due_on, *_ in shown] == [due.get(pk) for pk in expected]  # none for fed-back cases
    assert {team for *_, team in shown} == {str(world.team)}
    with django_assert_num_queries(2):  # the count known already (the queue's counts): not counted again
        assert [case.pk for case in queue_page(queue, 1, 2, count=len(expected))] == expected[:2]


def test_a_page_beyond_the_last_shows_the_last(world, make_case, today):
    cases = [make_case(State.REFERRED) for _ in range(3)]
    queue = work_queue(world.team_worker, visible_cases(world.team_worker), today)
    page = queue_page(queue, "99", 2)
    assert (page.number, [case.pk for case in page]) == (2, [max(case.pk for case in cases)])
    assert queue_page(queue, "not a number", 2).number == 1


def _shown(response):
    return [case.pk for case in response.context["page"].object_list]


def test_the_queue_shows_open_cases_by_default_and_says_so(client, world, make_case):
    open_case = make_case(State.REFERRED, tenant_name="Jansen")
    closed = make_case(State.CLOSED, tenant_name="Jansen")
    resolved = make_case(State.RESOLVED_BEFORE_REFERRAL, tenant_name="Jansen")
    client.force_login(world.corporation_worker)

    response = client.get("/", {"q": "Jansen"})
    page = response.content.decode()
    assert _shown(response) == [open_case.pk]
    assert "1 openstaand dossier" in page
    assert "Alleen open dossiers" in page and "Alle dossiers" in page

    response = client.get("/", {"q": "Jansen", "scope": "all"})
    page = response.content.decode()
    assert _shown(response) == [open_case.pk, closed.pk, resolved.pk]  # open first, then the ended ones
    assert "3 dossiers, open en afgesloten" in page
    assert response.context["counts"]["total"] == 3 and response.context["counts"]["open"] == 1


def test_the_state_filter_offers_closed_and_resolved_and_finds_them(client, world, make_case):
    make_case(State.REFERRED)
    closed = make_case(State.CLOSED)
    resolved = make_case(State.RESOLVED_BEFORE_REFERRAL)
    client.force_login(world.team_worker)  # the team sees what was referred to it: the closed case, not the resolved
    page = client.get("/").content.decode()
    assert 'value="closed"' in page and 'value="resolved_before_referral"' in page

    response = client.get("/", {"state": "closed"})
    assert _shown(response) == [closed.pk]
    assert "1 dossier met status “Afgesloten”" in response.content.decode()
    assert _shown(client.get("/", {"state": "resolved_before_referral"})) == []

    client.force_login(world.corporation_worker)
    assert _shown(client.get("/", {"state": "resolved_before_referral"})) == [resolved.pk]


def test_searching_all_cases_never_shows_a_case_the_user_may_not_see(client, world, make_case):
    ours = make_case(State.CLOSED, tenant_name="Pietersen")
    make_case(State.REFERRED, tenant_name="Pietersen", postcode="3320AB")  # routed to the other team
    client.force_login(world.team_worker)
    assert _shown(client.get("/", {"q": "Pietersen", "scope": "all"})) == [ours.pk]
