"""Figures kept ready for monitoring: counts per month, never a case.

``refresh.refresh_figures`` rebuilds these tables from the cases with a few
GROUP BY statements (nightly through ``run_daily``, after ``load_demo``, or
by ``manage.py refresh_monitoring``); the dashboard then sums a few thousand
rows instead of scanning a million cases. What cannot wait a night (the
promises overdue right now) is counted live.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

ORGANISATION = "organisations.Organisation"


class Dimensions(models.Model):
    covenant = models.ForeignKey("covenants.Covenant", on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey("organisations.Municipality", on_delete=models.CASCADE, related_name="+")
    corporation = models.ForeignKey(ORGANISATION, on_delete=models.CASCADE, null=True, related_name="+")
    social_team = models.ForeignKey(ORGANISATION, on_delete=models.CASCADE, null=True, related_name="+")

    class Meta:
        abstract = True


class StepCount(Dimensions):
    """How many cases took a step of the process in a month (``refresh.STEPS``): the funnel, closed cases
    per outcome, first unpaid current rent per state and outcome, executed evictions."""

    month = models.DateField()  # the first day of the month
    step = models.CharField(max_length=80)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["covenant", "month"])]


class PromiseDays(Dimensions):
    """How many promises were fulfilled in a month after how many days, and whether on time."""

    promise = models.CharField(max_length=20)  # "referral" or "analysis"
    month = models.DateField()
    days = models.IntegerField()
    on_time = models.BooleanField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["covenant", "promise", "month"])]


class Refresh(models.Model):
    refreshed_at = models.DateTimeField(_("figures as of"))
    cases = models.PositiveIntegerField()
    seconds = models.FloatField()
