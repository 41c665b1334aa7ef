"""Who is told what, and how: one ``notify`` for every kind, and the follow-ups of the workflow's moves."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
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
            to_see_the_case = sends_to_a_case(kind, case and case.pk)
            body = message + (f"\n{case_url(case.pk)}" if to_see_the_case else "")
            _send(user, str(Kind(kind).label), body, to_see_the_case=to_see_the_case)
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
    return told


def sends_to_a_case(kind, case_id):
    """Whether a notification sends its reader to a case: it names one, and one they may still open."""
    return case_id is not None and kind not in CASE_CLOSED_TO_THEM


def case_url(case_id):
    """The absolute address of a case's page (``SITE_URL``): it carries the case number and nothing else."""
    return f"{settings.SITE_URL.rstrip('/')}{reverse('cases:detail', args=[case_id])}"


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
        elif move == "assign_case_worker" and case.case_worker_id and case.case_worker.is_active:
            notify(
                [case.case_worker],
                Kind.CASE_ASSIGNED,
                f"case_assigned:{case.pk}:{case.case_worker_id}",
                _("Case %(case)s was assigned to you.") % {"case": case.pk},
                case,
            )
        elif move == "record_corporation_decision":
            text = (
                _("The corporation agreed to a care trajectory for case %(case)s.")
                if details.get("decision") == "agreed"
                else _("The corporation declined a care trajectory for case %(case)s; its reason is on the case page.")
            )
            notify(
                members(case.social_team),
                Kind.CORPORATION_DECIDED,
                f"corporation_decided:{case.pk}:{details.get('decision')}",
                text % {"case": case.pk},
                case,
            )
        elif move == "update_involvement" and details.get("status_changed"):
            involvement = case.involvements.select_related("organisation").get(pk=details["involvement"])
            text = {
                "accepted": _("%(org)s accepted its part in the care trajectory of case %(case)s."),
                "declined": _("%(org)s declined its part in the care trajectory of case %(case)s."),
                "finished": _("%(org)s finished its part in the care trajectory of case %(case)s."),
            }.get(involvement.status)
            if text:
                notify(
                    _team_and_director(case),
                    Kind.INVOLVEMENT_ANSWERED,
                    f"involvement_{involvement.status}:{involvement.pk}",
                    text % {"org": involvement.organisation, "case": case.pk},
                    case,
                )
        elif _closes(move):
            case_closed(case, move, details.get("involvements_ended", []))
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


def _closes(move):
    from woonzeker.cases.constants import State
    from woonzeker.cases.workflow import MOVES

    return move in MOVES and MOVES[move].target == State.CLOSED


def _team_and_director(case):
    users = list(members(case.social_team))
    if case.case_director_id and case.case_director.is_active and case.case_director not in users:
        users.append(case.case_director)
    return users


def case_closed(case, move, involvements_ended):
    """A case closed: the services whose involvement it ended, the corporation and the team are told, except
    the organisation that closed it (the one that wrote the move's event)."""
    text = _("Case %(case)s was closed (%(outcome)s).") % {"case": case.pk, "outcome": case.get_outcome_display()}
    closer = case.events.filter(action=move).order_by("-at", "-pk").values_list("organisation_id", flat=True).first()
    users = []
    for organisation in (case.corporation, case.social_team):
        if organisation is not None and organisation.pk != closer:
            users.extend(members(organisation))
    for involvement in case.involvements.select_related("organisation").filter(pk__in=involvements_ended):
        users.extend(u for u in members(involvement.organisation) if u not in users)
    notify(users, Kind.CASE_CLOSED, f"case_closed:{case.pk}", text, case)


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
