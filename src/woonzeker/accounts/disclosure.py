"""Which parts of a case each reader may read: the disclosure table of docs/authorization.md, as data.

``authorization.visible_cases`` decides whether a case exists for a user at all; this module decides, for a
case the user may see, which of its records they read. The principle is need-to-know: a note one party
writes for another is read by its writer, its addressee and the team that directs the case; a service reads
its own involvement and the consent that lets it in; the corporation reads the summary meant for it, the
state, the deadlines and what it wrote itself.

Every edge is handed a per-reader view built here (``case_view`` for one case, ``list_row_for`` for a row of
a list), so a template or serializer cannot show what its reader was not given.
``tests/accounts/test_disclosure_table.py`` reads the table from the document and holds it equal to
``DISCLOSURE``; ``tests/accounts/test_canary.py`` checks every channel against it.
"""

import functools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from woonzeker.cases.history import household_changes
from woonzeker.crypto import mask
from woonzeker.organisations.models import OrganisationKind as Kind

# What a cell of the table says.
YES = "yes"
NO = "no"
#: The BSN, masked (``*****6789``) or in full.
MASKED = "masked"
FULL = "full"
#: Only what the reader's own organisation wrote (the referral it made, the decision it recorded).
WRITER = "writer"
#: Only the records about the reader's own organisation (its involvement, the consent that covers it).
OWN = "own"
#: Once the team has fed the analysis back.
AFTER_FEEDBACK = "after feedback"

#: The readers of a case, in the table's column order: every kind of organisation that can see one.
READERS = (Kind.HOUSING_CORPORATION, Kind.SOCIAL_TEAM, Kind.SOCIAL_SERVICE, Kind.HEALTH_SERVICE, Kind.SAFE_HOME)


def _row(corporation, team, social_service, health_service, safe_home):
    return dict(zip(READERS, (corporation, team, social_service, health_service, safe_home), strict=True))


#: Record of a case -> what each reader may read of it. Municipalities, functional administrators and
#: privacy officers see no case at all (``visible_cases``); the privacy officer reads everything of one
#: household in an access request (``privacy.access_request``), outside this table.
DISCLOSURE = {
    # Number, state, deadlines, the parties, the case worker and director, its dates, outcome.
    "case": _row(YES, YES, YES, YES, YES),
    # Name, address, phone, contract number.
    "household": _row(YES, YES, YES, YES, YES),
    "bsn": _row(MASKED, MASKED, FULL, MASKED, NO),
    # Arrears established on, the arrears, the monthly rent, how a signal was resolved, the referral deadline
    # (it is the establishment date plus the covenant's term).
    "signal": _row(YES, YES, YES, NO, NO),
    "approaches": _row(YES, YES, NO, NO, NO),
    # Who referred the case (and the kind of referrer) and the referral note: the referrer's own note for the team.
    "referral": _row(WRITER, YES, NO, NO, WRITER),
    # Whether the tenant was reached and the summary for the corporation.
    "feedback": _row(AFTER_FEEDBACK, YES, NO, NO, NO),
    # Internal notes and problem areas.
    "analysis_internal": _row(NO, YES, NO, NO, NO),
    # The corporation's decision on a care trajectory and its reason.
    "corporation_decision": _row(YES, YES, NO, NO, NO),
    # Why a care trajectory was started or not.
    "trajectory_decision": _row(WRITER, YES, NO, NO, NO),
    # Who consented, when, for whom, for what, and the withdrawal.
    "consents": _row(NO, YES, OWN, OWN, NO),
    # Which service was brought in, the team's question, the status and the service's progress notes.
    "involvements": _row(NO, YES, OWN, OWN, NO),
    "payment_arrangements": _row(YES, YES, YES, NO, NO),
    "current_rent_checks": _row(YES, YES, YES, NO, NO),
    "milestones": _row(YES, YES, YES, NO, NO),
}

