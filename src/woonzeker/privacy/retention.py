"""The retention terms: personal data does not outlive its purpose; the figures do.

Each covenant sets its terms (``Covenant.retention_*``):

- a signal that ended without a referral (resolved, or withdrawn) keeps its personal data for
  ``retention_unreferred_signal_months`` after it ended;
- a referred case, for ``retention_closed_case_years`` after it closed;
- the audit trail, for ``retention_audit_years`` (one chain for all covenants: the longest term applies).

A case whose term has passed is *anonymised*, not deleted: it keeps what monitoring counts (its
dates, state, outcome, the organisations, the kinds and dates of milestones, whether the current
rent was paid) and loses everything that says who or what it was about (free text, problem areas,
event details, notifications). Its household is anonymised once none of its cases still needs it,
and its rent-ledger history is removed. A household known only from rent ledgers (its arrears
never made a signal) is removed with its snapshots once its latest snapshot is older than the
term for signals. A rent-ledger file a corporation sent (imported or refused) keeps its original file, and
the values its report quotes, for the term for signals after it was received: the longest such term of the
covenants the corporation is a party to (of all covenants, for a corporation that is party to none); its
counts and checksum stay. ``monitoring.refresh`` rebuilds the same figures from the
anonymous cases. ``apply_retention`` runs daily (``run_daily``); a second run on the same day finds
nothing left to do.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from woonzeker.audit import services as audit
from woonzeker.audit.models import AuditAction
from woonzeker.audit.seals import seal_trail
from woonzeker.cases.constants import FINAL_STATES, State
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
from woonzeker.covenants.models import Covenant
from woonzeker.ledgers.models import LedgerImport, TenancySnapshot
from woonzeker.notifications.models import Notification
from woonzeker.tenancies.models import Tenancy

logger = logging.getLogger("woonzeker.privacy")

#: What an anonymised household is called.
ANONYMISED = "[geanonimiseerd]"
BATCH = 1000


@dataclass
class RetentionResult:
    signals_anonymised: int = 0
    cases_anonymised: int = 0
    households_anonymised: int = 0
    ledger_households_removed: int = 0
    ledger_files_removed: int = 0
    audit_entries_removed: int = 0

    def __bool__(self):
        return any(asdict(self).values())

    def as_dict(self):
        return asdict(self)


def months_before(day, months):
    """The same day ``months`` earlier (the last day of the month where that day does not exist)."""
    return day - relativedelta(months=months)


def expired_signals(covenant, today):
    """Signals of ``covenant`` that ended without a referral longer ago than its term, not yet anonymised."""
    cutoff = months_before(today, covenant.retention_unreferred_signal_months)
    return Case.objects.filter(
        Q(resolved_on__lt=cutoff) | Q(resolved_on__isnull=True, closed_on__lt=cutoff),
        covenant=covenant,
        anonymised_on__isnull=True,
        referred_on__isnull=True,
        state__in=FINAL_STATES,
    )


def expired_cases(covenant, today):
    """Referred cases of ``covenant`` closed longer ago than its term, not yet anonymised."""
    cutoff = months_before(today, 12 * covenant.retention_closed_case_years)
    return Case.objects.filter(
        covenant=covenant,
        anonymised_on__isnull=True,
        referred_on__isnull=False,
        state=State.CLOSED,
        closed_on__lt=cutoff,
    )


def _raw(model):
    """The plain queryset of an append-only model: retention is the one writer allowed to empty it."""
    return models.QuerySet(model=model)


def anonymise_cases(case_ids, today, reason):
    """Remove the personal data of these cases (and of households left without a case that needs them), with
    an audit entry naming them, in one transaction. Returns the number of households anonymised.
    """
    with transaction.atomic():
        audit.record(
            None, AuditAction.CHANGE, f"retention: {len(case_ids)} cases anonymised", cases=case_ids, reason=reason
        )
        Case.objects.filter(pk__in=case_ids).update(
            referral_note="",
            corporation_decision_reason="",
            decision_reason="",
            case_worker=None,
            case_director=None,
            anonymised_on=today,
        )
        ActiveApproach.objects.filter(case__in=case_ids).update(result="", recorded_by=None)
        Analysis.objects.filter(case__in=case_ids).update(
            summary_for_corporation="", internal_notes="", recorded_by=None
        )
        ProblemAssessment.objects.filter(analysis__case__in=case_ids).delete()
        Involvement.objects.filter(case__in=case_ids).update(question="")
        _raw(InvolvementNote).filter(involvement__case__in=case_ids).update(text="", written_by=None)
        Consent.objects.filter(case__in=case_ids).update(given_by=ANONYMISED, purpose="")
        PaymentArrangement.objects.filter(case__in=case_ids).update(note="", recorded_by=None)
        Milestone.objects.filter(case__in=case_ids).update(note="", recorded_by=None)
        CurrentRentCheck.objects.filter(case__in=case_ids).update(note="", recorded_by=None)
        _raw(CaseEvent).filter(case__in=case_ids).update(details={})
        Notification.objects.filter(case__in=case_ids).delete()
        still_needed = Case.objects.filter(tenancy=OuterRef("pk"), anonymised_on__isnull=True)
        households = list(
            Tenancy.objects.filter(cases__in=case_ids, anonymised_on__isnull=True)
            .exclude(Exists(still_needed))
            .values_list("pk", flat=True)
            .distinct()
        )
        TenancySnapshot.objects.filter(tenancy__in=households).delete()
        Tenancy.objects.filter(pk__in=households).update(
            tenant_name=ANONYMISED,
            contract_number="",
            street="",
            house_number="",
            house_number_suffix="",
            postcode="",
            town="",
            phone="",
            email="",
            bsn="",
            bsn_hash="",  # update() does not fill the hash as save() does
            birth_date=None,
            monthly_rent=None,
            anonymised_on=today,
        )
    return len(households)


def _anonymise_all(queryset, today, reason):
    """Anonymise every case of ``queryset`` in batches, an audit entry each; returns (cases, households)."""
    cases = households = 0
    while True:
        batch = list(queryset.order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not batch:
            return cases, households
        households += anonymise_cases(batch, today, reason)
        cases += len(batch)


def expired_ledger_households(covenant, today):
    """Households known only from rent ledgers (never a case) whose latest snapshot is older than the
    term for signals that never became a referral: their arrears never reached the covenant's threshold."""
    cutoff = months_before(today, covenant.retention_unreferred_signal_months)
    snapshots = TenancySnapshot.objects.filter(tenancy=OuterRef("pk"))
    return (
        Tenancy.objects.filter(municipality__in=covenant.municipalities.all())
        .filter(Exists(snapshots))
        .exclude(Exists(snapshots.filter(reference_date__gte=cutoff)))
        .exclude(Exists(Case.objects.filter(tenancy=OuterRef("pk"))))
    )


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def ledger_file_terms():
    """Months a corporation's ledger files are kept, by corporation: the longest term for signals of the
    covenants it is a party to; ``None`` for any other corporation: the longest of all covenants."""
    terms = {None: Covenant.objects.aggregate(months=models.Max("retention_unreferred_signal_months"))["months"]}
    for corporation, months in Covenant.parties.through.objects.values_list(
        "organisation", "covenant__retention_unreferred_signal_months"
    ):
        terms[corporation] = max(months, terms.get(corporation, 0))
    return terms


