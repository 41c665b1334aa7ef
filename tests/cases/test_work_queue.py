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
