"""Who is told what, and how: one ``notify`` for every kind, and the follow-ups of the workflow's moves."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from woonzeker.accounts.models import Role, User
from woonzeker.notifications.models import (
    CANNOT_SWITCH_OFF,
    CASE_CLOSED_TO_THEM,
    Delivery,
    Kind,
    Notification,
    Preference,
)


def chosen_deliveries(users):
    """What ``users`` chose, by (user id, kind), read in one query."""
    preferences = Preference.objects.filter(user__in=users).values_list("user_id", "kind", "delivery")
    return {(user_id, kind): delivery for user_id, kind, delivery in preferences}


def delivery_for(user, kind, chosen=None):
    """How ``user`` is told of ``kind``: as chosen (``chosen``: ``chosen_deliveries`` read beforehand for many
    users), immediately if nothing was chosen; an overdue promise cannot be switched off, only to a digest."""
    if chosen is None:
        chosen = chosen_deliveries([user])
    delivery = chosen.get((user.pk, kind)) or Delivery.IMMEDIATELY
    if delivery == Delivery.OFF and kind in CANNOT_SWITCH_OFF:
        return Delivery.DAILY
    return delivery


def members(organisation, roles=(Role.CASE_WORKER, Role.COORDINATOR)):
    if organisation is None:
        return User.objects.none()
    return User.objects.filter(organisation=organisation, is_active=True, role__in=roles)


def notify(users, kind, key, message, case=None):
    """Tell each of ``users`` once per ``key``; e-mail those who want it immediately. Returns how many were told."""
    users = list(users)
    chosen = chosen_deliveries(users)
    told = 0
    for user in users:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(user=user, kind=kind, key=key, message=message, case=case)
        except IntegrityError:
            continue  # already told about this
        told += 1
        if user.email and delivery_for(user, kind, chosen) == Delivery.IMMEDIATELY:
            _send(user, str(Kind(kind).label), message, to_see_the_case=sends_to_a_case(kind, case and case.pk))
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
    return told


def sends_to_a_case(kind, case_id):
    """Whether a notification sends its reader to a case: it names one, and one they may still open."""
    return case_id is not None and kind not in CASE_CLOSED_TO_THEM


def _send(user, subject, body, to_see_the_case):
    with translation.override("nl"):
        footer = (
            _("Sign in to Woonzeker to see the case. This e-mail holds no personal details.")
            if to_see_the_case
            else _("This e-mail holds no personal details.")
        )
        send_mail(
            f"Woonzeker: {subject}",
            body + "\n\n" + footer,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )


def follow_up(case, move, details):
    """What a move sets in motion: the next party is told. Messages name the case, never the person."""
    with translation.override("nl"):
        if move in ("refer", "refer_from_safe_home"):
            notify(
                members(case.social_team),
                Kind.NEW_REFERRAL,
                f"new_referral:{case.pk}",
                _("Case %(case)s was referred to your team.") % {"case": case.pk},
                case,
            )
        elif move == "send_feedback":
            notify(
                members(case.corporation),
                Kind.FEEDBACK_READY,
                f"feedback_ready:{case.pk}",
                _("The analysis of case %(case)s was fed back.") % {"case": case.pk},
                case,
            )
        elif move == "request_involvement":
            involvement = case.involvements.get(pk=details["involvement"])
            notify(
                members(involvement.organisation),
                Kind.INVOLVEMENT_REQUEST,
                f"involvement_request:{involvement.pk}",
                _("Your organisation is asked to join the care trajectory of case %(case)s.") % {"case": case.pk},
                case,
            )
        elif move == "record_current_rent_check" and details.get("paid") is False:
            current_rent_breach(case, details.get("check", "manual"))
        elif move == "withdraw_consent":
            for involvement in case.involvements.filter(pk__in=details.get("involvements_ended", [])):
                notify(
                    members(involvement.organisation),
                    Kind.INVOLVEMENT_ENDED,
                    f"involvement_ended:{involvement.pk}",
                    _(
                        "The household withdrew its consent to share case %(case)s with your organisation: your "
                        "involvement has ended and the case is no longer open to you."
                    )
                    % {"case": case.pk},
                    case,
                )


def current_rent_breach(case, reference):
    """The case director and the corporation are told when the current rent was not paid."""
    users = list(members(case.corporation))
    if case.case_director_id and case.case_director.is_active:
        users.append(case.case_director)
    notify(
        users,
        Kind.CURRENT_RENT_BREACH,
        f"current_rent_breach:{case.pk}:{reference}",
        _("The current rent of case %(case)s was not paid during the care trajectory.") % {"case": case.pk},
        case,
    )
