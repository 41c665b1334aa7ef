"""Who may see which cases, and who may make which move: decided here and nowhere else.

Pages, the API, exports and monitoring ask ``visible_cases`` for what a user
may see and ``check_move`` before anything is written. A case a user may not
see does not exist for that user (a 404, not a 403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from woonzeker.organisations.models import OrganisationKind as Kind


def _case_model():
    from woonzeker.cases.models import Case

    return Case


def visible_cases(user):
    """The cases ``user`` may see, as a queryset.

    - a housing corporation: the cases of its own tenants;
    - a social team: the cases routed to it;
    - the social service and health service: the cases they were brought into;
    - Veilig Thuis: the cases it referred;
    - a municipality, or a user without an organisation: none (aggregates only).
    """
    Case = _case_model()
    if not user.is_authenticated or not user.is_active or not user.organisation_id:
        return Case.objects.none()
    organisation_id = user.organisation_id
    kind = user.organisation.kind
    if kind == Kind.HOUSING_CORPORATION:
        return Case.objects.filter(corporation_id=organisation_id)
    if kind == Kind.SOCIAL_TEAM:
        return Case.objects.filter(social_team_id=organisation_id)
    if kind in (Kind.SOCIAL_SERVICE, Kind.HEALTH_SERVICE):
        return Case.objects.filter(Q(involvements__organisation_id=organisation_id)).distinct()
    if kind == Kind.SAFE_HOME:
        return Case.objects.filter(referred_by_id=organisation_id)
    return Case.objects.none()


def may_see(user, case):
    return visible_cases(user).filter(pk=case.pk).exists()


def may_read_internal_notes(user, case):
    """Internal notes and problem areas never leave the social team."""
    return user.organisation_id is not None and user.organisation_id == case.social_team_id


def may_read_feedback_summary(user, case):
    """The summary is written for the corporation, and read by the team and the services brought in;
    Veilig Thuis follows the status of what it referred, not the content of the analysis."""
    if may_read_internal_notes(user, case):
        return True
    return user.organisation_kind != Kind.SAFE_HOME and case.feedback_sent_on is not None


class MoveRefused(PermissionDenied):
    """The user may not make this move on this case; the message says why."""


def refusal(user, move, case=None):
    """Why ``user`` may not make ``move`` on ``case`` (None for a move that creates one), or None."""
    if not user.is_authenticated or not user.is_active or not user.organisation_id:
        return _("You are not signed in for an organisation.")
    if user.organisation.kind not in move.parties:
        return _("Your organisation may not: %(move)s.") % {"move": move.label}
    if user.role not in move.roles:
        return _("Your role (%(role)s) may not: %(move)s.") % {"role": user.get_role_display(), "move": move.label}
    if case is not None and not may_see(user, case):
        return _("This case is not one of your organisation's.")
    return None


def allowed_moves(user, case, moves):
    """Of ``moves``, those ``user`` may make on ``case``: the visibility of the case is asked once."""
    if not may_see(user, case):
        return []
    return [move for move in moves if refusal(user, move) is None]


def check_move(user, move, case=None):
    reason = refusal(user, move, case)
    if reason:
        raise MoveRefused(reason)


# --- Rent ledgers ------------------------------------------------------------------------------

LEDGER_ROLES = frozenset({"case_worker", "coordinator"})


def ledger_import_refusal(user, corporation):
    """Why ``user`` may not import a ledger for ``corporation``, or None.

    Only a case worker or coordinator of that very corporation may; the command
    line (``user`` None) runs as the system operator and is not asked.
    """
    if user is None:
        return None
    if not user.is_authenticated or not user.is_active or not user.organisation_id:
        return _("You are not signed in for an organisation.")
    if user.organisation.kind != Kind.HOUSING_CORPORATION:
        return _("Only a housing corporation imports rent ledgers.")
    if user.organisation_id != corporation.pk:
        return _("You can only import ledgers for your own corporation.")
    if user.role not in LEDGER_ROLES:
        return _("Your role (%(role)s) may not import ledgers.") % {"role": user.get_role_display()}
    return None


def check_ledger_import(user, corporation):
    reason = ledger_import_refusal(user, corporation)
    if reason:
        raise MoveRefused(reason)


def visible_ledger_imports(user):
    from woonzeker.ledgers.models import LedgerImport

    if not user.is_authenticated or not user.is_active or user.organisation_kind != Kind.HOUSING_CORPORATION:
        return LedgerImport.objects.none()
    return LedgerImport.objects.filter(corporation_id=user.organisation_id)


# --- Monitoring ---------------------------------------------------------------------------------


def may_view_monitoring(user):
    """Aggregates, never personal data: for municipality users and every party's coordinators."""
    if not user.is_authenticated or not user.is_active or not user.organisation_id:
        return False
    return user.organisation.kind == Kind.MUNICIPALITY or user.role == "coordinator"


def monitored_cases():
    """The cases monitoring counts: all of them, for aggregates only (``monitoring`` never lists a case)."""
    return _case_model().objects.all()


def may_export_ddas(user):
    """The DDAS exchange file holds personal data: only a coordinator of a municipality, for that municipality."""
    return (
        user.is_authenticated
        and user.is_active
        and user.organisation_id is not None
        and user.organisation.kind == Kind.MUNICIPALITY
        and user.organisation.municipality_id is not None
        and user.role == "coordinator"
    )


# --- Signing in ---------------------------------------------------------------------------------

#: Kinds of organisation whose users see cases, and so personal data.
CASE_PARTIES = frozenset(
    {Kind.HOUSING_CORPORATION, Kind.SOCIAL_TEAM, Kind.SOCIAL_SERVICE, Kind.HEALTH_SERVICE, Kind.SAFE_HOME}
)


def may_see_personal_data(user):
    """Whether anything ``user`` may open shows personal data.

    The parties that work on cases do; so does a municipality's coordinator (the DDAS export) and
    whoever may enter the admin (users, and through them who works where). A municipality's other
    users see aggregates only.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.organisation_kind in CASE_PARTIES or may_export_ddas(user)


def requires_second_factor(user):
    """BIO and NEN 7513: every account that can see personal data signs in with a second factor."""
    return may_see_personal_data(user)