#: Each line of the history is shown to whoever may read the record its move concerns.
EVENT_RECORD = {
    "establish_signal": "signal",
    "resolve_before_referral": "signal",
    "record_approach": "approaches",
    "refer": "referral",
    "refer_from_safe_home": "referral",
    "record_analysis": "feedback",
    "record_corporation_decision": "corporation_decision",
    "record_consent": "consents",
    "withdraw_consent": "consents",
    "request_involvement": "involvements",
    "update_involvement": "involvements",
    "record_payment_arrangement": "payment_arrangements",
    "record_current_rent_check": "current_rent_checks",
    "record_milestone": "milestones",
    # A correction of the address or contact details, on the page or by a ledger: from what, to what.
    "correct_household": "household",
}


def reader_of(user):
    """The column of the table ``user`` reads by: the kind of their organisation (None: no case file)."""
    kind = getattr(user, "organisation_kind", None)
    return kind if kind in READERS else None


def rule(user, record):
    """The table's cell for ``user`` and ``record``: YES, NO, MASKED, FULL, WRITER, OWN or AFTER_FEEDBACK."""
    reader = reader_of(user)
    return DISCLOSURE[record][reader] if reader else NO


def may_read(user, record, case, *, writer_id=None):
    """Whether ``user`` reads ``record`` of ``case`` (a case they may see), as a yes or no.

    ``writer_id`` is the organisation that wrote the record, for a WRITER cell. OWN cells are decided per
    item (``_own``), so here they say only whether the reader may read some of the record."""
    cell = rule(user, record)
    if cell == WRITER:
        return writer_id is not None and writer_id == user.organisation_id
    if cell == AFTER_FEEDBACK:
        return case.feedback_sent_on is not None
    return cell != NO


def may_search_by_bsn(user):
    """Whether a typed BSN finds a case for ``user``: only for a reader who holds it already, the corporation
    (its ledger supplies it) and the social service (reads it in full). For a reader who sees it masked, a search
    that finds or misses would tell the rest of the number, one guess at a time."""
    return reader_of(user) == Kind.HOUSING_CORPORATION or rule(user, "bsn") == FULL


def shown_bsn(user, case):
    """The case's BSN as ``user`` may see it: full, masked, or '' when there is none (or none for them)."""
    bsn = case.tenancy.bsn
    cell = rule(user, "bsn")
    if not bsn or cell == NO:
        return ""
    return bsn if cell == FULL else mask(bsn)


# --- The per-reader view of one case ----------------------------------------------------------


@dataclass(frozen=True)
class Household:
    name: str
    address: str
    phone: str
    contract_number: str


@dataclass(frozen=True)
class Signal:
    established_on: date | None
    arrears_amount: Decimal | None
    monthly_rent: Decimal | None
    resolution: str  # the label
    resolved_on: date | None


@dataclass(frozen=True)
class Referral:
    referred_by: str
    note: str


@dataclass(frozen=True)
class Feedback:
    tenant_reached: bool | None
    summary_for_corporation: str


@dataclass(frozen=True)
class InternalAnalysis:
    internal_notes: str
    problems: list  # (area label, severity label)


@dataclass(frozen=True)
class Decision:
    decision: str  # the label
    reason: str


@dataclass(frozen=True)
class ConsentView:
    given_by: str
    given_on: date
    parties: str
    purpose: str
    recorded_by: str
    withdrawn_on: date | None
    withdrawn_by: str


@dataclass(frozen=True)
class NoteView:
    written_at: object
    written_by: str
    organisation: str
    text: str


@dataclass(frozen=True)
class InvolvementView:
    organisation: str
    status: str  # the label
    question: str
    requested_on: date
    notes: list = field(default_factory=list)  # NoteView, oldest first: the service's progress, as a conversation


@dataclass(frozen=True)
class EventView:
    at: object
    organisation: str
    actor: str
    action_label: str
    to_state_label: str
    changes: tuple = ()  # of a household's correction: (field label, from, to); no values for the e-mail address


@dataclass(frozen=True)
class CaseView:
    """One case as one reader may read it. A part the reader may not read is None (or an empty list)."""

    number: int
    version: int
    state: str
    state_label: str
    source: str
    corporation: str
    social_team: str
    case_worker: str
    case_director: str
    outcome: str  # the label
    closed_on: date | None
    household: Household
    bsn: str
    signal: Signal | None
    referral: Referral | None
    feedback: Feedback | None
    internal_analysis: InternalAnalysis | None
    corporation_decision: Decision | None
    trajectory_decision: Decision | None
    approaches: list = field(default_factory=list)
    consents: list = field(default_factory=list)
    involvements: list = field(default_factory=list)
    payment_arrangements: list = field(default_factory=list)
    current_rent_checks: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    events: list = field(default_factory=list)


