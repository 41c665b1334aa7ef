"""Every change to a case, as one business action each.

``establish_signal`` and ``refer_from_safe_home`` open a case; one function per
transition of the table in ``workflow.py`` (``refer``, ``send_feedback``, …)
moves it on; the ``record_*`` and other functions below are the actions within
a state; those on an existing case go through ``_performing``. Each one checks the move
(``authorization.check_move``), the covenant's conditions, writes the change
and a ``CaseEvent`` in one transaction, and raises ``MoveRefused`` (not
allowed for this user) or ``ValidationError`` (not allowed now, with the
reason) without writing anything.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from woonzeker.accounts.authorization import check_move, may_see
from woonzeker.cases import deadlines
from woonzeker.cases.arrears import arrears_threshold_message, meets_arrears_threshold
from woonzeker.cases.constants import (
    INVOLVEMENT_STATUS_CHANGES,
    OPEN_STATES,
    RUNNING_INVOLVEMENT,
    SIGNAL_WITHDRAWAL_OUTCOMES,
    ApproachChannel,
    CorporationDecision,
    InvolvementStatus,
    MilestoneKind,
    Outcome,
    ProblemArea,
    ReferralSource,
    Resolution,
    Severity,
    State,
)
from woonzeker.cases.current_rent import current_rent_unpaid
from woonzeker.cases.models import (
    ActiveApproach,
    Analysis,
    Case,
    CaseEvent,
    Consent,
    CurrentRentCheck,
    Involvement,
    InvolvementNote,
    Milestone,
    PaymentArrangement,
    ProblemAssessment,
)
from woonzeker.cases.outcomes import outcome_matches_milestones
from woonzeker.cases.workflow import MOVES
from woonzeker.covenants.selectors import covenant_for
from woonzeker.formatting import long_date
from woonzeker.notifications.services import follow_up
from woonzeker.organisations.models import OrganisationKind
from woonzeker.organisations.postcodes import normalise_postcode
from woonzeker.organisations.routing import responsible_team
from woonzeker.tenancies.models import Tenancy

#: No step of any covenant happened before this day; an earlier date is a typing error (0001-01-01).
EARLIEST_DATE = date(2000, 1, 1)


def _today():
    return timezone.localdate()


def _check_date(value, field_name, not_before=None, not_before_label=""):
    if value is None:
        raise ValidationError({field_name: _("A date is required.")})
    if value > _today():
        raise ValidationError({field_name: _("The date cannot be in the future.")})
    if value < EARLIEST_DATE:
        raise ValidationError(
            {field_name: _("A date before %(date)s is not plausible here.") % {"date": long_date(EARLIEST_DATE)}}
        )
    if not_before is not None and value < not_before:
        raise ValidationError(
            {
                field_name: _("The date cannot be before %(what)s (%(date)s).")
                % {"what": not_before_label, "date": long_date(not_before)}
            }
        )
    return value


def _choice(value, choices, field_name, allowed=None):
    allowed = allowed if allowed is not None else choices.values
    if value not in allowed:
        raise ValidationError({field_name: _("Choose one of the listed options.")})
    return value


def _required_text(value, field_name):
    if not (value or "").strip():
        raise ValidationError({field_name: _("This field is required.")})
    return value.strip()


def _record_event(case, actor, action, from_state="", to_state="", **details):
    from woonzeker.monitoring.tasks import refresh_after_commit

    refresh_after_commit()  # every event may move the monitoring figures
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        organisation_id=actor.organisation_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        details=details,
    )


@dataclass
class _Step:
    case: Case
    details: dict = field(default_factory=dict)


class CaseChanged(ValidationError):
    """The case changed after the user opened it: someone else moved it on in between.

    Optimistic locking: the caller acted on ``case.version``; the locked row says otherwise.
    Nothing is written, and the user is asked to look again instead of overwriting."""


@contextmanager
def _performing(actor, case, name):
    """Lock the case, check the move and that nobody changed the case since the caller read it,
    let the caller change it, then save and log it."""
    move = MOVES[name]
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("covenant").get(pk=case.pk)
        check_move(actor, move, locked)
        if locked.version != case.version:
            raise CaseChanged(
                _(
                    "Someone else changed this case while you were working on it, so nothing was saved. "
                    "Look at the case as it is now and try again if still needed."
                ),
                code="case_changed",
            )
        if locked.state not in move.sources:
            raise ValidationError(
                _("A case that is '%(state)s' cannot: %(move)s.")
                % {"state": locked.get_state_display(), "move": move.label}
            )
        from_state = locked.state
        step = _Step(locked)
        yield step
        if move.target == State.CLOSED:
            step.details["involvements_ended"] = _end_involvements_on_closing(locked)
        if move.target:
            locked.state = move.target
        locked.version += 1
        locked.save()
        _record_event(locked, actor, name, from_state, locked.state, **step.details)
    case.refresh_from_db()
    follow_up(case, name, step.details)


# --- Opening a case -------------------------------------------------------------------------


class SecondOpenCase(ValidationError):
    """The household already has an open case. ``case_pk`` names it when the user may see it, else None:
    the refusal says nothing more about a case its reader may not see than that it exists."""

    def __init__(self, message, case_pk=None):
        super().__init__(message, code="second_open_case")
        self.case_pk = case_pk


def _refuse_second_open_case(actor, tenancy):
    """One household has at most one open case: a second signal or referral joins nothing, it is refused,
    naming the open case to a user who may see it (``authorization.may_see``)."""
    open_case = Case.objects.filter(tenancy=tenancy, state__in=OPEN_STATES).only("pk").first()
    if open_case is None:
        return
    if may_see(actor, open_case):
        raise SecondOpenCase(
            _("This household already has an open case: case %(number)s.") % {"number": open_case.pk}, open_case.pk
        )
    raise SecondOpenCase(_("This household already has an open case."))


def establish_signal(actor, tenancy, *, established_on, arrears, monthly_rent=None):
    """Step 1: a corporation establishes at least one month of arrears on ``established_on``."""
    check_move(actor, MOVES["establish_signal"])
    if tenancy.corporation_id != actor.organisation_id:
        raise ValidationError(_("This tenancy is not one of your corporation's."))
    _check_date(established_on, "established_on")
    monthly_rent = monthly_rent if monthly_rent is not None else tenancy.monthly_rent
    if monthly_rent is None or monthly_rent <= 0:
        raise ValidationError({"monthly_rent": _("The monthly rent must be more than zero.")})
    covenant = covenant_for(tenancy.municipality, established_on)
    if not meets_arrears_threshold(arrears, monthly_rent, covenant):
        raise ValidationError({"arrears": arrears_threshold_message(monthly_rent, covenant)})
    # Coverage, as when it is referred: a signal no team covers could never be referred (``UncoveredAddress``).
    responsible_team(tenancy.municipality, tenancy.postcode)
    with transaction.atomic(savepoint=False):  # the case and its event; a refusal ends the caller's transaction
        _refuse_second_open_case(actor, tenancy)
        case = Case.objects.create(
            covenant=covenant,
            tenancy=tenancy,
            corporation_id=tenancy.corporation_id,
            municipality_id=tenancy.municipality_id,
            source=ReferralSource.HOUSING_CORPORATION,
            state=State.SIGNAL,
            established_on=established_on,
            arrears_amount=arrears,
            monthly_rent=monthly_rent,
            referral_due_on=deadlines.referral_deadline(established_on, covenant),
        )
        _record_event(case, actor, "establish_signal", "", State.SIGNAL, arrears=str(arrears))
    return case


def refer_from_safe_home(actor, tenancy, *, referred_on, note=""):
    """Step 6: Veilig Thuis refers a resident with rent arrears to the social team of their address."""
    check_move(actor, MOVES["refer_from_safe_home"])
    _check_date(referred_on, "referred_on")
    covenant = covenant_for(tenancy.municipality, referred_on)
    team = responsible_team(tenancy.municipality, tenancy.postcode)
    with transaction.atomic(savepoint=False):  # the case and its event; a refusal ends the caller's transaction
        _refuse_second_open_case(actor, tenancy)
        case = Case.objects.create(
            covenant=covenant,
            tenancy=tenancy,
            corporation_id=tenancy.corporation_id,
            municipality_id=tenancy.municipality_id,
            social_team=team,
            source=ReferralSource.SAFE_HOME,
            referred_by_id=actor.organisation_id,
            state=State.REFERRED,
            referred_on=referred_on,
            referral_note=note,
            feedback_due_on=deadlines.analysis_deadline(referred_on, covenant),
        )
        _record_event(case, actor, "refer_from_safe_home", "", State.REFERRED, social_team=team.name)
    follow_up(case, "refer_from_safe_home", {})
    return case


# --- Transitions ----------------------------------------------------------------------------


def resolve_before_referral(actor, case, *, resolution, resolved_on):
    with _performing(actor, case, "resolve_before_referral") as step:
        c = step.case
        c.resolution = _choice(resolution, Resolution, "resolution")
        c.resolved_on = _check_date(resolved_on, "resolved_on", c.established_on, _("the arrears were established"))
        step.details = {"resolution": resolution}


def withdraw_signal(actor, case, *, outcome, closed_on):
    with _performing(actor, case, "withdraw_signal") as step:
        c = step.case
        c.outcome = _choice(outcome, Outcome, "outcome", allowed=SIGNAL_WITHDRAWAL_OUTCOMES)
        _check_outcome_against_milestones(c)
        c.closed_on = _check_date(closed_on, "closed_on", c.established_on, _("the arrears were established"))
        step.details = {"outcome": outcome}


def refer(actor, case, *, referred_on, note=""):
    """Step 3: refer to the social team responsible for the tenant's address, after an active approach."""
    with _performing(actor, case, "refer") as step:
        c = step.case
        if not c.approaches.exists():
            raise ValidationError(
                _("Record an active approach of the tenant first: a referral without one does not meet the covenant.")
            )
        c.referred_on = _check_date(referred_on, "referred_on", c.established_on, _("the arrears were established"))
        c.social_team = responsible_team(c.tenancy.municipality, c.tenancy.postcode)
        c.referred_by_id = actor.organisation_id
        c.referral_note = note
        c.feedback_due_on = deadlines.analysis_deadline(c.referred_on, c.covenant)
        step.details = {"social_team": c.social_team.name}


