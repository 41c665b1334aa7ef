"""Covenant step 6: Veilig Thuis refers residents with rent arrears to the social team directly."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.factories import TenancyFactory
from woonzeker.accounts.authorization import MoveRefused, visible_cases
from woonzeker.cases import services
from woonzeker.cases.constants import Outcome, ReferralSource, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(world):
    # Veilig Thuis may not know the landlord or the contract: no arrears figures needed.
    return TenancyFactory(
        corporation=None, contract_number="", municipality=world.dordrecht, postcode="3318AB", monthly_rent=None
    )


def test_safe_home_referral_enters_at_referred_with_the_routed_team(world, household, today):
    case = services.refer_from_safe_home(world.safe_home_worker, household, referred_on=today, note="Via Veilig Thuis")
    assert case.state == State.REFERRED
    assert case.source == ReferralSource.SAFE_HOME
    assert case.social_team == world.other_team
    assert case.established_on is None and case.referral_due_on is None
    assert case.feedback_due_on == today + timedelta(days=14)


def test_safe_home_sees_what_it_referred_and_nothing_else(world, household, make_case, today):
    referred = services.refer_from_safe_home(world.safe_home_worker, household, referred_on=today)
    make_case(State.REFERRED)
    assert list(visible_cases(world.safe_home_worker)) == [referred]


def test_safe_home_case_follows_steps_4_and_5_without_corporation_agreement(world, household, today):
    case = services.refer_from_safe_home(world.safe_home_worker, household, referred_on=today)
    services.record_analysis(
        world.other_team_worker, case, tenant_reached=True, problems={}, summary_for_corporation="In beeld."
    )
    services.send_feedback(world.other_team_worker, case, sent_on=today)
    services.start_care_trajectory(world.other_team_worker, case, started_on=today, reason="Begeleiding nodig.")
    services.close_care_trajectory(world.other_team_worker, case, outcome=Outcome.EVICTION_AVERTED, closed_on=today)
    assert case.state == State.CLOSED


def test_corporation_cannot_refer_as_safe_home(world, household, today):
    with pytest.raises(MoveRefused):
        services.refer_from_safe_home(world.corporation_worker, household, referred_on=today)


def test_safe_home_referral_of_uncovered_address_names_the_postcode(world, today):
    household = TenancyFactory(corporation=None, contract_number="", municipality=world.dordrecht, postcode="3340AA")
    with pytest.raises(ValidationError, match="3340 AA"):
        services.refer_from_safe_home(world.safe_home_worker, household, referred_on=today)
