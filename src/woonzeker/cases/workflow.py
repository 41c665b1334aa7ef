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


def _move(*, name, label, sources, target, parties, roles, reason):
    return Move(name, label, tuple(sources), target, frozenset(parties), roles, reason)


TRANSITIONS = {
    m.name: m
    for m in [
        _move(
            name="establish_signal",
            label=_("Establish arrears"),
            sources=[],
            target=State.SIGNAL,
            parties=[Kind.HOUSING_CORPORATION],
            roles=CASE_WORK,
            reason="Step 1: the corporation establishes one month of rent arrears; that date starts the clock.",
        ),
        _move(
            name="resolve_before_referral",
            label=_("Resolve before referral"),
            sources=[State.SIGNAL],
            target=State.RESOLVED_BEFORE_REFERRAL,
            parties=[Kind.HOUSING_CORPORATION],
            roles=CASE_WORK,
            reason="Step 3: if the arrears are paid off, or a payment arrangement is agreed, before then, "
            "the signal ends without a report.",
        ),
        _move(
            name="withdraw_signal",
            label=_("Withdraw signal"),
            sources=[State.SIGNAL],
            target=State.CLOSED,
            parties=[Kind.HOUSING_CORPORATION],
            roles=COORDINATION,
            reason="A signal that cannot be referred (tenant moved or deceased, signal unfounded) "
            "is closed by the corporation.",
        ),
        _move(
            name="refer",
            label=_("Refer to the social team"),
            sources=[State.SIGNAL],
            target=State.REFERRED,
            parties=[Kind.HOUSING_CORPORATION],
            roles=CASE_WORK,
            reason="Step 3: after approaching the tenant actively, the corporation reports the tenant "
            "to the social team responsible for the tenant's address.",
        ),
        _move(
            name="refer_from_safe_home",
            label=_("Refer a resident"),
            sources=[],
            target=State.REFERRED,
            parties=[Kind.SAFE_HOME],
            roles=CASE_WORK,
            reason="Step 6: Veilig Thuis refers residents with rent arrears to the social team directly.",
        ),
        _move(
            name="send_feedback",
            label=_("Send feedback"),
            sources=[State.REFERRED],
            target=State.FEEDBACK_SENT,
            parties=[Kind.SOCIAL_TEAM],
            roles=CASE_WORK,
            reason="Step 4: the social team maps the problems and feeds an analysis back to the corporation.",
        ),
        _move(
            name="start_care_trajectory",
            label=_("Start care trajectory"),
            sources=[State.FEEDBACK_SENT],
            target=State.CARE_TRAJECTORY,
            parties=[Kind.SOCIAL_TEAM],
            roles=CASE_WORK,
            reason="Step 5: if it is decided to start a care trajectory, the social team directs it.",
        ),
        _move(
            name="decide_no_care_trajectory",
            label=_("Decide: no care trajectory"),
            sources=[State.FEEDBACK_SENT],
            target=State.CLOSED,
            parties=[Kind.SOCIAL_TEAM, Kind.HOUSING_CORPORATION],
            roles=CASE_WORK,
            reason="Step 5: the decision whether to start a care trajectory; "
            "without one the case closes with its outcome.",
        ),
        _move(
            name="close_care_trajectory",
            label=_("Close with outcome"),
            sources=[State.CARE_TRAJECTORY],
            target=State.CLOSED,
            parties=[Kind.SOCIAL_TEAM],
            roles=CASE_WORK,
            reason="The case director follows the trajectory to an outcome.",
        ),
    ]
}

