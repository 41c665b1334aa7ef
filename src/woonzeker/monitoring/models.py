"""Figures kept ready for monitoring: counts per day, never a case.

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
    """How many cases took a step of the process (see ``figures.FUNNEL``) on a day; closed cases per outcome."""

    day = models.DateField()
    step = models.CharField(max_length=60)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["covenant", "day"])]


class PromiseDays(Dimensions):
    """How many promises were fulfilled on a day after how many days, and whether on time."""

    promise = models.CharField(max_length=20)  # "referral" or "analysis"
    day = models.DateField()
    days = models.IntegerField()
    on_time = models.BooleanField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["covenant", "promise", "day"])]


class Refresh(models.Model):
    refreshed_at = models.DateTimeField(_("figures as of"))
    cases = models.PositiveIntegerField()
    seconds = models.FloatField()
