"""Rebuilding the monitoring figures from the cases: a handful of INSERT ... SELECT ... GROUP BY statements."""

import time

from django.db import connection, models, transaction
from django.db.models import Count, ExpressionWrapper, F, Q, Value
from django.utils import timezone

from woonzeker.cases.constants import ReferralSource, State
from woonzeker.cases.models import Case
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


@transaction.atomic
def refresh_figures():
    """Replace the monitoring figures with counts over every case; returns the ``Refresh`` record."""
    start = time.perf_counter()
    StepCount.objects.all().delete()
    PromiseDays.objects.all().delete()
    step_columns = [*DIMENSIONS, "day", "step", "count"]
    for step, date_field, condition in STEPS:
        _insert_select(
            StepCount,
            step_columns,
            Case.objects.filter(condition, **{f"{date_field}__isnull": False})
            .values(*DIMENSIONS)
            .annotate(day=F(date_field), step=Value(step), count=Count("pk"))
            .values_list(*DIMENSIONS, "day", "step", "count")
            .order_by(),
        )
    _insert_select(
        StepCount,
        step_columns,
        Case.objects.filter(state=State.CLOSED, closed_on__isnull=False)
        .values(*DIMENSIONS, "closed_on", "outcome")
        .annotate(count=Count("pk"))
        .values_list(*DIMENSIONS, "closed_on", models.functions.Concat(Value("outcome:"), "outcome"), "count")
        .order_by(),
    )
    for promise, started, fulfilled, due, condition in PROMISES:
        on_time = ExpressionWrapper(Q(**{f"{fulfilled}__lte": F(due)}), output_field=models.BooleanField())
        _insert_select(
            PromiseDays,
            [*DIMENSIONS, "promise", "day", "days", "on_time", "count"],
            Case.objects.filter(condition, **{f"{started}__isnull": False, f"{fulfilled}__isnull": False})
            .values(*DIMENSIONS)
            .annotate(
                promise=Value(promise), day=F(fulfilled), days=DaysBetween(F(started), F(fulfilled)), on_time=on_time
            )
            .values(*DIMENSIONS, "promise", "day", "days", "on_time")
            .annotate(count=Count("pk"))
            .values_list(*DIMENSIONS, "promise", "day", "days", "on_time", "count")
            .order_by(),
        )
    return Refresh.objects.create(
        refreshed_at=timezone.now(), cases=Case.objects.count(), seconds=round(time.perf_counter() - start, 3)
    )