def send_feedback(actor, case, *, sent_on):
    """Step 4: the analysis is fed back to the corporation."""
    with _performing(actor, case, "send_feedback") as step:
        c = step.case
        analysis = Analysis.objects.filter(case=c).first()
        if analysis is None or analysis.tenant_reached is None or not analysis.summary_for_corporation.strip():
            raise ValidationError(
                _("Record the analysis first: whether the tenant was reached and a summary for the corporation.")
            )
        c.feedback_sent_on = _check_date(sent_on, "sent_on", c.referred_on, _("the referral"))


def start_care_trajectory(actor, case, *, started_on, reason, case_director=None):
    """Step 5: the social team starts a care trajectory and directs it."""
    director = case_director or actor
    with _performing(actor, case, "start_care_trajectory") as step:
        c = step.case
        if c.corporation_id and c.corporation_decision != CorporationDecision.AGREED:
            raise ValidationError(_("The corporation has not agreed to a care trajectory yet."))
        if director.organisation_id != c.social_team_id:
            raise ValidationError({"case_director": _("The case director must work for the social team.")})
        c.decision_reason = _required_text(reason, "reason")
        c.trajectory_started_on = _check_date(started_on, "started_on", c.feedback_sent_on, _("the feedback"))
        c.case_director = director
        step.details = {"case_director": str(director)}


