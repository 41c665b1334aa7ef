"""Reads of cases that more than one edge needs."""

from datetime import timedelta

from django.db import models
from django.db.models import F, Q, Value, When

from woonzeker.cases.constants import State
from woonzeker.cases.models import Case


def with_open_deadline(cases):
    """Annotate each case with its open promise: ``deadline`` ("referral", "analysis" or None) and ``due_on``."""
    return cases.annotate(
        due_on=models.Case(
            When(state=State.SIGNAL, then=F("referral_due_on")),
            When(state=State.REFERRED, then=F("feedback_due_on")),
            default=None,
            output_field=models.DateField(),
        ),
        deadline=models.Case(
            When(state=State.SIGNAL, then=Value("referral")),
            When(state=State.REFERRED, then=Value("analysis")),
            default=None,
            output_field=models.CharField(),
        ),
    )


def deadlines_due(today, within_days, cases=None):
    """Every open promise that is overdue on ``today`` or due within ``within_days`` days.

    One query: the due dates are stored on the case when it enters the step,
    so this is an indexed filter, not a loop in Python. Each case gets
    ``due_on`` (the date) and ``deadline`` ("referral" or "analysis"), soonest first.
    """
    cases = Case.objects.all() if cases is None else cases
    horizon = today + timedelta(days=within_days)
    # Filter on the stored columns (indexed), not on the annotation.
    due = cases.filter(
        Q(state=State.SIGNAL, referral_due_on__lte=horizon) | Q(state=State.REFERRED, feedback_due_on__lte=horizon)
    )
    return with_open_deadline(due).order_by("due_on", "pk")
