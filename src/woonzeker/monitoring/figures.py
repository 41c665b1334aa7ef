"""The figures the covenant is judged by: aggregates only, never a person.

The funnel, the outcomes and the promises are summed from the counts that
``refresh.refresh_figures`` keeps per day (a few thousand rows, whatever the
number of cases); what is overdue now, the current-rent condition and the
evictions are counted live. Small numbers are hidden when shown
(``suppression``), not here, so that totals stay exact.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from woonzeker.accounts.authorization import monitored_cases
from woonzeker.cases.constants import Outcome, State
from woonzeker.cases.selectors import deadlines_due
from woonzeker.monitoring.models import PromiseDays, StepCount

#: The steps of the process as the dashboard names them (counted in ``refresh.STEPS``).
FUNNEL = [
    ("signals", _("Arrears signals established")),
    ("resolved", _("Resolved before referral")),
    ("referred_by_corporation", _("Referred by a corporation")),
    ("referred_by_safe_home", _("Referred by Veilig Thuis")),
    ("fed_back", _("Analysed and fed back")),
    ("trajectories", _("Care trajectories started")),
    ("closed", _("Closed")),
]
DIMENSION_FIELDS = {"municipality": "municipality", "corporation": "corporation", "social_team": "social_team"}


@dataclass(frozen=True)
class Selection:
    """What a figure is about: a covenant, a period, and optionally one municipality, corporation or team."""

    covenant: object
    period: object
    municipality: object = None
    corporation: object = None
    social_team: object = None

    def scope(self):
        return {
            name: value
            for name, value in [
                ("municipality", self.municipality),
                ("corporation", self.corporation),
                ("social_team", self.social_team),
            ]
            if value is not None
        }

    def counts(self, model, whole_history=False):
        """The kept monthly counts of ``model`` for this selection, in its period (whole months)."""
        counts = model.objects.filter(covenant=self.covenant, **self.scope())
        if whole_history:
            return counts
        return counts.filter(month__range=(self.period.start.replace(day=1), self.period.end))

    def cases(self):
        """The live cases of this selection (for the figures that cannot wait a night)."""
        return monitored_cases().filter(covenant=self.covenant, **self.scope())


def funnel(selection):
    """How many cases reached each step of the process within the period."""
    sums = dict(selection.counts(StepCount).values_list("step").annotate(n=Sum("count")).order_by())
    return {key: sums.get(key, 0) for key, _label in FUNNEL}


def funnel_by(selection, dimension):
    """The funnel per municipality, corporation or team (``dimension``), by name."""
    rows = defaultdict(lambda: defaultdict(int))
    names = {}
    found = (
        selection.counts(StepCount)
        .exclude(**{f"{dimension}__isnull": True})
        .values_list(f"{dimension}_id", f"{dimension}__name", "step")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for pk, name, step, n in found:
        names[pk] = name
        rows[pk][step] += n
    return [
        {"id": pk, "name": names[pk], **{key: rows[pk][key] for key, _label in FUNNEL}}
        for pk in sorted(names, key=lambda pk: names[pk])
    ]


def outcomes(selection):
    """Cases closed within the period, by outcome (every outcome listed, zero included)."""
    sums = dict(
        selection.counts(StepCount)
        .filter(step__startswith="outcome:")
        .values_list("step")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return [(outcome, sums.get(f"outcome:{outcome.value}", 0)) for outcome in Outcome]


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


def promises(selection, today):
    """The covenant's two promises: referral within six weeks, feedback within two weeks (share kept,
    median and 90th percentile of days, for promises fulfilled within the period); and what is overdue now."""
    histograms = {"referral": defaultdict(int), "analysis": defaultdict(int)}
    on_time = defaultdict(int)
    found = selection.counts(PromiseDays).values_list("promise", "days", "on_time").annotate(n=Sum("count")).order_by()
    for promise, days, kept, n in found:
        histograms[promise][days] += n
        if kept:
            on_time[promise] += n
    result = {}
    for promise, histogram in histograms.items():
        total = sum(histogram.values())
        result[promise] = {
            "total": total,
            "on_time": on_time[promise],
            "share_on_time": round(100 * on_time[promise] / total) if total else None,
            "median_days": percentile(histogram, 50),
            "p90_days": percentile(histogram, 90),
        }
    overdue = defaultdict(int)
    due = deadlines_due(today, 0, selection.cases()).values_list("deadline").annotate(n=Count("pk")).order_by()
    for deadline, n in due:
        overdue[deadline] = n
    result["overdue_referrals"] = overdue["referral"]
    result["overdue_analyses"] = overdue["analysis"]
    return result


def current_rent_condition(selection):
    """Care trajectories in which the current rent was first found unpaid within the period, and what followed."""
    followed = defaultdict(int)
    closed = defaultdict(int)
    found = (
        selection.counts(StepCount)
        .filter(step__startswith="unpaid_rent:")
        .values_list("step")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for step, n in found:
        _prefix, state, outcome = step.split(":")
        followed[state] += n
        if state == State.CLOSED:
            closed[outcome] += n
    return {
        "trajectories_with_unpaid_rent": sum(followed.values()),
        "still_running": followed[State.CARE_TRAJECTORY],
        "closed_by_outcome": [(o, closed[o.value]) for o in Outcome if closed[o.value]],
    }


def evictions(selection):
    """Executed evictions per year (all years), beside the covenant's baselines, and how many of those
    households had been referred to a social team."""
    per_year = defaultdict(int)
    known = defaultdict(int)
    found = (
        selection.counts(StepCount, whole_history=True)
        .filter(step__startswith="evicted")
        .annotate(year=ExtractYear("month"))
        .values_list("year", "step")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for year, step, n in found:
        per_year[year] += n
        if step == "evicted:known":
            known[year] += n
    baselines = {int(year): n for year, n in (selection.covenant.baseline_evictions or {}).items()}
    return {
        "baselines": sorted(baselines.items()),
        "years": [(year, per_year[year], known[year]) for year in sorted(per_year)],
    }