def decide_no_care_trajectory(actor, case, *, reason, outcome, closed_on):
    with _performing(actor, case, "decide_no_care_trajectory") as step:
        c = step.case
        c.decision_reason = _required_text(reason, "reason")
        c.outcome = _choice(outcome, Outcome, "outcome")
        _check_outcome_against_milestones(c)
        c.closed_on = _check_date(closed_on, "closed_on", c.feedback_sent_on, _("the feedback"))
        step.details = {"outcome": outcome}


def close_care_trajectory(actor, case, *, outcome, closed_on):
    with _performing(actor, case, "close_care_trajectory") as step:
        c = step.case
        c.outcome = _choice(outcome, Outcome, "outcome")
        _check_outcome_against_milestones(c)
        c.closed_on = _check_date(closed_on, "closed_on", c.trajectory_started_on, _("the care trajectory started"))
        step.details = {"outcome": outcome}


def _check_outcome_against_milestones(case):
    kinds = case.milestones.values_list("kind", flat=True)
    if not outcome_matches_milestones(case.outcome, kinds):
        raise ValidationError(
            {"outcome": _("The outcome 'evicted' goes with, and only with, a recorded executed eviction.")}
        )


# --- Actions within a state -----------------------------------------------------------------


def record_approach(actor, case, *, channel, approached_on, reached, result="", day_part=""):
    """Step 2: the corporation records how it actively approached the tenant."""
    with _performing(actor, case, "record_approach") as step:
        c = step.case
        ActiveApproach.objects.create(
            case=c,
            channel=_choice(channel, ApproachChannel, "channel"),
            approached_on=_check_date(approached_on, "approached_on"),
            day_part=day_part,
            reached=bool(reached),
            result=result,
            recorded_by=actor,
            organisation_id=actor.organisation_id,
        )
        step.details = {"channel": channel, "reached": bool(reached)}


