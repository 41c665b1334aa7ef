"""The covenant's deadlines: what is due, from whom, by when, and whether it was kept.

Each term is a field of the covenant (``referral_term_days``,
``analysis_term_days``); the due dates are computed by the functions below when
a case enters the step and stored on the case, so the database can list every
overdue case in one indexed query (``selectors.deadlines_due``).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineState(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")


def referral_deadline(established_on, covenant):
    """Step 3: "Within six weeks of the date in step 1 the corporation reports the tenant
    to the social team responsible for the tenant's address."

    Day 42 after establishment is the last day on time; day 43 is late.
    """
    return established_on + timedelta(days=covenant.referral_term_days)


def analysis_deadline(referred_on, covenant):
    """Step 4: "Within two weeks of the report the social team maps the tenant's problems
    and feeds an analysis back to the corporation."

    Day 14 after the referral is the last day on time; day 15 is late.
    """
    return referred_on + timedelta(days=covenant.analysis_term_days)


def current_rent_check_due(last_checked_on, trajectory_started_on, covenant):
    """Step 5: "An important condition of the corporation: the current rent is paid during the
    trajectory."

    Whether it was paid is checked every ``current_rent_check_interval_days`` (30: monthly, as the rent
    falls due), counted from the last check, or from the start of the trajectory before the first.
    """
    since = last_checked_on or trajectory_started_on
    return since + timedelta(days=covenant.current_rent_check_interval_days) if since else None


def arrangement_review_due(agreed_on, covenant):
    """Step 3 and 5: a payment arrangement agreed for the arrears ("or a payment arrangement is agreed")
    holds only while it is kept; during the trajectory it is reviewed every
    ``arrangement_review_interval_days`` (90) after the latest arrangement was agreed.
    """
    return agreed_on + timedelta(days=covenant.arrangement_review_interval_days) if agreed_on else None


def deadline_state(due_on, done_on, today, due_soon_days):
    """On time, due soon, overdue, met or met late: the state of one promise on ``today``."""
    if done_on is not None:
        return DeadlineState.MET if done_on <= due_on else DeadlineState.MET_LATE
    if today > due_on:
        return DeadlineState.OVERDUE
    if (due_on - today).days <= due_soon_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME


@dataclass(frozen=True)
class Deadline:
    """One promise of the covenant on one case."""

    name: str
    label: str
    owed_by: object  # Organisation
    owed_to: object  # Organisation or None
    due_on: date
    done_on: date | None
    state: str


def deadlines_of(case, today):
    """Every covenant deadline that applies to ``case``, with its state on ``today``.

    The referral deadline applies to a signal and to a referred signal; it
    lapses when the signal is resolved or withdrawn before referral. The
    analysis deadline applies from the referral on.
    """
    covenant = case.covenant
    result = []
    if case.referral_due_on and (case.referred_on or case.state == "signal"):
        result.append(
            Deadline(
                name="referral",
                label=_("Referral to the social team"),
                owed_by=case.corporation,
                owed_to=case.social_team,
                due_on=case.referral_due_on,
                done_on=case.referred_on,
                state=deadline_state(case.referral_due_on, case.referred_on, today, covenant.due_soon_days),
            )
        )
    if case.feedback_due_on:
        result.append(
            Deadline(
                name="analysis",
                label=_("Analysis fed back to the corporation"),
                owed_by=case.social_team,
                owed_to=case.corporation,
                due_on=case.feedback_due_on,
                done_on=case.feedback_sent_on,
                state=deadline_state(case.feedback_due_on, case.feedback_sent_on, today, covenant.due_soon_days),
            )
        )
    return result
