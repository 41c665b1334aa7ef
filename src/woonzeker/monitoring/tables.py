"""The monitoring figures as tables: one shape for the dashboard, its charts, the exports and the PDF.

Counts pass through ``suppression`` here, once, so that no way out shows a
number the covenant says must be hidden.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from woonzeker.monitoring import figures
from woonzeker.monitoring.suppression import shown, shown_share


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list = field(default_factory=list)  # each: [label, value, ...] with values as shown
    chart: list = field(default_factory=list)  # (label, number to draw or None, text) for a bar chart
    links: list = field(default_factory=list)  # per row, (query parameter, value) that drills down into it
    note: str = ""


def _bars(pairs, covenant):
    """Bar chart data: a hidden count draws no bar but keeps its label."""
    return [
        (label, n if n >= covenant.small_count_threshold or n == 0 else None, shown(n, covenant)) for label, n in pairs
    ]


def funnel_table(selection):
    covenant, period = selection.covenant, selection.period
    counts = figures.funnel(selection)
    pairs = [(str(label), counts[key]) for key, label in figures.FUNNEL]
    return Table(
        key="funnel",
        title=_("The process in %(period)s") % {"period": period.label},
        headers=[_("Step"), _("Cases")],
        rows=[[label, shown(n, covenant)] for label, n in pairs],
        chart=_bars(pairs, covenant),
    )


#: The query parameter that drills down into one value of a dimension.
DRILL_PARAMETER = {"municipality": "gemeente", "corporation": "corporatie", "social_team": "team"}


def breakdown_table(selection, dimension, title):
    covenant = selection.covenant
    found = figures.funnel_by(selection, dimension)
    return Table(
        key=f"by_{dimension}",
        title=title,
        headers=[_("Name"), *[str(label) for _key, label in figures.FUNNEL]],
        rows=[[row["name"], *[shown(row[key], covenant) for key, _label in figures.FUNNEL]] for row in found],
        links=[(DRILL_PARAMETER[dimension], row["id"]) for row in found],
    )


def outcomes_table(selection):
    covenant = selection.covenant
    pairs = [(str(outcome.label), n) for outcome, n in figures.outcomes(selection)]
    return Table(
        key="outcomes",
        title=_("Closed cases by outcome"),
        headers=[_("Outcome"), _("Cases")],
        rows=[[label, shown(n, covenant)] for label, n in pairs],
        chart=_bars(pairs, covenant),
    )


def promises_table(selection, today):
    covenant = selection.covenant
    result = figures.promises(selection, today)
    rows = []
    for key, label in [
        ("referral", _("Referral within six weeks of establishment")),
        ("analysis", _("Feedback within two weeks of referral")),
    ]:
        promise = result[key]
        small = promise["total"] < covenant.small_count_threshold
        rows.append(
            [
                label,
                shown(promise["total"], covenant),
                shown_share(promise["on_time"], promise["total"], covenant),
                "—" if small or promise["median_days"] is None else promise["median_days"],
                "—" if small or promise["p90_days"] is None else promise["p90_days"],
            ]
        )
    return Table(
        key="promises",
        title=_("The promises kept"),
        headers=[_("Promise"), _("Fulfilled in the period"), _("On time"), _("Median days"), _("90th percentile days")],
        rows=rows,
        note=_("Open now and overdue: %(referrals)s referrals, %(analyses)s analyses.")
        % {
            "referrals": shown(result["overdue_referrals"], covenant),
            "analyses": shown(result["overdue_analyses"], covenant),
        },
    )


def condition_table(selection):
    covenant = selection.covenant
    result = figures.current_rent_condition(selection)
    rows = [
        [
            _("Care trajectories in which the current rent was not paid"),
            shown(result["trajectories_with_unpaid_rent"], covenant),
        ],
        [_("of which still running"), shown(result["still_running"], covenant)],
    ]
    rows += [
        [_("of which closed: %(outcome)s") % {"outcome": o.label}, shown(n, covenant)]
        for o, n in result["closed_by_outcome"]
    ]
    return Table(
        key="condition", title=_("The condition: current rent paid"), headers=[_("Figure"), _("Cases")], rows=rows
    )


def evictions_table(selection):
    covenant = selection.covenant
    result = figures.evictions(selection)
    rows = [[str(year), n, _("baseline")] for year, n in result["baselines"]]
    rows += [[str(year), shown(n, covenant), shown(known, covenant)] for year, n, known in result["years"]]
    pairs = [(str(year), n) for year, n in result["baselines"]] + [
        (str(year), n) for year, n, _known in result["years"]
    ]
    return Table(
        key="evictions",
        title=_("Evictions per year"),
        headers=[_("Year"), _("Evictions"), _("Of which known to a social team")],
        rows=rows,
        chart=_bars(pairs, covenant),
        note=_("The years marked as baseline are the figures named in the agreement itself."),
    )


def dashboard_tables(selection, today):
    return [
        funnel_table(selection),
        promises_table(selection, today),
        outcomes_table(selection),
        condition_table(selection),
        evictions_table(selection),
        breakdown_table(selection, "municipality", _("Per municipality")),
        breakdown_table(selection, "corporation", _("Per housing corporation")),
        breakdown_table(selection, "social_team", _("Per social team")),
    ]