def assign_case_worker(actor, case, *, worker):
    with _performing(actor, case, "assign_case_worker") as step:
        c = step.case
        if worker.organisation_id != c.social_team_id or not worker.is_active:
            raise ValidationError({"worker": _("The case worker must be an active member of the social team.")})
        c.case_worker = worker
        step.details = {"case_worker": str(worker)}


def record_analysis(actor, case, *, tenant_reached, problems, summary_for_corporation, internal_notes=""):
    """Step 4: map the tenant's problems. ``problems`` maps a problem area to a severity."""
    with _performing(actor, case, "record_analysis") as step:
        c = step.case
        for area, severity in problems.items():
            _choice(area, ProblemArea, "problems")
            _choice(severity, Severity, "problems")
        analysis, _created = Analysis.objects.update_or_create(
            case=c,
            defaults={
                "tenant_reached": tenant_reached,
                "summary_for_corporation": summary_for_corporation,
                "internal_notes": internal_notes,
                "recorded_by": actor,
            },
        )
        analysis.problems.all().delete()
        ProblemAssessment.objects.bulk_create(
            ProblemAssessment(analysis=analysis, area=area, severity=severity) for area, severity in problems.items()
        )
        step.details = {"tenant_reached": tenant_reached, "problem_areas": sorted(problems)}


def record_corporation_decision(actor, case, *, decision, reason=""):
    with _performing(actor, case, "record_corporation_decision") as step:
        c = step.case
        c.corporation_decision = _choice(decision, CorporationDecision, "decision")
        if decision == CorporationDecision.DECLINED:
            _required_text(reason, "reason")
        c.corporation_decision_reason = reason
        step.details = {"decision": decision}


def record_consent(actor, case, *, given_by, given_on, parties, purpose=""):
    """The household consents to share the case with ``parties`` (kinds: social service, health service)."""
    with _performing(actor, case, "record_consent") as step:
        c = step.case
        parties = set(parties or ())
        if not parties or not parties <= set(Consent.FIELD_FOR_KIND):
            raise ValidationError({"parties": _("Choose the social service, the health service or both.")})
        consent = Consent.objects.create(
            case=c,
            given_by=_required_text(given_by, "given_by"),
            given_on=_check_date(given_on, "given_on"),
            purpose=(purpose or "").strip(),
            recorded_by=actor,
            **{Consent.FIELD_FOR_KIND[kind]: True for kind in parties},
        )
        step.details = {"consent": consent.pk, "parties": sorted(parties)}
    return consent


def withdraw_consent(actor, case, *, consent, withdrawn_on):
    """The household withdraws a consent: from now on the services it covered no longer see the case, and
    the running involvement of a service that no other consent in force covers ends on the day of withdrawal."""
    with _performing(actor, case, "withdraw_consent") as step:
        c = step.case
        consent = Consent.objects.select_for_update().filter(pk=getattr(consent, "pk", consent), case=c).first()
        if consent is None or not consent.in_force:
            raise ValidationError({"consent": _("Choose a consent that is in force.")})
        consent.withdrawn_on = _check_date(withdrawn_on, "withdrawn_on", consent.given_on, _("the consent was given"))
        consent.withdrawn_by = actor
        consent.withdrawn_at = timezone.now()
        consent.save()
        ended = _end_involvements_without_consent(c, consent.withdrawn_on)
        step.details = {"consent": consent.pk, "involvements_ended": ended}
    return consent