def _text(value):
    return str(value) if value is not None else ""


def case_view(user, case):
    """``case`` (one ``user`` may see) as ``user`` may read it: the one object pages and exports render."""
    from woonzeker.cases.models import Analysis

    events = list(case.events.select_related("actor", "organisation"))
    own_consents = _own_consents(user, case)
    own_involvements = _own_involvements(user, case)

    def readable(record, writer_id=None):
        return may_read(user, record, case, writer_id=writer_id)

    analysis = None
    if readable("feedback") or readable("analysis_internal"):
        analysis = Analysis.objects.filter(case=case).prefetch_related("problems").first()
    decision_writer = next(
        (
            e.organisation_id
            for e in reversed(events)
            if e.action in ("start_care_trajectory", "decide_no_care_trajectory")
        ),
        None,
    )
    tenancy = case.tenancy
    return CaseView(
        number=case.pk,
        version=case.version,
        state=case.state,
        state_label=case.get_state_display(),
        source=case.source,
        corporation=_text(case.corporation),
        social_team=_text(case.social_team),
        case_worker=_text(case.case_worker),
        case_director=_text(case.case_director),
        outcome=case.get_outcome_display() if case.outcome else "",
        closed_on=case.closed_on,
        household=Household(
            name=tenancy.tenant_name,
            address=tenancy.address,
            phone=tenancy.phone,
            contract_number=tenancy.contract_number or "",
        ),
        bsn=shown_bsn(user, case),
        signal=Signal(
            established_on=case.established_on,
            arrears_amount=case.arrears_amount,
            monthly_rent=case.monthly_rent,
            resolution=case.get_resolution_display() if case.resolution else "",
            resolved_on=case.resolved_on,
        )
        if readable("signal")
        else None,
        referral=Referral(referred_by=_text(case.referred_by), note=case.referral_note)
        if case.referred_by_id and readable("referral", case.referred_by_id)
        else None,
        feedback=Feedback(analysis.tenant_reached, analysis.summary_for_corporation)
        if analysis is not None and readable("feedback")
        else None,
        internal_analysis=InternalAnalysis(
            analysis.internal_notes, [(p.get_area_display(), p.get_severity_display()) for p in analysis.problems.all()]
        )
        if analysis is not None and readable("analysis_internal")
        else None,
        corporation_decision=Decision(case.get_corporation_decision_display(), case.corporation_decision_reason)
        if case.corporation_decision and readable("corporation_decision")
        else None,
        trajectory_decision=Decision("", case.decision_reason)
        if case.decision_reason and readable("trajectory_decision", decision_writer)
        else None,
        approaches=list(case.approaches.all()) if readable("approaches") else [],
        consents=[_consent_view(user, c) for c in own_consents],
        involvements=[_involvement_view(i) for i in own_involvements],
        payment_arrangements=list(case.payment_arrangements.all()) if readable("payment_arrangements") else [],
        current_rent_checks=list(case.current_rent_checks.all()) if readable("current_rent_checks") else [],
        milestones=list(case.milestones.all()) if readable("milestones") else [],
        events=[
            _event_view(e)
            for e in events
            if _may_read_event(user, case, e, {c.pk for c in own_consents}, {i.pk for i in own_involvements})
        ],
    )


def _own_consents(user, case):
    """The consents ``user`` reads: every one for the team; for a service, those covering its own kind."""
    cell = rule(user, "consents")
    if cell == NO:
        return []
    consents = list(case.consents.select_related("recorded_by", "withdrawn_by"))
    return consents if cell == YES else [c for c in consents if c.covers(user.organisation_kind)]


def _own_involvements(user, case):
    """The involvements ``user`` reads: every one for the team; for a service, its own."""
    from woonzeker.cases.models import InvolvementNote

    cell = rule(user, "involvements")
    if cell == NO:
        return []
    involvements = case.involvements.select_related("organisation").prefetch_related(
        Prefetch("notes", queryset=InvolvementNote.objects.select_related("written_by", "organisation"))
    )
    return list(involvements if cell == YES else involvements.filter(organisation_id=user.organisation_id))