ACTIONS = {
    m.name: m
    for m in [
        _move(
            name="record_approach",
            label=_("Record active approach"),
            sources=[State.SIGNAL],
            target=None,
            parties=[Kind.HOUSING_CORPORATION],
            roles=CASE_WORK,
            reason="Step 2: the corporation actively approaches the tenant first (letter, phone call, home visit).",
        ),
        _move(
            name="assign_case_worker",
            label=_("Assign case worker"),
            sources=[State.REFERRED, State.FEEDBACK_SENT, State.CARE_TRAJECTORY],
            target=None,
            parties=[Kind.SOCIAL_TEAM],
            roles=COORDINATION,
            reason="The social team receives the report and gives it to one of its workers.",
        ),
        _move(
            name="record_analysis",
            label=_("Record analysis"),
            sources=[State.REFERRED],
            target=None,
            parties=[Kind.SOCIAL_TEAM],
            roles=CASE_WORK,
            reason="Step 4: the social team maps the tenant's problems.",
        ),
        _move(
            name="record_corporation_decision",
            label=_("Agree or decline care trajectory"),
            sources=[State.FEEDBACK_SENT],
            target=None,
            parties=[Kind.HOUSING_CORPORATION],
            roles=CASE_WORK,
            reason="Step 5: the corporation decides with the team on a care trajectory.",
        ),
        _move(
            name="record_consent",
            label=_("Record consent to share"),
            sources=[State.REFERRED, State.FEEDBACK_SENT, State.CARE_TRAJECTORY],
            target=None,
            parties=[Kind.SOCIAL_TEAM],
            roles=CASE_WORK,
            reason="GDPR: the social service and health service see a case only after the household "
            "consented to share it with them (who, when, for which parties and what for).",
        ),
        _move(
            name="withdraw_consent",
            label=_("Record withdrawal of consent"),
            sources=[State.REFERRED, State.FEEDBACK_SENT, State.CARE_TRAJECTORY, State.CLOSED],
            target=None,
            parties=[Kind.SOCIAL_TEAM],
            roles=CASE_WORK,
            reason="GDPR: the household may withdraw its consent at any time; the services it covered "
            "lose access to the case.",
        ),
        _move(
            name="request_involvement",
            label=_("Bring in a service"),
            sources=[State.CARE_TRAJECTORY],
            target=None,
            parties=[Kind.SOCIAL_TEAM],
            roles=CASE_WORK,
            reason="Step 5: the case director brings in the SDD and/or DG&J where needed.",
        ),
        _move(
            name="update_involvement",
            label=_("Update involvement"),
            sources=[State.CARE_TRAJECTORY],
            target=None,
            parties=[Kind.SOCIAL_SERVICE, Kind.HEALTH_SERVICE],
            roles=CASE_WORK,
            reason="A service brought in accepts, reports progress and finishes its part.",
        ),
        _move(
            name="record_payment_arrangement",
            label=_("Record payment arrangement"),
            sources=[State.REFERRED, State.FEEDBACK_SENT, State.CARE_TRAJECTORY],
            target=None,
            parties=[Kind.HOUSING_CORPORATION, Kind.SOCIAL_TEAM],
            roles=CASE_WORK,
            reason="A payment arrangement for the arrears, agreed with the corporation.",
        ),
        _move(
            name="record_current_rent_check",
            label=_("Record current rent"),
            sources=[State.CARE_TRAJECTORY],
            target=None,
            parties=[Kind.HOUSING_CORPORATION, Kind.SOCIAL_TEAM],
            roles=CASE_WORK,
            reason="Step 5: the condition that the current rent is paid during the trajectory.",
        ),
        _move(
            name="correct_household",
            label=_("Correct address and contact details"),
            sources=OPEN_STATES,
            target=None,
            parties=[Kind.HOUSING_CORPORATION, Kind.SOCIAL_TEAM],
            roles=CASE_WORK,
            reason="Every party contacts the household: the corporation (its landlord) and the social team "
            "(who visits it) keep its address and contact details right, each change in the history.",
        ),
        _move(
            name="record_milestone",
            label=_("Record eviction milestone"),
            sources=OPEN_STATES,
            target=None,
            parties=[Kind.HOUSING_CORPORATION],
            roles=CASE_WORK,
            reason="The corporation may continue its own collection and eviction procedure; "
            "its steps count in the outcome.",
        ),
    ]
}

MOVES = {**TRANSITIONS, **ACTIONS}


#: The order in which a case's moves are made, as the covenant tells the steps: first approach the tenant,
#: then resolve or refer; the team assigns, analyses and feeds back; the corporation decides; the trajectory
#: starts (or not), is recorded on and closed. The case page offers the moves of a state in this order.
FLOW_ORDER = (
    "establish_signal",
    "record_approach",
    "resolve_before_referral",
    "refer",
    "withdraw_signal",
    "refer_from_safe_home",
    "assign_case_worker",
    "record_analysis",
    "send_feedback",
    "record_corporation_decision",
    "start_care_trajectory",
    "decide_no_care_trajectory",
    "record_consent",
    "request_involvement",
    "update_involvement",
    "withdraw_consent",
    "record_payment_arrangement",
    "record_current_rent_check",
    "record_milestone",
    "close_care_trajectory",
    # Not a step of the process but a correction, possible in any open state: offered last.
    "correct_household",
)


def moves_from(state):
    """The moves a case in ``state`` allows, in the order they are made (``FLOW_ORDER``)."""
    return sorted((m for m in MOVES.values() if state in m.sources), key=lambda m: FLOW_ORDER.index(m.name))
