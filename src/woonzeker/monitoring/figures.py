"""The figures the covenant is judged by, computed by the database over whole sets.

Every function takes a queryset of cases (already narrowed to a municipality,
corporation or team) and a period, and returns plain numbers: aggregates
only, never a person. Small numbers are hidden when shown (``suppression``),
not here, so that totals stay exact.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Func, IntegerField, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from woonzeker.cases.constants import MilestoneKind, Outcome, ReferralSource, State
from woonzeker.cases.models import Milestone
from woonzeker.cases.selectors import deadlines_due


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    date_field: str
    condition: Q


#: The funnel of the covenant's process: each step counted by the date it happened.
FUNNEL = [
    Step("signals", _("Arrears signals established"), "established_on", Q()),
    Step("resolved", _("Resolved before referral"), "resolved_on", Q()),
    Step(
        "referred_by_corporation",
        _("Referred by a corporation"),
        "referred_on",
        Q(source=ReferralSource.HOUSING_CORPORATION),
    ),
    Step("referred_by_safe_home", _("Referred by Veilig Thuis"), "referred_on", Q(source=ReferralSource.SAFE_HOME)),
    Step("fed_back", _("Analysed and fed back"), "feedback_sent_on", Q()),
    Step("trajectories", _("Care trajectories started"), "trajectory_started_on", Q()),
    Step("closed", _("Closed"), "closed_on", Q(state=State.CLOSED)),
]


def _in(field, period):
    return Q(**{f"{field}__range": (period.start, period.end)})


def funnel(cases, period):
    """How many cases reached each step of the process within the period (one query)."""
    return cases.aggregate(
        **{step.key: Count("pk", filter=_in(step.date_field, period) & step.condition) for step in FUNNEL}
    )


def funnel_by(cases, period, dimension):
    """The funnel per value of ``dimension`` ("municipality", "corporation" or "social_team"), one query."""
    rows = (
        cases.exclude(**{f"{dimension}__isnull": True})
        .values(f"{dimension}_id", f"{dimension}__name")
        .annotate(**{step.key: Count("pk", filter=_in(step.date_field, period) & step.condition) for step in FUNNEL})
        .order_by(f"{dimension}__name")
    )
    return [{"id": row[f"{dimension}_id"], "name": row[f"{dimension}__name"], **row} for row in rows]


def outcomes(cases, period):
    """Cases closed within the period, by outcome (every outcome listed, zero included)."""
    counts = dict(
        cases.filter(_in("closed_on", period), state=State.CLOSED)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(outcome, counts.get(outcome.value, 0)) for outcome in Outcome]


class DaysBetween(Func):
    """Whole days from one date column to another, on PostgreSQL and SQLite alike."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        start, end = (compiler.compile(expression) for expression in self.source_expressions)
        return f"({end[0]} - {start[0]})", (*end[1], *start[1])

    def as_sqlite(self, compiler, connection, **extra):
        start, end = (compiler.compile(expression) for expression in self.source_expressions)
        return f"CAST(julianday({end[0]}) - julianday({start[0]}) AS INTEGER)", (*end[1], *start[1])


def percentile(histogram, percent):
    """The ``percent`` percentile (nearest rank) of a {days: count} histogram; None when empty."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, -(-total * percent // 100))  # ceil(total * percent / 100), in whole numbers
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= rank:
            return days
    return None


def _promise(cases, done_field, due_field, start_field, period):
    """Share kept, median and 90th percentile of days, for promises fulfilled within the period.

    The days are counted per day value in the database (a small histogram), so
    the percentiles need no list of every case.
    """
    done = cases.filter(_in(done_field, period), **{f"{start_field}__isnull": False})
    histogram = dict(
        done.annotate(days=DaysBetween(F(start_field), F(done_field)))
        .values_list("days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    on_time = done.filter(**{f"{done_field}__lte": F(due_field)}).count()
    total = sum(histogram.values())
    return {
        "total": total,
        "on_time": on_time,
        "share_on_time": round(100 * on_time / total) if total else None,
        "median_days": percentile(histogram, 50),
        "p90_days": percentile(histogram, 90),
    }


def promises(cases, period, today):
    """The covenant's two promises: referral within six weeks, feedback within two weeks; and what is overdue now."""
    overdue = defaultdict(int)
    for deadline, n in deadlines_due(today, 0, cases).values_list("deadline").annotate(n=Count("pk")).order_by():
        overdue[deadline] = n
    return {
        "referral": _promise(
            cases.filter(source=ReferralSource.HOUSING_CORPORATION),
            "referred_on",
            "referral_due_on",
            "established_on",
            period,
        ),
        "analysis": _promise(cases, "feedback_sent_on", "feedback_due_on", "referred_on", period),
        "overdue_referrals": overdue["referral"],
        "overdue_analyses": overdue["analysis"],
    }


def current_rent_condition(cases, period):
    """Care trajectories in which the current rent was found unpaid within the period, and what followed."""
    breached = cases.filter(
        current_rent_checks__paid=False,
        current_rent_checks__checked_on__range=(period.start, period.end),
    ).distinct()
    followed = dict(breached.values_list("state").annotate(n=Count("pk", distinct=True)).order_by())
    closed = dict(
        breached.filter(state=State.CLOSED).values_list("outcome").annotate(n=Count("pk", distinct=True)).order_by()
    )
    return {
        "trajectories_with_unpaid_rent": breached.count(),
        "still_running": followed.get(State.CARE_TRAJECTORY, 0),
        "closed_by_outcome": [(o, closed[o.value]) for o in Outcome if closed.get(o.value)],
    }


def evictions(cases, covenant):
    """Executed evictions per year, beside the covenant's baselines, and how many of those households
    had been referred to a social team."""
    executed = Milestone.objects.filter(case__in=cases, kind=MilestoneKind.EVICTION_EXECUTED)
    per_year = dict(
        executed.annotate(year=ExtractYear("occurred_on")).values_list("year").annotate(n=Count("case", distinct=True))
    )
    known = dict(
        executed.filter(case__referred_on__isnull=False)
        .annotate(year=ExtractYear("occurred_on"))
        .values_list("year")
        .annotate(n=Count("case", distinct=True))
    )
    baselines = {int(year): n for year, n in (covenant.baseline_evictions or {}).items()}
    return {
        "baselines": sorted(baselines.items()),
        "years": [(year, per_year[year], known.get(year, 0)) for year in sorted(per_year)],
    }
