"""The covenant's two promises on their boundary days: day 42/43 after establishment, 14/15 after referral."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.factories import CovenantFactory
from woonzeker.cases import services
from woonzeker.cases.constants import State
from woonzeker.cases.deadlines import (
    DeadlineState,
    analysis_deadline,
    deadline_state,
    deadlines_of,
    referral_deadline,
)
from woonzeker.cases.selectors import deadlines_due

ESTABLISHED = date(2016, 3, 1)


@pytest.fixture
def covenant():
    return CovenantFactory.build(referral_term_days=42, analysis_term_days=14, due_soon_days=7)


def test_referral_is_due_six_weeks_after_establishment(covenant):
    assert referral_deadline(ESTABLISHED, covenant) == ESTABLISHED + timedelta(days=42)


def test_analysis_is_due_two_weeks_after_referral(covenant):
    assert analysis_deadline(date(2016, 4, 1), covenant) == date(2016, 4, 15)


def test_terms_come_from_the_covenant():
    later = CovenantFactory.build(referral_term_days=28, analysis_term_days=10)
    assert referral_deadline(ESTABLISHED, later) == ESTABLISHED + timedelta(days=28)
    assert analysis_deadline(ESTABLISHED, later) == ESTABLISHED + timedelta(days=10)


def test_referral_on_day_42_is_met(covenant):
    due = referral_deadline(ESTABLISHED, covenant)
    assert deadline_state(due, ESTABLISHED + timedelta(days=42), date(2017, 1, 1), 7) == DeadlineState.MET


def test_referral_on_day_43_is_met_late(covenant):
    due = referral_deadline(ESTABLISHED, covenant)
    assert deadline_state(due, ESTABLISHED + timedelta(days=43), date(2017, 1, 1), 7) == DeadlineState.MET_LATE


def test_unreferred_signal_is_due_soon_on_day_42_and_overdue_on_day_43(covenant):
    due = referral_deadline(ESTABLISHED, covenant)
    assert deadline_state(due, None, ESTABLISHED + timedelta(days=42), 7) == DeadlineState.DUE_SOON
    assert deadline_state(due, None, ESTABLISHED + timedelta(days=43), 7) == DeadlineState.OVERDUE


def test_due_soon_starts_seven_days_before(covenant):
    due = referral_deadline(ESTABLISHED, covenant)
    assert deadline_state(due, None, ESTABLISHED + timedelta(days=34), 7) == DeadlineState.ON_TIME
    assert deadline_state(due, None, ESTABLISHED + timedelta(days=35), 7) == DeadlineState.DUE_SOON


def test_feedback_on_day_14_is_met_and_on_day_15_met_late(covenant):
    referred = date(2016, 4, 1)
    due = analysis_deadline(referred, covenant)
    assert deadline_state(due, referred + timedelta(days=14), date(2017, 1, 1), 7) == DeadlineState.MET
    assert deadline_state(due, referred + timedelta(days=15), date(2017, 1, 1), 7) == DeadlineState.MET_LATE


def test_open_analysis_overdue_on_day_15(covenant):
    referred = date(2016, 4, 1)
    due = analysis_deadline(referred, covenant)
    assert deadline_state(due, None, referred + timedelta(days=14), 7) == DeadlineState.DUE_SOON
    assert deadline_state(due, None, referred + timedelta(days=15), 7) == DeadlineState.OVERDUE


# --- On real cases ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_shows_who_owes_what_to_whom_by_when(make_case, world, today):
    case = make_case(State.REFERRED, established_days_ago=50)
    referral, analysis = deadlines_of(case, today)
    assert (referral.name, referral.owed_by, referral.owed_to, referral.state) == (
        "referral",
        world.corporation,
        world.team,
        DeadlineState.MET,
    )
    assert (analysis.name, analysis.owed_by, analysis.owed_to) == ("analysis", world.team, world.corporation)
    assert analysis.due_on == today - timedelta(days=40) + timedelta(days=14)
    assert analysis.state == DeadlineState.OVERDUE


@pytest.mark.django_db
@pytest.mark.parametrize(("referred_on_day", "expected"), [(42, DeadlineState.MET), (43, DeadlineState.MET_LATE)])
def test_referral_of_a_case_on_boundary_day(make_case, world, today, referred_on_day, expected):
    case = make_case(State.SIGNAL, established_days_ago=60)
    services.record_approach(world.corporation_worker, case, channel="letter", approached_on=today, reached=True)
    services.refer(world.corporation_worker, case, referred_on=case.established_on + timedelta(days=referred_on_day))
    assert deadlines_of(case, today)[0].state == expected


@pytest.mark.django_db
def test_resolved_signal_has_no_referral_promise(make_case, today):
    case = make_case(State.RESOLVED_BEFORE_REFERRAL)
    assert deadlines_of(case, today) == []


@pytest.mark.django_db
def test_overdue_and_due_soon_listed_in_one_query(make_case, world, today, django_assert_num_queries):
    overdue_signal = make_case(State.SIGNAL, established_days_ago=43)
    due_today_signal = make_case(State.SIGNAL, established_days_ago=42)
    make_case(State.SIGNAL, established_days_ago=10)  # due in 32 days: not listed
    overdue_analysis = make_case(State.REFERRED, established_days_ago=25)  # referred 15 days ago
    make_case(State.FEEDBACK_SENT, established_days_ago=200)  # promise met: not listed
    with django_assert_num_queries(1):
        listed = [(c.pk, c.deadline, c.due_on) for c in deadlines_due(today, within_days=0)]
    assert listed == [
        (overdue_signal.pk, "referral", today - timedelta(days=1)),
        (overdue_analysis.pk, "analysis", today - timedelta(days=1)),
        (due_today_signal.pk, "referral", today),
    ]


@pytest.mark.django_db
def test_due_within_n_days_widens_the_list(make_case, today):
    soon = make_case(State.SIGNAL, established_days_ago=37)  # due in 5 days
    assert soon not in deadlines_due(today, within_days=4)
    assert soon in deadlines_due(today, within_days=5)


@pytest.mark.django_db
def test_arrears_threshold_is_a_covenant_setting(world, today):
    from tests.factories import TenancyFactory

    world.covenant.arrears_threshold_months = Decimal("2.00")
    world.covenant.save()
    tenancy = TenancyFactory(corporation=world.corporation, municipality=world.dordrecht, monthly_rent=Decimal("500"))
    with pytest.raises(Exception, match="2 month"):
        services.establish_signal(world.corporation_worker, tenancy, established_on=today, arrears=Decimal("999"))
    assert services.establish_signal(world.corporation_worker, tenancy, established_on=today, arrears=Decimal("1000"))
