"""Everything time-driven, once a day: deadlines due and passed, escalations, digests, retention, monitoring.

Running it twice on the same day tells nobody twice: every notification has a
key (the case, the promise and its due date) that is told once per user, and a
digest only carries what was not yet e-mailed.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from woonzeker.accounts.models import Role
from woonzeker.cases.deadlines import DeadlineState
from woonzeker.cases.selectors import deadlines_due
from woonzeker.formatting import long_date
from woonzeker.notifications.models import Delivery, Kind, Notification
from woonzeker.notifications.services import (
    _send,
    case_url,
    chosen_deliveries,
    delivery_for,
    members,
    notify,
    sends_to_a_case,
)
from woonzeker.notifications.working_days import add_working_days, working_days_until


def _owed_by(case, deadline):
    """Who owes the promise: the corporation for the referral; for the analysis, the assigned case worker,
    else the team."""
    if deadline == "referral":
        return list(members(case.corporation))
    if case.case_worker_id and case.case_worker.is_active:
        return [case.case_worker]
    return list(members(case.social_team))


def deadline_notifications(today):
    """Tell who owes a promise that it is due within the set working days, or has passed; after a grace, the
    coordinators too."""
    within = settings.NOTIFY_DUE_WITHIN_WORKING_DAYS
    grace = settings.ESCALATION_GRACE_WORKING_DAYS
    horizon = add_working_days(today, within)
    told = 0
    cases = deadlines_due(today, (horizon - today).days).select_related("corporation", "social_team", "case_worker")
    for case in cases.iterator(chunk_size=500):
        label = _("the referral") if case.deadline == "referral" else _("the analysis")
        key = f"{case.deadline}:{case.pk}:{case.due_on.isoformat()}"
        if case.due_on >= today and working_days_until(today, case.due_on) <= within:
            message = _("%(what)s of case %(case)s is due on %(date)s.")
            told += notify(
                _owed_by(case, case.deadline),
                Kind.DEADLINE_DUE,
                f"{DeadlineState.DUE_SOON}:{key}",
                message % {"what": label, "case": case.pk, "date": long_date(case.due_on)},
                case,
            )
        elif case.due_on < today:
            message = _("%(what)s of case %(case)s was due on %(date)s and has not been done.")
            text = message % {"what": label, "case": case.pk, "date": long_date(case.due_on)}
            told += notify(_owed_by(case, case.deadline), Kind.DEADLINE_PASSED, f"overdue:{key}", text, case)
            if today >= add_working_days(case.due_on, grace):
                organisation = case.corporation if case.deadline == "referral" else case.social_team
                coordinators = members(organisation, roles=(Role.COORDINATOR,))
                told += notify(coordinators, Kind.DEADLINE_ESCALATION, f"escalation:{key}", text, case)
    return told


def send_digests():
    """One e-mail per user who chose a daily digest, with what was not yet e-mailed."""
    sent = 0
    waiting = (
        Notification.objects.filter(emailed_at__isnull=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    chosen = chosen_deliveries(waiting.values("user_id"))
    by_user = {}
    for notification in waiting:
        if delivery_for(notification.user, notification.kind, chosen) == Delivery.DAILY:
            by_user.setdefault(notification.user, []).append(notification)
    for user, notifications in by_user.items():
        # Claimed before they are sent, in the transaction that sends them: a second run at the same moment (a
        # cron line beside the task) waits for the claim and then finds them mailed; a failed send rolls the claim
        # back, so they wait for the next digest.
        with transaction.atomic():
            claimed_at = timezone.now()
            ids = [n.pk for n in notifications]
            claimed = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=claimed_at)
            if claimed < len(ids):
                notifications = list(
                    Notification.objects.filter(pk__in=ids, emailed_at=claimed_at).order_by("created_at")
                )
            if not notifications:
                continue
            with translation.override("nl"):
                body = "\n".join(
                    f"- {n.message}" + (f" {case_url(n.case_id)}" if sends_to_a_case(n.kind, n.case_id) else "")
                    for n in notifications
                )
                to_see_a_case = any(sends_to_a_case(n.kind, n.case_id) for n in notifications)
                _send(user, _("your daily overview"), body, to_see_the_case=to_see_a_case)
        sent += 1
    return sent


def run_daily(today=None):
    from woonzeker.api.idempotency import forget_old_keys
    from woonzeker.audit.seals import seal_trail
    from woonzeker.audit.tasks import schedule as schedule_chainer
    from woonzeker.monitoring.refresh import refresh_figures
    from woonzeker.privacy.retention import apply_retention
    from woonzeker.privacy.unusual_access import notify_unusual_access

    today = today or timezone.localdate()
    with translation.override("nl"):
        told = deadline_notifications(today)
    digests = send_digests()
    retention = apply_retention(today)
    refresh = refresh_figures()
    forgotten = forget_old_keys()
    unusual = notify_unusual_access(today)
    chained, _seal = seal_trail()  # last: the entries of this run are in the sealed chain too
    schedule_chainer()  # the recurring chainer task queued again, should it have stopped
    return {
        "notified": told,
        "digests": digests,
        "retention": retention.as_dict(),
        "monitoring_seconds": refresh.seconds,
        "idempotency_keys_forgotten": forgotten,
        "unusual_access_notices": unusual,
        "audit_entries_chained": chained,
    }