def expired_ledger_files(today):
    """Ledger imports received longer ago than their corporation's term whose original is still kept."""
    terms = ledger_file_terms()
    if terms[None] is None:
        return LedgerImport.objects.none()
    kept = LedgerImport.objects.filter(original_removed_on__isnull=True)
    expired = Q()
    for corporation in kept.values_list("corporation", flat=True).distinct().order_by():
        cutoff = _start_of(months_before(today, terms.get(corporation, terms[None])))
        expired |= Q(corporation=corporation, started_at__lt=cutoff)
    return kept.filter(expired) if expired else LedgerImport.objects.none()


def remove_ledger_file(record, today):
    """Remove the original file and the values its report quotes (a BSN, a name, a contract number).

    The file goes first: should the database then fail, the next run finds the import again and finishes."""
    if record.original:
        default_storage.delete(record.original.name)
    report = dict(record.report or {})
    report["errors"] = [_without_value(error) for error in report.get("errors", [])]
    report["missing"] = [{**missing, "contract_number": ""} for missing in report.get("missing", [])]
    LedgerImport.objects.filter(pk=record.pk).update(original="", report=report, original_removed_on=today)


def _without_value(error):
    """A report's problem with its place kept and the value it quoted (in its value and message) gone."""
    value = error.get("value") or ""
    message = error.get("message", "").replace(f"'{value}'", "'…'") if value else error.get("message", "")
    return {**error, "value": "", "message": message}