def _end_involvements_without_consent(case, on):
    """End, ``on`` that day, the running involvements of services no consent in force covers any more;
    returns their ids."""
    ended = []
    for involvement in case.involvements.select_for_update().filter(status__in=RUNNING_INVOLVEMENT):
        if not consent_in_force(case, involvement.organisation.kind):
            involvement.status = InvolvementStatus.CONSENT_WITHDRAWN
            involvement.finished_on = on
            involvement.save(update_fields=["status", "finished_on"])
            ended.append(involvement.pk)
    return ended


def _end_involvements_on_closing(case):
    """A closed case has no trajectory left to work on: the services still involved end there, on the day
    the case closed, with a status of their own (not "finished": the service did not finish it). Returns
    their ids."""
    ended = []
    for involvement in case.involvements.select_for_update().filter(status__in=RUNNING_INVOLVEMENT):
        involvement.status = InvolvementStatus.CASE_CLOSED
        involvement.finished_on = case.closed_on or _today()
        involvement.save(update_fields=["status", "finished_on"])
        ended.append(involvement.pk)
    return ended


def consent_in_force(case, kind):
    """Whether a consent covering organisations of ``kind`` is in force for ``case``."""
    return Consent.objects.in_force(kind).filter(case=case).exists()


def request_involvement(actor, case, *, organisation, question="", requested_on=None):
    """Step 5: the case director brings in the social service or the health service, with the household's
    consent to share the case with them."""
    with _performing(actor, case, "request_involvement") as step:
        c = step.case
        if organisation.kind not in (OrganisationKind.SOCIAL_SERVICE, OrganisationKind.HEALTH_SERVICE):
            raise ValidationError(
                {"organisation": _("Only the social service or the health service can be brought in.")}
            )
        if not consent_in_force(c, organisation.kind):
            raise ValidationError(
                {
                    "organisation": _(
                        "Record the household's consent to share this case with %(org)s first: "
                        "without it %(org)s cannot be brought in."
                    )
                    % {"org": organisation}
                }
            )
        if c.involvements.filter(organisation=organisation, status__in=RUNNING_INVOLVEMENT).exists():
            raise ValidationError({"organisation": _("%(org)s is already involved.") % {"org": organisation}})
        involvement = Involvement.objects.create(
            case=c, organisation=organisation, question=question, requested_on=requested_on or _today()
        )
        step.details = {"organisation": organisation.name, "involvement": involvement.pk}
    return involvement


def update_involvement(actor, involvement, *, status=None, progress="", on=None):
    """A service accepts, declines or finishes its involvement, and/or adds a progress note: ``progress`` is
    appended as a new dated note (``InvolvementNote``); the earlier notes stay."""
    with _performing(actor, involvement.case, "update_involvement") as step:
        involvement = Involvement.objects.select_for_update().get(pk=involvement.pk)
        if involvement.organisation_id != actor.organisation_id:
            raise ValidationError(_("This involvement is not your organisation's."))
        on = on or _today()
        changed = bool(status and status != involvement.status)
        if not changed and not (progress or "").strip():
            raise ValidationError({"progress": _("Choose a new status or write a progress note.")})
        if changed:
            if status not in INVOLVEMENT_STATUS_CHANGES[involvement.status]:
                raise ValidationError(
                    {
                        "status": _("An involvement that is '%(from)s' cannot become '%(to)s'.")
                        % {"from": involvement.get_status_display(), "to": InvolvementStatus(status).label}
                    }
                )
            involvement.status = status
            if status == InvolvementStatus.ACCEPTED:
                involvement.accepted_on = on
            if status in (InvolvementStatus.FINISHED, InvolvementStatus.DECLINED):
                involvement.finished_on = on
        involvement.save()
        step.details = {"involvement": involvement.pk, "status": involvement.status}
        if (progress or "").strip():
            note = InvolvementNote.objects.create(
                involvement=involvement,
                written_by=actor,
                organisation_id=actor.organisation_id,
                text=progress.strip(),
            )
            step.details["note"] = note.pk
        if changed:
            step.details["status_changed"] = True
    return involvement


