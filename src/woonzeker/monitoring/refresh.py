"""Rebuilding the monitoring figures from the cases: a handful of INSERT ... SELECT ... GROUP BY statements."""

import time

from django.db import connection, models, transaction
from django.db.models import Count, ExpressionWrapper, F, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, TruncMonth
from django.utils import timezone

from woonzeker.cases.constants import MilestoneKind, ReferralSource, State
from woonzeker.cases.models import Case, CurrentRentCheck, Milestone
from woonzeker.monitoring.days import DaysBetween
from woonzeker.monitoring.models import PromiseDays, Refresh, StepCount

DIMENSIONS = ["covenant_id", "municipality_id", "corporation_id", "social_team_id"]

#: The funnel of the covenant's process: each step counted on the date it happened.
STEPS = [
    ("signals", "established_on", Q(source=ReferralSource.HOUSING_CORPORATION)),
    ("resolved", "resolved_on", Q()),
    ("referred_by_corporation", "referred_on", Q(source=ReferralSource.HOUSING_CORPORATION)),
    ("referred_by_safe_home", "referred_on", Q(source=ReferralSource.SAFE_HOME)),
    ("fed_back", "feedback_sent_on", Q()),
    ("trajectories", "trajectory_started_on", Q()),
    ("closed", "closed_on", Q(state=State.CLOSED)),
]

#: The two promises: (name, the day it was started, the day it was fulfilled, its due date, which cases).
PROMISES = [
    ("referral", "established_on", "referred_on", "referral_due_on", Q(source=ReferralSource.HOUSING_CORPORATION)),
    ("analysis", "referred_on", "feedback_sent_on", "feedback_due_on", Q()),
]


def _insert_select(model, columns, queryset):
    """INSERT INTO model's table (columns) SELECT ...: the rows never pass through Python."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) {sql}", params)  # noqa: S608


def _count_steps(cases, day, step):
    """Add to StepCount how many of ``cases`` took ``step`` per month of ``day``, per dimension."""
    _insert_select(
        StepCount,
        [*DIMENSIONS, "month", "step", "count"],
        cases.values(*DIMENSIONS)
        .annotate(month=TruncMonth(day, output_field=models.DateField()), step_name=step)
        .values(*DIMENSIONS, "month", "step_name")
        .annotate(count=Count("pk"))
        .values_list(*DIMENSIONS, "month", "step_name", "count")
        .order_by(),
    )


@transaction.atomic
def refresh_figures():
    """Replace the monitoring figures with counts over every case; returns the ``Refresh`` record."""
    start = time.perf_counter()
    StepCount.objects.all().delete()
    PromiseDays.objects.all().delete()
    for step, date_field, condition in STEPS:
        _count_steps(Case.objects.filter(condition, **{f"{date_field}__isnull": False}), F(date_field), Value(step))
    # Closed cases by outcome.
    closed = Case.objects.filter(state=State.CLOSED, closed_on__isnull=False)
    _count_steps(closed, F("closed_on"), Concat(Value("outcome:"), "outcome"))
    # The condition: care trajectories by the month the current rent was first found unpaid, and what followed.
    first_unpaid = CurrentRentCheck.objects.filter(case=OuterRef("pk"), paid=False).values("case")
    first_unpaid = first_unpaid.annotate(first=Min("checked_on")).values("first")
    breached = Case.objects.annotate(first_unpaid=Subquery(first_unpaid)).filter(first_unpaid__isnull=False)
    _count_steps(breached, F("first_unpaid"), Concat(Value("unpaid_rent:"), "state", Value(":"), "outcome"))
    # Executed evictions, and whether the household had been referred to a social team.
    executed = Milestone.objects.filter(case=OuterRef("pk"), kind=MilestoneKind.EVICTION_EXECUTED).values("case")
    executed = executed.annotate(first=Min("occurred_on")).values("first")
    evicted = Case.objects.annotate(evicted_on=Subquery(executed)).filter(evicted_on__isnull=False)
    _count_steps(evicted.filter(referred_on__isnull=True), F("evicted_on"), Value("evicted"))
    _count_steps(evicted.filter(referred_on__isnull=False), F("evicted_on"), Value("evicted:known"))
    for promise, started, fulfilled, due, condition in PROMISES:
        on_time = ExpressionWrapper(Q(**{f"{fulfilled}__lte": F(due)}), output_field=models.BooleanField())
        _insert_select(
            PromiseDays,
            [*DIMENSIONS, "promise", "month", "days", "on_time", "count"],
            Case.objects.filter(condition, **{f"{started}__isnull": False, f"{fulfilled}__isnull": False})
            .values(*DIMENSIONS)
            .annotate(
                promise=Value(promise),
                month=TruncMonth(fulfilled),
                days=DaysBetween(F(started), F(fulfilled)),
                on_time=on_time,
            )
            .values(*DIMENSIONS, "promise", "month", "days", "on_time")
            .annotate(count=Count("pk"))
            .values_list(*DIMENSIONS, "promise", "month", "days", "on_time", "count")
            .order_by(),
        )
    return Refresh.objects.create(
        refreshed_at=timezone.now(), cases=Case.objects.count(), seconds=round(time.perf_counter() - start, 3)
    )