def audit_cutoff(now):
    """The moment before which audit entries may go: the longest audit term of any covenant, and never less
    than ``AUDIT_RETENTION_MIN_YEARS`` (a setting of the deployment, which no administrator edits: otherwise one
    administrator could set every covenant's term to 0 and have the next run remove the whole trail)."""
    years = Covenant.objects.aggregate(years=models.Max("retention_audit_years"))["years"]
    if years is None:
        return None
    years = max(years, settings.AUDIT_RETENTION_MIN_YEARS)
    day = months_before(timezone.localtime(now).date(), 12 * years)
    return _start_of(day)


def apply_retention(today=None):
    """Apply every covenant's retention terms; idempotent. Logs and audits what it did."""
    today = today or timezone.localdate()
    result = RetentionResult()
    for covenant in Covenant.objects.all():
        for queryset, attribute in (
            (expired_signals(covenant, today), "signals_anonymised"),
            (expired_cases(covenant, today), "cases_anonymised"),
        ):
            reason = f"retention terms of the covenant {covenant}"
            cases, households = _anonymise_all(queryset, today, reason)
            setattr(result, attribute, getattr(result, attribute) + cases)
            result.households_anonymised += households
        ledger_only = list(expired_ledger_households(covenant, today).values_list("pk", flat=True))
        for start in range(0, len(ledger_only), BATCH):
            with transaction.atomic():
                batch = ledger_only[start : start + BATCH]
                TenancySnapshot.objects.filter(tenancy__in=batch).delete()
                result.ledger_households_removed += (
                    Tenancy.objects.filter(pk__in=batch).delete()[1].get(Tenancy._meta.label, 0)
                )
    for record in expired_ledger_files(today).iterator():
        remove_ledger_file(record, today)
        result.ledger_files_removed += 1
    now = timezone.now()
    if today != timezone.localdate():  # a run for another day (a test, a catch-up): its own moment
        now = timezone.make_aware(datetime.combine(today, time.max))
    cutoff = audit_cutoff(now)
    checkpoint = audit.prune_before(cutoff) if cutoff is not None else None
    if checkpoint is not None:
        result.audit_entries_removed = checkpoint.removed_count
    if result:
        what = (
            f"retention: {result.signals_anonymised} signals and {result.cases_anonymised} cases anonymised, "
            f"{result.households_anonymised} households, {result.ledger_households_removed} ledger-only "
            f"households removed, {result.ledger_files_removed} ledger files removed, "
            f"{result.audit_entries_removed} audit entries removed"
        )
        reason = "retention terms of the covenant"
        if checkpoint is not None:
            reason += (
                f"; audit trail kept from anchor {checkpoint.anchor_hash} (after place {checkpoint.removed_through})"
            )
        audit.record(None, AuditAction.CHANGE, what[:200], reason=reason)  # the cases: in each batch's entry
    if checkpoint is not None:
        seal_trail()  # the trail's head sealed after the pruning, so the newest seal names the checkpoint
    logger.info("retention applied on %s: %s", today.isoformat(), result.as_dict())
    return result