def record_payment_arrangement(actor, case, *, agreed_on, monthly_amount, total_amount, note=""):
    with _performing(actor, case, "record_payment_arrangement") as step:
        if monthly_amount is None or monthly_amount <= 0:
            raise ValidationError({"monthly_amount": _("The amount must be more than zero.")})
        if total_amount is None or total_amount <= 0:
            raise ValidationError({"total_amount": _("The amount must be more than zero.")})
        arrangement = PaymentArrangement.objects.create(
            case=step.case,
            agreed_on=_check_date(agreed_on, "agreed_on"),
            monthly_amount=monthly_amount,
            total_amount=total_amount,
            note=note,
            recorded_by=actor,
        )
        step.details = {"monthly_amount": str(monthly_amount), "total_amount": str(total_amount)}
    return arrangement


def record_current_rent_check(actor, case, *, checked_on, paid=None, previous_arrears=None, arrears=None, note=""):
    """Step 5's condition. Without ``paid``, it follows from the arrears (``current_rent_unpaid``)."""
    with _performing(actor, case, "record_current_rent_check") as step:
        if paid is None:
            if previous_arrears is None or arrears is None:
                raise ValidationError({"paid": _("Say whether the current rent was paid, or give both arrears.")})
            paid = not current_rent_unpaid(previous_arrears, arrears)
        check = CurrentRentCheck.objects.create(
            case=step.case,
            checked_on=_check_date(checked_on, "checked_on"),
            paid=paid,
            previous_arrears=previous_arrears,
            arrears=arrears,
            note=note,
            recorded_by=actor,
        )
        step.details = {"paid": paid, "check": check.pk}
    return check


#: The household's details a corporation or a team corrects on an open case (``correct_household``), in order.
HOUSEHOLD_FIELDS = ("street", "house_number", "house_number_suffix", "postcode", "town", "phone", "email")
#: Of those, the ones an address cannot do without.
REQUIRED_HOUSEHOLD_FIELDS = ("street", "house_number", "postcode", "town")


def correct_household(actor, case, **values):
    """Correct the household's address and contact details: the fields of ``HOUSEHOLD_FIELDS`` given.

    A corrected postcode must still be covered by a social team (``responsible_team``), as when a case is
    made; a case already referred stays with its team (its analysis and deadline are that team's). Each
    changed field is in the case's history, from what to what; a correction that changes nothing is refused."""
    unknown = set(values) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValueError(f"Not a household field: {', '.join(sorted(unknown))}")
    with _performing(actor, case, "correct_household") as step:
        tenancy = Tenancy.objects.select_for_update().get(pk=step.case.tenancy_id)
        changes = []
        for name in HOUSEHOLD_FIELDS:
            if name not in values:
                continue
            new = (values[name] or "").strip()
            if name in REQUIRED_HOUSEHOLD_FIELDS:
                _required_text(new, name)
            if name == "postcode":
                new = normalise_postcode(new)
            old = getattr(tenancy, name)
            if new != old:
                # The e-mail address is stored but shown nowhere (docs/authorization.md): its line says that it
                # changed, not from what to what.
                changes.append({"field": name} if name == "email" else {"field": name, "from": old, "to": new})
                setattr(tenancy, name, new)
        if not changes:
            raise ValidationError(_("Nothing was changed: the details are as they were."))
        changed = [change["field"] for change in changes]
        tenancy.clean_fields(exclude=[f.name for f in Tenancy._meta.fields if f.name not in changed])
        if "postcode" in changed:
            responsible_team(tenancy.municipality, tenancy.postcode)
        tenancy.save(update_fields=changed)
        step.details = {"changes": changes}


def record_milestone(actor, case, *, kind, occurred_on, note=""):
    with _performing(actor, case, "record_milestone") as step:
        milestone = Milestone.objects.create(
            case=step.case,
            kind=_choice(kind, MilestoneKind, "kind"),
            occurred_on=_check_date(occurred_on, "occurred_on"),
            note=note,
            recorded_by=actor,
        )
        step.details = {"kind": kind}
    return milestone
