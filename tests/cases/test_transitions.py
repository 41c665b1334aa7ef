"""Every transition of the covenant's process: allowed by the right party, refused otherwise."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import TenancyFactory, give_consent
from woonzeker.accounts.authorization import MoveRefused
from woonzeker.cases import services
from woonzeker.cases.constants import CorporationDecision, MilestoneKind, Outcome, State
from woonzeker.cases.models import CaseEvent
from woonzeker.cases.workflow import TRANSITIONS
from woonzeker.organisations.models import ServiceArea

pytestmark = pytest.mark.django_db


def _unchanged(case, state, events):
    case.refresh_from_db()
    assert case.state == state
    assert case.events.count() == events


# --- Establishing a signal -------------------------------------------------------------------


def test_corporation_establishes_signal_with_referral_due_in_six_weeks(world, today):
    tenancy = TenancyFactory(corporation=world.corporation, municipality=world.dordrecht)
    case = services.establish_signal(
        world.corporation_worker, tenancy, established_on=today - timedelta(days=3), arrears=Decimal("650.00")
    )
    assert case.state == State.SIGNAL
    assert case.referral_due_on == today - timedelta(days=3) + timedelta(days=42)
    assert case.covenant == world.covenant
    event = case.events.get()
    assert (event.action, event.actor, event.organisation) == (
        "establish_signal",
        world.corporation_worker,
        world.corporation,
    )


def test_signal_refused_below_one_month_of_rent(world, today):
    tenancy = TenancyFactory(corporation=world.corporation, municipality=world.dordrecht, monthly_rent=Decimal("650"))
    with pytest.raises(ValidationError, match="at least 1 month"):
        services.establish_signal(world.corporation_worker, tenancy, established_on=today, arrears=Decimal("649.99"))


def test_signal_refused_for_another_corporations_tenant(world, today):
    tenancy = TenancyFactory(corporation=world.other_corporation, municipality=world.dordrecht)
    with pytest.raises(ValidationError, match="not one of your corporation"):
        services.establish_signal(world.corporation_worker, tenancy, established_on=today, arrears=Decimal("900"))


def test_signal_refused_to_social_team(world, today):
    tenancy = TenancyFactory(corporation=world.corporation, municipality=world.dordrecht)
    with pytest.raises(MoveRefused):
        services.establish_signal(world.team_worker, tenancy, established_on=today, arrears=Decimal("900"))


def test_a_signal_for_a_postcode_no_team_covers_is_refused_on_the_postcode(world, today):
    tenancy = TenancyFactory(corporation=world.corporation, municipality=world.dordrecht, postcode="3350AB")
    with pytest.raises(ValidationError) as refused:
        services.establish_signal(world.corporation_worker, tenancy, established_on=today, arrears=Decimal("900"))
    assert refused.value.message_dict == {"postcode": ["No social team covers postcode 3350 AB in Dordrecht."]}
    assert not tenancy.cases.exists()


def test_second_open_case_for_same_tenancy_refused(make_case, world, today):
    case = make_case()
    with pytest.raises(ValidationError, match="already has an open case"):
        services.establish_signal(world.corporation_worker, case.tenancy, established_on=today, arrears=Decimal("900"))


def test_signal_date_in_future_refused(world, today):
    tenancy = TenancyFactory(corporation=world.corporation, municipality=world.dordrecht)
    with pytest.raises(ValidationError, match="future"):
        services.establish_signal(
            world.corporation_worker, tenancy, established_on=today + timedelta(days=1), arrears=Decimal("900")
        )


def test_signal_refused_where_no_covenant_covers_the_municipality(world, today):
    from tests.factories import MunicipalityFactory

    elsewhere = MunicipalityFactory(name="Gorinchem", cbs_code="0512")
    tenancy = TenancyFactory(corporation=world.corporation, municipality=elsewhere)
    with pytest.raises(ValidationError, match="No covenant covers Gorinchem"):
        services.establish_signal(world.corporation_worker, tenancy, established_on=today, arrears=Decimal("900"))


# --- Active approach and referral ------------------------------------------------------------


def test_referral_without_active_approach_refused(make_case, world, today):
    case = make_case(State.SIGNAL)
    with pytest.raises(ValidationError, match="active approach"):
        services.refer(world.corporation_worker, case, referred_on=today)
    _unchanged(case, State.SIGNAL, 1)


def test_referral_after_approach_goes_to_the_routed_team(make_case, world, today):
    case = make_case(State.SIGNAL, postcode="3320AB")
    services.record_approach(world.corporation_worker, case, channel="home_visit", approached_on=today, reached=False)
    services.refer(world.corporation_worker, case, referred_on=today)
    assert case.state == State.REFERRED
    assert case.social_team == world.other_team
    assert case.feedback_due_on == today + timedelta(days=14)
    assert case.events.last().details == {"social_team": "Wijkteam Zuid"}


def test_referral_of_uncovered_postcode_names_the_postcode(make_case, world, today):
    case = make_case(State.SIGNAL, postcode="3311AB")
    ServiceArea.objects.filter(team=world.team).delete()  # the team no longer serves the address since the signal
    services.record_approach(world.corporation_worker, case, channel="phone", approached_on=today, reached=True)
    with pytest.raises(ValidationError, match="No social team covers postcode 3311 AB in Dordrecht"):
        services.refer(world.corporation_worker, case, referred_on=today)
    _unchanged(case, State.SIGNAL, 2)


def test_referral_before_establishment_refused(make_case, world, today):
    case = make_case(State.SIGNAL, established_days_ago=5)
    services.record_approach(world.corporation_worker, case, channel="letter", approached_on=today, reached=True)
    with pytest.raises(ValidationError, match="before the arrears were established"):
        services.refer(world.corporation_worker, case, referred_on=today - timedelta(days=6))


def test_approach_recorded_only_by_the_corporation(make_case, world, today):
    case = make_case(State.SIGNAL)
    with pytest.raises(MoveRefused):
        services.record_approach(world.team_worker, case, channel="letter", approached_on=today, reached=True)
    with pytest.raises(MoveRefused, match="not one of your organisation"):
        services.record_approach(
            world.other_corporation_worker, case, channel="letter", approached_on=today, reached=True
        )


def test_approach_with_unknown_channel_refused(make_case, world, today):
    case = make_case(State.SIGNAL)
    with pytest.raises(ValidationError, match="listed options"):
        services.record_approach(world.corporation_worker, case, channel="pigeon", approached_on=today, reached=True)
    assert not case.approaches.exists()


# --- Resolved before referral and withdrawn --------------------------------------------------


def test_signal_resolved_by_payment_arrangement(make_case, world, today):
    case = make_case(State.SIGNAL)
    services.resolve_before_referral(
        world.corporation_worker, case, resolution="payment_arrangement", resolved_on=today
    )
    assert case.state == State.RESOLVED_BEFORE_REFERRAL
    assert case.resolution == "payment_arrangement"


def test_referred_case_cannot_be_resolved_before_referral(make_case, world, today):
    case = make_case(State.REFERRED)
    with pytest.raises(ValidationError, match="cannot: Resolve before referral"):
        services.resolve_before_referral(world.corporation_worker, case, resolution="arrears_paid", resolved_on=today)


def test_only_a_coordinator_withdraws_a_signal(make_case, world, today):
    case = make_case(State.SIGNAL)
    with pytest.raises(MoveRefused, match="role"):
        services.withdraw_signal(world.corporation_worker, case, outcome=Outcome.MOVED, closed_on=today)
    services.withdraw_signal(world.corporation_coordinator, case, outcome=Outcome.MOVED, closed_on=today)
    assert (case.state, case.outcome) == (State.CLOSED, Outcome.MOVED)


def test_signal_withdrawn_only_with_a_withdrawal_outcome(make_case, world, today):
    case = make_case(State.SIGNAL)
    with pytest.raises(ValidationError):
        services.withdraw_signal(world.corporation_coordinator, case, outcome=Outcome.ARREARS_CLEARED, closed_on=today)


# --- Analysis and feedback --------------------------------------------------------------------


def test_feedback_without_analysis_refused(make_case, world, today):
    case = make_case(State.REFERRED)
    with pytest.raises(ValidationError, match="Record the analysis first"):
        services.send_feedback(world.team_worker, case, sent_on=today)
    _unchanged(case, State.REFERRED, 3)


def test_feedback_sent_by_the_routed_team_only(make_case, world, today):
    case = make_case(State.REFERRED)
    services.record_analysis(
        world.team_worker, case, tenant_reached=False, problems={}, summary_for_corporation="Niet bereikt."
    )
    with pytest.raises(MoveRefused):
        services.send_feedback(world.other_team_worker, case, sent_on=today)
    with pytest.raises(MoveRefused):
        services.send_feedback(world.corporation_worker, case, sent_on=today)
    services.send_feedback(world.team_worker, case, sent_on=today)
    assert case.state == State.FEEDBACK_SENT and case.feedback_sent_on == today


def test_analysis_with_unknown_problem_area_refused(make_case, world):
    case = make_case(State.REFERRED)
    with pytest.raises(ValidationError):
        services.record_analysis(
            world.team_worker, case, tenant_reached=True, problems={"astrology": "severe"}, summary_for_corporation="x"
        )
    assert not hasattr(case, "analysis") or case.analysis is None


def test_case_worker_assigned_by_team_coordinator_only(make_case, world):
    case = make_case(State.REFERRED)
    with pytest.raises(MoveRefused):
        services.assign_case_worker(world.team_worker, case, worker=world.team_worker)
    with pytest.raises(ValidationError, match="member of the social team"):
        services.assign_case_worker(world.team_coordinator, case, worker=world.corporation_worker)
    services.assign_case_worker(world.team_coordinator, case, worker=world.team_worker)
    assert case.case_worker == world.team_worker


# --- Decision and care trajectory -------------------------------------------------------------


def test_trajectory_needs_the_corporations_agreement(make_case, world, today):
    case = make_case(State.FEEDBACK_SENT)
    with pytest.raises(ValidationError, match="not agreed"):
        services.start_care_trajectory(world.team_worker, case, started_on=today, reason="Nodig.")
    services.record_corporation_decision(world.corporation_worker, case, decision=CorporationDecision.AGREED)
    services.start_care_trajectory(world.team_worker, case, started_on=today, reason="Nodig.")
    assert case.state == State.CARE_TRAJECTORY
    assert case.case_director == world.team_worker


def test_corporation_declining_must_give_a_reason(make_case, world):
    case = make_case(State.FEEDBACK_SENT)
    with pytest.raises(ValidationError):
        services.record_corporation_decision(world.corporation_worker, case, decision=CorporationDecision.DECLINED)


def test_corporation_cannot_start_a_trajectory(make_case, world, today):
    case = make_case(State.FEEDBACK_SENT)
    with pytest.raises(MoveRefused):
        services.start_care_trajectory(world.corporation_worker, case, started_on=today, reason="x")


def test_no_trajectory_closes_with_reason_and_outcome(make_case, world, today):
    case = make_case(State.FEEDBACK_SENT)
    with pytest.raises(ValidationError):
        services.decide_no_care_trajectory(
            world.corporation_worker, case, reason="  ", outcome=Outcome.HELP_REFUSED, closed_on=today
        )
    services.decide_no_care_trajectory(
        world.corporation_worker, case, reason="Huurder wil niet.", outcome=Outcome.HELP_REFUSED, closed_on=today
    )
    assert (case.state, case.outcome) == (State.CLOSED, Outcome.HELP_REFUSED)


def test_services_brought_in_accept_and_finish(make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    give_consent(world.team_worker, case)
    involvement = services.request_involvement(world.team_worker, case, organisation=world.social_service)
    with pytest.raises(ValidationError, match="already involved"):
        services.request_involvement(world.team_worker, case, organisation=world.social_service)
    with pytest.raises(ValidationError, match="Only the social service or the health service"):
        services.request_involvement(world.team_worker, case, organisation=world.corporation)
    with pytest.raises(MoveRefused):  # the health service was not brought in: it does not see the case
        services.update_involvement(world.health_service_worker, involvement, status="accepted")
    with pytest.raises(ValidationError, match="cannot become"):
        services.update_involvement(world.social_service_worker, involvement, status="finished")
    services.update_involvement(world.social_service_worker, involvement, status="accepted", progress="Intake gepland.")
    services.update_involvement(world.social_service_worker, involvement, status="finished")
    involvement.refresh_from_db()
    assert involvement.status == "finished" and involvement.finished_on == today


def test_current_rent_unpaid_when_arrears_grew(make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    check = services.record_current_rent_check(
        world.corporation_worker, case, checked_on=today, previous_arrears=Decimal("700"), arrears=Decimal("750")
    )
    assert check.paid is False
    check = services.record_current_rent_check(
        world.corporation_worker, case, checked_on=today, previous_arrears=Decimal("750"), arrears=Decimal("700")
    )
    assert check.paid is True


def test_payment_arrangement_amounts_must_be_positive(make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    with pytest.raises(ValidationError):
        services.record_payment_arrangement(
            world.team_worker, case, agreed_on=today, monthly_amount=Decimal("-5"), total_amount=Decimal("700")
        )
    services.record_payment_arrangement(
        world.team_worker, case, agreed_on=today, monthly_amount=Decimal("50"), total_amount=Decimal("700")
    )
    assert case.payment_arrangements.count() == 1


def test_trajectory_closed_with_outcome(make_case, world, today):
    case = make_case(State.CLOSED)
    assert (case.state, case.outcome) == (State.CLOSED, Outcome.ARREARS_CLEARED)


def test_executed_eviction_counts_in_the_outcome(make_case, world, today):
    case = make_case(State.CARE_TRAJECTORY)
    with pytest.raises(ValidationError, match="evicted"):
        services.close_care_trajectory(world.team_worker, case, outcome=Outcome.EVICTED, closed_on=today)
    services.record_milestone(world.corporation_worker, case, kind=MilestoneKind.EVICTION_EXECUTED, occurred_on=today)
    with pytest.raises(ValidationError, match="evicted"):
        services.close_care_trajectory(world.team_worker, case, outcome=Outcome.EVICTION_AVERTED, closed_on=today)
    services.close_care_trajectory(world.team_worker, case, outcome=Outcome.EVICTED, closed_on=today)
    assert case.outcome == Outcome.EVICTED


def test_milestones_recorded_by_the_corporation_only(make_case, world, today):
    case = make_case(State.REFERRED)
    with pytest.raises(MoveRefused):
        services.record_milestone(world.team_worker, case, kind=MilestoneKind.SUMMONS, occurred_on=today)
    services.record_milestone(world.corporation_worker, case, kind=MilestoneKind.SUMMONS, occurred_on=today)


# --- The table as a whole ---------------------------------------------------------------------

CALLS = {
    "resolve_before_referral": lambda w, c, t: services.resolve_before_referral(
        w.corporation_worker, c, resolution="arrears_paid", resolved_on=t
    ),
    "withdraw_signal": lambda w, c, t: services.withdraw_signal(
        w.corporation_coordinator, c, outcome=Outcome.MOVED, closed_on=t
    ),
    "refer": lambda w, c, t: services.refer(w.corporation_worker, c, referred_on=t),
    "send_feedback": lambda w, c, t: services.send_feedback(w.team_worker, c, sent_on=t),
    "start_care_trajectory": lambda w, c, t: services.start_care_trajectory(w.team_worker, c, started_on=t, reason="x"),
    "decide_no_care_trajectory": lambda w, c, t: services.decide_no_care_trajectory(
        w.team_worker, c, reason="x", outcome=Outcome.HELP_REFUSED, closed_on=t
    ),
    "close_care_trajectory": lambda w, c, t: services.close_care_trajectory(
        w.team_worker, c, outcome=Outcome.ARREARS_CLEARED, closed_on=t
    ),
}
CASE_STATES = [
    State.SIGNAL,
    State.RESOLVED_BEFORE_REFERRAL,
    State.REFERRED,
    State.FEEDBACK_SENT,
    State.CARE_TRAJECTORY,
    State.CLOSED,
]


REFUSED = [(name, state) for name in sorted(CALLS) for state in CASE_STATES if state not in TRANSITIONS[name].sources]


@pytest.mark.parametrize(("name", "state"), REFUSED)
def test_transition_refused_from_every_state_not_in_the_table(make_case, world, today, name, state):
    case = make_case(state)
    events = case.events.count()
    # Refused either because the case is in the wrong state, or because the party that
    # makes this move cannot see the case yet (a team before the referral).
    with pytest.raises((ValidationError, MoveRefused), match="cannot|not one of your organisation"):
        CALLS[name](world, case, today)
    _unchanged(case, state, events)


def test_every_transition_in_the_table_has_a_service_and_a_test():
    creating = {name for name, move in TRANSITIONS.items() if move.creates_case}
    assert set(CALLS) | creating == set(TRANSITIONS)


def test_every_change_is_an_append_only_event(make_case, world):
    case = make_case(State.CLOSED)
    actions = list(case.events.values_list("action", flat=True))
    assert actions == [
        "establish_signal",
        "record_approach",
        "refer",
        "record_analysis",
        "send_feedback",
        "record_corporation_decision",
        "start_care_trajectory",
        "close_care_trajectory",
    ]
    event = case.events.first()
    event.action = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).update(action="rewritten")
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=case).delete()
