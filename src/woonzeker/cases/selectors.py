"""Reads of cases that more than one edge needs."""

from datetime import timedelta

from django.db import models
from django.db.models import F, Q, Value, When

from woonzeker.cases.constants import State
from woonzeker.cases.models import Case


def deadlines_due(today, within_days, cases=None):
    """Every open promise that is overdue on ``today`` or due within ``within_days`` days.

    One query: the due dates are stored on the case when it enters the step,
    so this is an indexed filter, not a loop in Python. Each case gets
    ``due_on`` (the date) and ``deadline`` ("referral" or "analysis"), soonest first.
    """
    cases = Case.objects.all() if cases is None else cases
    horizon = today + timedelta(days=within_days)
    return (
        cases.filter(
            Q(state=State.SIGNAL, referral_due_on__lte=horizon) | Q(state=State.REFERRED, feedback_due_on__lte=horizon)
        )
        .annotate(
            due_on=models.Case(When(state=State.SIGNAL, then=F("referral_due_on")), default=F("feedback_due_on")),
            deadline=models.Case(
                When(state=State.SIGNAL, then=Value("referral")),
                default=Value("analysis"),
                output_field=models.CharField(),
            ),
        )
        .order_by("due_on", "pk")
    )
