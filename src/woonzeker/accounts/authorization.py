"""Who may see which cases, and who may make which move: decided here and nowhere else. Which parts of a
case a user may read is ``disclosure`` (the disclosure table of docs/authorization.md).

Pages, the API, exports and monitoring ask ``visible_cases`` for what a user
may see and ``check_move`` before anything is written. A case a user may not
see does not exist for that user (a 404, not a 403).
"""

from functools import lru_cache
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from woonzeker.accounts.models import Role
from woonzeker.organisations.models import OrganisationKind as Kind


def _case_model():
    from woonzeker.cases.models import Case

    return Case


#: The roles that read case files. A functional administrator administers and a privacy officer reads the audit
#: trail: neither opens a case, whichever organisation they sit in.
CASE_FILE_ROLES = frozenset({Role.CASE_WORKER, Role.COORDINATOR})


class Scope(NamedTuple):
    """What ``visible_cases`` decides on, and all it may read of a user. A rule that turns on a date or on
    stored data belongs in the query it returns (as consent in force does), not in here: its SQL is composed
    once per scope and reused (``visible_case_ids_sql``)."""

    is_authenticated: bool
    is_active: bool
    organisation_id: int | None
    role: str
    organisation_kind: str | None

    @classmethod
    def of(cls, user):
        organisation_id = getattr(user, "organisation_id", None)
        return cls(
            bool(user.is_authenticated),
            bool(user.is_active),
            organisation_id,
            getattr(user, "role", ""),
            user.organisation.kind if organisation_id else None,
        )

    @property
    def organisation(self):
        return _Organisation(self.organisation_kind)


class _Organisation(NamedTuple):
    kind: str | None


def visible_cases(user):
    """The cases ``user`` (a user, or its ``Scope``) may see, as a queryset.

    - a housing corporation: the cases of its own tenants;
    - a social team: the cases routed to it;
    - the social service and health service: the cases they were brought into, while the household's
      consent to share the case with their kind of organisation is in force;
    - Veilig Thuis: the cases it referred;
    - a municipality, or a user without an organisation: none (aggregates only);
    - only case workers and coordinators read case files: a functional administrator (who administers, in
      whatever organisation it sits) and a privacy officer (the audit trail and access requests, ``privacy``)
      see none.
    """
    Case = _case_model()
    if not user.is_authenticated or not user.is_active or not user.organisation_id:
        return Case.objects.none()
    if user.role not in CASE_FILE_ROLES:
        return Case.objects.none()
    organisation_id = user.organisation_id
    kind = user.organisation.kind
    if kind == Kind.HOUSING_CORPORATION:
        # A case someone else referred (Veilig Thuis) reaches the landlord once the team has fed back to it:
        # until then the landlord would learn only that another organisation referred its tenant.
        from woonzeker.cases.constants import ReferralSource

        return Case.objects.filter(
            Q(source=ReferralSource.HOUSING_CORPORATION) | Q(feedback_sent_on__isnull=False),
            corporation_id=organisation_id,
        )
    if kind == Kind.SOCIAL_TEAM:
        return Case.objects.filter(social_team_id=organisation_id)
    if kind in (Kind.SOCIAL_SERVICE, Kind.HEALTH_SERVICE):
        from woonzeker.cases.constants import InvolvementStatus
        from woonzeker.cases.models import Consent, Involvement

        # A service that declined was never in; one that finished still reads what it worked on.
        brought_in = Involvement.objects.filter(case=OuterRef("pk"), organisation_id=organisation_id).exclude(
            status=InvolvementStatus.DECLINED
        )
        consent = Consent.objects.in_force(kind).filter(case=OuterRef("pk"))
        return Case.objects.filter(Exists(brought_in), Exists(consent))
    if kind == Kind.SAFE_HOME:
        return Case.objects.filter(referred_by_id=organisation_id)
    return Case.objects.none()


def visible_case_ids_sql(user):
    """``visible_cases(user)``'s case ids as SQL for a subquery, ``(sql, params)``; None when it sees none.

    The same rule, composed once per scope in a process instead of on every request: ``visible_cases`` is
    given the ``Scope`` itself, so it cannot read anything the cache does not key on."""
    return _case_ids_sql(Scope.of(user))


@lru_cache(maxsize=4096)
def _case_ids_sql(scope):
    try:
        return visible_cases(scope).values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None


def may_see(user, case):
    return visible_cases(user).filter(pk=case.pk).exists()


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

    if (
        not user.is_authenticated
        or not user.is_active
        or user.organisation_kind != Kind.HOUSING_CORPORATION
        or user.role not in LEDGER_ROLES
    ):
        return LedgerImport.objects.none()
    return LedgerImport.objects.filter(corporation_id=user.organisation_id)


# --- Monitoring ---------------------------------------------------------------------------------


def may_view_monitoring(user):
    """Aggregates, never personal data: for municipality users and every party's coordinators; not for a
    functional administrator, who administers."""
    if not user.is_authenticated or not user.is_active or not user.organisation_id:
        return False
    if user.role == Role.FUNCTIONAL_ADMIN:
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


# --- Privacy ------------------------------------------------------------------------------------


def is_privacy_officer(user):
    """A privacy officer works for a municipality; they read the audit trail and answer access requests,
    never a case file (``visible_cases`` gives them none)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.PRIVACY_OFFICER
        and user.organisation_id is not None
        and user.organisation.kind == Kind.MUNICIPALITY
        and user.organisation.municipality_id is not None
    )


def privacy_municipalities(user):
    """The municipalities a privacy officer answers for: those sharing a covenant with their own."""
    from woonzeker.organisations.models import Municipality

    if not is_privacy_officer(user):
        return Municipality.objects.none()
    return Municipality.objects.filter(covenants__municipalities=user.organisation.municipality_id).distinct()


def privacy_tenancies(user):
    """The households a privacy officer may search for and answer an access request about."""
    from woonzeker.tenancies.models import Tenancy

    if not is_privacy_officer(user):
        return Tenancy.objects.none()
    return Tenancy.objects.filter(municipality__in=privacy_municipalities(user))


# --- Signing in ---------------------------------------------------------------------------------

#: Kinds of organisation whose users see cases, and so personal data.
CASE_PARTIES = frozenset(
    {Kind.HOUSING_CORPORATION, Kind.SOCIAL_TEAM, Kind.SOCIAL_SERVICE, Kind.HEALTH_SERVICE, Kind.SAFE_HOME}
)


def may_see_personal_data(user):
    """Whether anything ``user`` may open shows personal data.

    The parties that work on cases do; so do a municipality's coordinator (the DDAS export), its
    privacy officer (the audit trail and access requests) and whoever may enter the admin (users, and
    through them who works where). A municipality's other
    users see aggregates only.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.organisation_kind in CASE_PARTIES or may_export_ddas(user) or is_privacy_officer(user)


def requires_second_factor(user):
    """BIO and NEN 7513: every account that can see personal data signs in with a second factor."""
    return may_see_personal_data(user)
