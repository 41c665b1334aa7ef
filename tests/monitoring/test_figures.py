"""Every monitoring figure against a small data set counted by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.factories import TenancyFactory
from woonzeker.cases import services
from woonzeker.cases.constants import MilestoneKind, Outcome, State
from woonzeker.monitoring import figures
from woonzeker.monitoring.figures import Selection
from woonzeker.monitoring.periods import Period, parse_period
from woonzeker.monitoring.refresh import refresh_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(today):
    return Period("test", today - timedelta(days=365), today, "test")


@pytest.fixture
def data(world, make_case, today):
    """By hand: 3 signals still open (one overdue), 1 resolved, 2 referred (referral on day 10; one
    analysis overdue), 2 fed back (on day 7 and 10 after referral... see make_case), 2 in a trajectory,
    1 closed evicted, plus one Veilig Thuis referral."""
    cases = {
        "signal_fresh": make_case(State.SIGNAL, established_days_ago=5),
        "signal_due": make_case(State.SIGNAL, established_days_ago=40),
        "signal_overdue": make_case(State.SIGNAL, established_days_ago=50),
        "resolved": make_case(State.RESOLVED_BEFORE_REFERRAL, established_days_ago=30),
        "referred": make_case(State.REFERRED, established_days_ago=20),  # referred 10 days ago: on time
        "referred_late": make_case(State.REFERRED, established_days_ago=40),  # analysis due 16 days ago
        "fed_back": make_case(State.FEEDBACK_SENT, established_days_ago=60),
        "trajectory": make_case(State.CARE_TRAJECTORY, established_days_ago=90),
        "evicted": make_case(State.CARE_TRAJECTORY, established_days_ago=120),
    }
    evicted = cases["evicted"]
    services.record_current_rent_check(world.corporation_worker, evicted, checked_on=today, paid=False)
    services.record_milestone(
        world.corporation_worker, evicted, kind=MilestoneKind.EVICTION_EXECUTED, occurred_on=today
    )
    services.close_care_trajectory(world.team_worker, evicted, outcome=Outcome.EVICTED, closed_on=today)
    services.record_current_rent_check(world.corporation_worker, cases["trajectory"], checked_on=today, paid=False)
    household = TenancyFactory(corporation=None, contract_number="", municipality=world.dordrecht)
    cases["safe_home"] = services.refer_from_safe_home(world.safe_home_worker, household, referred_on=today)
    refresh_figures()
    return cases


@pytest.fixture
def selection(world, period):
    return Selection(world.covenant, period)


def test_funnel_counts_each_step_by_its_date(data, selection):
    assert figures.funnel(selection) == {
        "signals": 9,  # every corporation case was established within the year
        "resolved": 1,
        "referred_by_corporation": 5,  # referred, referred_late, fed_back, trajectory, evicted
        "referred_by_safe_home": 1,
        "fed_back": 3,  # fed_back, trajectory, evicted
        "trajectories": 2,
        "closed": 1,
    }


def test_funnel_outside_the_period_is_empty(data, world, today):
    last_year = Period("old", today - timedelta(days=800), today - timedelta(days=400), "old")
    assert set(figures.funnel(Selection(world.covenant, last_year)).values()) == {0}


def test_funnel_of_one_team(data, world, selection):
    other = figures.funnel(Selection(world.covenant, selection.period, social_team=world.other_team))
    assert other["referred_by_safe_home"] == 0
    mine = figures.funnel(Selection(world.covenant, selection.period, social_team=world.team))
    assert (mine["referred_by_corporation"], mine["referred_by_safe_home"]) == (5, 1)


def test_figures_are_as_of_the_last_refresh(data, world, make_case, selection):
    make_case(State.SIGNAL, established_days_ago=1)
    assert figures.funnel(selection)["signals"] == 9
    refresh_figures()
    assert figures.funnel(selection)["signals"] == 10


def test_promises_shares_and_days(data, selection, today):
    result = figures.promises(selection, today)
    # make_case refers on day 10 after establishment: all five on time, median and p90 are 10 days.
    assert result["referral"] == {"total": 5, "on_time": 5, "share_on_time": 100, "median_days": 10, "p90_days": 10}
    # make_case feeds back on day 7 after referral: three within two weeks.
    assert result["analysis"] == {"total": 3, "on_time": 3, "share_on_time": 100, "median_days": 7, "p90_days": 7}
    assert result["overdue_referrals"] == 1  # the signal established 50 days ago
    assert result["overdue_analyses"] == 1  # referred 30 days ago, no feedback


def test_percentiles_by_nearest_rank():
    histogram = {3: 1, 5: 1, 9: 1, 20: 1}
    assert figures.percentile(histogram, 50) == 5
    assert figures.percentile(histogram, 90) == 20
    assert figures.percentile({}, 50) is None
    assert figures.percentile({4: 10}, 90) == 4


def test_late_referral_lowers_the_share(world, make_case, selection, today):
    case = make_case(State.SIGNAL, established_days_ago=60)
    services.record_approach(world.corporation_worker, case, channel="letter", approached_on=today, reached=True)
    services.refer(world.corporation_worker, case, referred_on=today - timedelta(days=10))  # day 50: late
    make_case(State.REFERRED, established_days_ago=30)  # day 10: on time
    refresh_figures()
    result = figures.promises(selection, today)["referral"]
    assert (result["total"], result["on_time"], result["share_on_time"]) == (2, 1, 50)
    assert (result["median_days"], result["p90_days"]) == (10, 50)


def test_outcomes_list_every_outcome(data, selection):
    result = dict(figures.outcomes(selection))
    assert result[Outcome.EVICTED] == 1
    assert sum(result.values()) == 1
    assert len(result) == len(Outcome)


def test_current_rent_condition_and_what_followed(data, selection):
    result = figures.current_rent_condition(selection)
    assert result["trajectories_with_unpaid_rent"] == 2
    assert result["still_running"] == 1
    assert result["closed_by_outcome"] == [(Outcome.EVICTED, 1)]


def test_evictions_per_year_beside_the_baselines(data, world, selection, today):
    world.covenant.baseline_evictions = {"2005": 241, "2014": 137}
    result = figures.evictions(selection)
    assert result["baselines"] == [(2005, 241), (2014, 137)]
    assert result["years"] == [(today.year, 1, 1)]  # one eviction, of a household known to a team


def test_funnel_per_municipality(data, world, selection, period):
    from tests.factories import MunicipalityFactory, ServiceAreaFactory

    zwijndrecht = MunicipalityFactory(name="Zwijndrecht", cbs_code="0642")
    world.covenant.municipalities.add(zwijndrecht)
    # A signal is made only where a team works (decision 109).
    ServiceAreaFactory(team=world.team, municipality=zwijndrecht, postcode_from="3330AA", postcode_to="3339ZZ")
    tenancy = TenancyFactory(corporation=world.corporation, municipality=zwijndrecht, postcode="3331AB")
    services.establish_signal(world.corporation_worker, tenancy, established_on=period.end, arrears=Decimal("900"))
    refresh_figures()
    rows = {row["name"]: row["signals"] for row in figures.funnel_by(selection, "municipality")}
    assert rows == {"Dordrecht": 9, "Zwijndrecht": 1}


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2016-03", date(2016, 3, 1), date(2016, 3, 31)),
        ("2016-Q1", date(2016, 1, 1), date(2016, 3, 31)),
        ("2016-Q4", date(2016, 10, 1), date(2016, 12, 31)),
        ("2016", date(2016, 1, 1), date(2016, 12, 31)),
        ("term", date(2015, 11, 7), date(2017, 12, 31)),
        ("nonsense", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_periods(world, key, start, end):
    period = parse_period(key, world.covenant, date(2026, 11, 25))
    assert (period.start, period.end) == (start, end)
