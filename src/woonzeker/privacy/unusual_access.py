"""The privacy officers' daily notice of unusual access (BIO 8.15/8.16: the logs are watched, not only kept).

Once a day (``run_daily``), about the day before: a user of a covenant's parties who opened more different
case files within one hour than the covenant's ``unusual_access_per_hour``, or who was refused (a case file,
a move, an export, a sign-in or its second step) more often than its ``unusual_refusals_per_day``, is named in
a notification to the privacy officers of that covenant's municipalities. Nobody is blocked by it: it asks
a person to look.
"""

from collections import Counter, defaultdict
from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from woonzeker.accounts.models import Role, User
from woonzeker.audit.models import AuditAction, AuditEntry, AuditResult
from woonzeker.covenants.models import Covenant
from woonzeker.formatting import long_date

#: A case file opened: the case page, the API's case, or its answer replayed to a retried write (a list names
#: many cases and is not an opening).
OPENED_A_CASE = r"^(API )?case [0-9]+( \(replayed answer\))?$"
WINDOW = timedelta(hours=1)


def _day_bounds(day):
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def most_cases_within_an_hour(day):
    """{user id: the most different case files the user opened within any 60 minutes of ``day``}."""
    start, end = _day_bounds(day)
    opened = (
        AuditEntry.objects.filter(
            at__gte=start,
            at__lt=end,
            user_id__isnull=False,
            action=AuditAction.READ,
            result=AuditResult.GRANTED,
            what__regex=OPENED_A_CASE,
        )
        .order_by("user_id", "at")
        .values_list("user_id", "at", "case_ids")
    )
    by_user = defaultdict(list)
    for user_id, at, case_ids in opened.iterator(chunk_size=5000):
        by_user[user_id].extend((at, case) for case in case_ids)
    most = {}
    for user_id, reads in by_user.items():
        window, first, best = Counter(), 0, 0
        for at, case in reads:  # a sliding hour: add the newest read, drop those more than an hour older
            window[case] += 1
            while reads[first][0] <= at - WINDOW:
                old = reads[first][1]
                window[old] -= 1
                if not window[old]:
                    del window[old]
                first += 1
            best = max(best, len(window))
        most[user_id] = best
    return most


def refusals(day):
    """{user id: how often the user was refused, or failed to sign in, on ``day``}."""
    start, end = _day_bounds(day)
    rows = (
        AuditEntry.objects.filter(at__gte=start, at__lt=end, user_id__isnull=False)
        .exclude(result=AuditResult.GRANTED)
        .values("user_id")
        .annotate(n=Count("id"))
    )
    return {row["user_id"]: row["n"] for row in rows}


def notify_unusual_access(today):
    """Tell each covenant's privacy officers about yesterday's unusual access by its parties' users; returns
    how many were told. Safe to run twice: the notification's key is the covenant and the day."""
    from woonzeker.notifications.models import Kind
    from woonzeker.notifications.services import notify

    day = today - timedelta(days=1)
    opened, refused = most_cases_within_an_hour(day), refusals(day)
    if not opened and not refused:
        return 0
    told = 0
    for covenant in Covenant.objects.prefetch_related("parties", "municipalities"):
        parties = Q(organisation__in=covenant.parties.all()) | Q(
            organisation__municipality__in=covenant.municipalities.all()
        )
        lines = []
        with translation.override("nl"):
            for user in User.objects.filter(parties, pk__in=set(opened) | set(refused)).select_related("organisation"):
                who = {"user": user.username, "organisation": user.organisation}
                if opened.get(user.pk, 0) > covenant.unusual_access_per_hour:
                    lines.append(
                        _("%(user)s (%(organisation)s) opened %(count)s different case files within one hour")
                        % {**who, "count": opened[user.pk]}
                    )
                if refused.get(user.pk, 0) > covenant.unusual_refusals_per_day:
                    lines.append(
                        _("%(user)s (%(organisation)s) was refused %(count)s times")
                        % {**who, "count": refused[user.pk]}
                    )
            if not lines:
                continue
            message = _(
                "Unusual access on %(day)s (%(covenant)s): %(lines)s. Check with the organisation whether it "
                "was needed; the audit trail shows what they did."
            ) % {"day": long_date(day), "covenant": covenant, "lines": "; ".join(sorted(lines))}
        officers = User.objects.filter(
            role=Role.PRIVACY_OFFICER,
            is_active=True,
            organisation__municipality__in=covenant.municipalities.all(),
        )
        told += notify(officers, Kind.UNUSUAL_ACCESS, f"unusual_access:{covenant.pk}:{day.isoformat()}", message)
    return told
