"""The covenant's process as one table: every move a case can make, who may make it, and why.

A *transition* changes the state of a case; an *action* records something
within a state. Both are performed only by ``woonzeker.cases.services``, which
checks this table (through ``woonzeker.accounts.authorization``) before
anything is written. Read it beside ``docs/architecture.md``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from woonzeker.accounts.models import Role
from woonzeker.cases.constants import OPEN_STATES, State
from woonzeker.organisations.models import OrganisationKind as Kind

CASE_WORK = frozenset({Role.CASE_WORKER, Role.COORDINATOR})
COORDINATION = frozenset({Role.COORDINATOR})


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: tuple  # states the case must be in; empty for a move that creates a case
    target: str | None  # the state afterwards; None for an action that keeps the state
    parties: frozenset  # kinds of organisation that may make the move
    roles: frozenset  # roles within those organisations
    reason: str  # the covenant's words for this move

    @property
    def creates_case(self):
        return not self.sources

    @property
    def is_transition(self):
        return self.target is not None


def _move(name, label, sources, target, parties, roles, reason):
    return Move(name, label, tuple(sources), target, frozenset(parties), roles, reason)


TRANSITIONS = {
    m.name: m
    for m in [
        _move(
            "establish_signal", _("Establish arrears"), [], State.SIGNAL, [Kind.HOUSING_CORPORATION], CASE_WORK,
            "Step 1: the corporation establishes one month of rent arrears; that date starts the clock.",
        ),
        _move(
            "resolve_before_referral", _("Resolve before referral"), [State.SIGNAL], State.RESOLVED_BEFORE_REFERRAL,
            [Kind.HOUSING_CORPORATION], CASE_WORK,
            "Step 3: if the arrears are paid off, or a payment arrangement is agreed, the signal ends without a report.",
        ),
        _move(
            "withdraw_signal", _("Withdraw signal"), [State.SIGNAL], State.CLOSED,
            [Kind.HOUSING_CORPORATION], COORDINATION,
            "A signal that cannot be referred (tenant moved or deceased, signal unfounded) is closed by the corporation.",
        ),
        _move(
            "refer", _("Refer to the social team"), [State.SIGNAL], State.REFERRED,
            [Kind.HOUSING_CORPORATION], CASE_WORK,
            "Step 3: after approaching the tenant actively, the corporation reports the tenant to the social team "
            "responsible for the tenant's address.",
        ),
        _move(
            "refer_from_safe_home", _("Refer a resident"), [], State.REFERRED, [Kind.SAFE_HOME], CASE_WORK,
            "Step 6: Veilig Thuis refers residents with rent arrears to the social team directly.",
        ),
        _move(
            "send_feedback", _("Send feedback"), [State.REFERRED], State.FEEDBACK_SENT,
            [Kind.SOCIAL_TEAM], CASE_WORK,
            "Step 4: the social team maps the problems and feeds an analysis back to the corporation.",
        ),
        _move(
            "start_care_trajectory", _("Start care trajectory"), [State.FEEDBACK_SENT], State.CARE_TRAJECTORY,
            [Kind.SOCIAL_TEAM], CASE_WORK,
            "Step 5: if it is decided to start a care trajectory, the social team directs it.",
        ),
        _move(
            "decide_no_care_trajectory", _("Decide: no care trajectory"), [State.FEEDBACK_SENT], State.CLOSED,
            [Kind.SOCIAL_TEAM, Kind.HOUSING_CORPORATION], CASE_WORK,
            "Step 5: the decision whether to start a care trajectory; without one the case closes with its outcome.",
        ),
        _move(
            "close_care_trajectory", _("Close with outcome"), [State.CARE_TRAJECTORY], State.CLOSED,
            [Kind.SOCIAL_TEAM], CASE_WORK,
            "The case director follows the trajectory to an outcome.",
        ),
    ]
}

ACTIONS = {
    m.name: m
    for m in [
        _move(
            "record_approach", _("Record active approach"), [State.SIGNAL], None,
            [Kind.HOUSING_CORPORATION], CASE_WORK,
            "Step 2: the corporation actively approaches the tenant first (letter, phone call, home visit).",
        ),
        _move(
            "assign_case_worker", _("Assign case worker"), [State.REFERRED, State.FEEDBACK_SENT, State.CARE_TRAJECTORY],
            None, [Kind.SOCIAL_TEAM], COORDINATION,
            "The social team receives the report and gives it to one of its workers.",
        ),
        _move(
            "record_analysis", _("Record analysis"), [State.REFERRED], None, [Kind.SOCIAL_TEAM], CASE_WORK,
            "Step 4: the social team maps the tenant's problems.",
        ),
        _move(
            "record_corporation_decision", _("Agree or decline care trajectory"), [State.FEEDBACK_SENT], None,
            [Kind.HOUSING_CORPORATION], CASE_WORK,
            "Step 5: the corporation decides with the team on a care trajectory.",
        ),
        _move(
            "request_involvement", _("Bring in a service"), [State.CARE_TRAJECTORY], None,
            [Kind.SOCIAL_TEAM], CASE_WORK,
            "Step 5: the case director brings in the SDD and/or DG&J where needed.",
        ),
        _move(
            "update_involvement", _("Update involvement"), [State.CARE_TRAJECTORY], None,
            [Kind.SOCIAL_SERVICE, Kind.HEALTH_SERVICE], CASE_WORK,
            "A service brought in accepts, reports progress and finishes its part.",
        ),
        _move(
            "record_payment_arrangement", _("Record payment arrangement"),
            [State.REFERRED, State.FEEDBACK_SENT, State.CARE_TRAJECTORY], None,
            [Kind.HOUSING_CORPORATION, Kind.SOCIAL_TEAM], CASE_WORK,
            "A payment arrangement for the arrears, agreed with the corporation.",
        ),
        _move(
            "record_current_rent_check", _("Record current rent"), [State.CARE_TRAJECTORY], None,
            [Kind.HOUSING_CORPORATION, Kind.SOCIAL_TEAM], CASE_WORK,
            "Step 5: the condition that the current rent is paid during the trajectory.",
        ),
        _move(
            "record_milestone", _("Record eviction milestone"), OPEN_STATES, None,
            [Kind.HOUSING_CORPORATION], CASE_WORK,
            "The corporation may continue its own collection and eviction procedure; its steps count in the outcome.",
        ),
    ]
}

MOVES = {**TRANSITIONS, **ACTIONS}


def moves_from(state):
    """The moves a case in ``state`` allows, transitions first."""
    return [m for m in MOVES.values() if state in m.sources]