def _consent_view(user, consent):
    # A service reads that the consent covers it, not which other service it also covers.
    from woonzeker.cases.models import Consent

    if rule(user, "consents") == OWN:
        parties = str(Consent._meta.get_field(Consent.FIELD_FOR_KIND[user.organisation_kind]).verbose_name)
    else:
        parties = consent.parties_display
    # A purpose written for both services speaks of the other one too: a service reads only a purpose of its own.
    own_purpose = rule(user, "consents") == YES or not (consent.social_service and consent.health_service)
    return ConsentView(
        given_by=consent.given_by,
        given_on=consent.given_on,
        parties=parties,
        purpose=consent.purpose if own_purpose else "",
        recorded_by=_text(consent.recorded_by),
        withdrawn_on=consent.withdrawn_on,
        withdrawn_by=_text(consent.withdrawn_by),
    )


def _involvement_view(involvement):
    return InvolvementView(
        organisation=str(involvement.organisation),
        status=involvement.get_status_display(),
        question=involvement.question,
        requested_on=involvement.requested_on,
        # The notes of an involvement the reader reads (``_own_involvements``): never another service's.
        notes=[
            NoteView(
                written_at=note.written_at,
                written_by=_text(note.written_by),
                organisation=_text(note.organisation),
                text=note.text,
            )
            for note in involvement.notes.all()
        ],
    )


def _may_read_event(user, case, event, own_consent_ids, own_involvement_ids):
    record = EVENT_RECORD.get(event.action, "case")
    cell = rule(user, record)
    if cell == OWN:
        details = event.details or {}
        return details.get("consent") in own_consent_ids or details.get("involvement") in own_involvement_ids
    if record == "referral":
        return may_read(user, record, case, writer_id=event.organisation_id)
    return may_read(user, record, case)


def _event_view(event):
    return EventView(
        at=event.at,
        organisation=_text(event.organisation),
        actor=_text(event.actor),
        action_label=str(event.action_label),
        to_state_label=str(event.to_state_label) if event.to_state and event.to_state != event.from_state else "",
        changes=household_changes(event.details) if event.action == "correct_household" else (),
    )


# --- A row of a list (the API's case list) ---------------------------------------------------

#: The list's keys that belong to a record other than the case and the household. Not among them: the next
#: step (``next_step``), which ``cases.selectors.next_steps`` derives, for the work queue and the API alike,
#: only from the records its reader reads here (``may_read``): it is built per reader, not emptied after.
LIST_KEY_RECORD = {
    "established_on": "signal",
    "arrears_amount": "signal",
    "resolution": "signal",
    "referral_due_on": "signal",
    "corporation_decision": "corporation_decision",
    "source": "referral",
}
#: What a key the reader may not read becomes: the same as when there is nothing to say.
EMPTY = {
    "established_on": None,
    "arrears_amount": None,
    "resolution": "",
    "referral_due_on": None,
    "corporation_decision": "",
    "source": "",
}


def list_row_for(user, row):
    """A row of the case list (``api.serializers.case_list_row``) with what ``user`` may not read emptied.

    The row names no referrer, so a WRITER cell is read from its kind: the referrer's kind is its own."""
    reader = reader_of(user)
    for key, cell in _list_cells(reader):
        if cell == NO or (cell == WRITER and row.get("source") != reader):
            row[key] = EMPTY[key]
    return row


@functools.cache
def _list_cells(reader):
    """The table's cell of each key of ``LIST_KEY_RECORD`` for ``reader``, as ``rule`` gives it: looked up once per
    kind of reader, not for every key of every row of every page."""
    return tuple((key, DISCLOSURE[record][reader] if reader else NO) for key, record in LIST_KEY_RECORD.items())


def readable_deadlines(user, deadlines):
    """Of a case's ``deadlines`` (``cases.deadlines.deadlines_of``), those ``user`` reads: the referral
    deadline is the establishment date plus the covenant's term, so it is part of the signal."""
    signal = rule(user, "signal") != NO
    return [deadline for deadline in deadlines if signal or deadline.name != "referral"]
