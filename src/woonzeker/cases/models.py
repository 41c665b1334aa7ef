"""A case follows one household of one corporation through the covenant's process.

States change only through the functions of ``woonzeker.cases.services`` (see
``workflow.py`` for the table of moves); every change writes a ``CaseEvent``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from woonzeker.append_only import AppendOnlyModel
from woonzeker.cases.constants import (
    ApproachChannel,
    CorporationDecision,
    DayPart,
    InvolvementStatus,
    MilestoneKind,
    Outcome,
    ProblemArea,
    ReferralSource,
    Resolution,
    Severity,
    State,
)
from woonzeker.formatting import long_date

USER = settings.AUTH_USER_MODEL
ORGANISATION = "organisations.Organisation"


#: The columns a work queue's order and counts read besides its party and state (``cases.selectors``).
QUEUE_COLUMNS = ["referral_due_on", "feedback_due_on", "covenant", "id"]


class Case(models.Model):
    State = State

    covenant = models.ForeignKey("covenants.Covenant", verbose_name=_("covenant"), on_delete=models.PROTECT)
    tenancy = models.ForeignKey(
        "tenancies.Tenancy", verbose_name=_("tenancy"), on_delete=models.PROTECT, related_name="cases"
    )
    # Copied from the tenancy when the case starts: who owns the case and
    # where it counts in monitoring, without joining through personal data.
    corporation = models.ForeignKey(
        ORGANISATION,
        verbose_name=_("housing corporation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corporation_cases",
    )
    municipality = models.ForeignKey(
        "organisations.Municipality", verbose_name=_("municipality"), on_delete=models.PROTECT
    )
    social_team = models.ForeignKey(
        ORGANISATION,
        verbose_name=_("social team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_cases",
    )
    source = models.CharField(_("referred by kind"), max_length=40, choices=ReferralSource.choices)
    referred_by = models.ForeignKey(
        ORGANISATION,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_cases",
    )
    state = models.CharField(_("state"), max_length=40, choices=State.choices, default=State.SIGNAL)

    # Step 1: arrears established (empty for a Veilig Thuis referral).
    established_on = models.DateField(_("arrears established on"), null=True, blank=True)
    arrears_amount = models.DecimalField(_("arrears"), max_digits=10, decimal_places=2, null=True, blank=True)
    monthly_rent = models.DecimalField(_("monthly rent"), max_digits=8, decimal_places=2, null=True, blank=True)
    referral_due_on = models.DateField(_("referral due on"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=40, choices=Resolution.choices, blank=True)

    # Step 3: referral to the social team.
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    referral_note = models.TextField(_("referral note"), blank=True)
    feedback_due_on = models.DateField(_("feedback due on"), null=True, blank=True)
    case_worker = models.ForeignKey(
        USER, verbose_name=_("case worker"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Step 4: analysis fed back.
    feedback_sent_on = models.DateField(_("feedback sent on"), null=True, blank=True)

    # Step 5: decision and care trajectory.
    corporation_decision = models.CharField(
        _("corporation's decision"), max_length=20, choices=CorporationDecision.choices, blank=True
    )
    corporation_decision_reason = models.TextField(_("corporation's reason"), blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    trajectory_started_on = models.DateField(_("care trajectory started on"), null=True, blank=True)
    case_director = models.ForeignKey(
        USER, verbose_name=_("case director"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=40, choices=Outcome.choices, blank=True)

    ledger_import = models.ForeignKey(
        "ledgers.LedgerImport",
        verbose_name=_("established by ledger import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="established_cases",
    )

    # Set when the retention terms removed the personal data (``privacy.retention``); the rest still counts.
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True)

    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["state", "referral_due_on"]),
            models.Index(fields=["state", "feedback_due_on"]),
            # A party's work queue is ordered on these columns alone (``selectors.queue_page``): holding them,
            # the index answers the order without reading the table (PostgreSQL; SQLite keeps the keys only).
            # A corporation sees a case another party referred only once it was fed back
            # (``authorization.visible_cases``): the two columns that say so are in its index too.
            models.Index(
                fields=["corporation", "state"],
                include=[*QUEUE_COLUMNS, "source", "feedback_sent_on"],
                name="case_corporation_visible_queue",
            ),
            # A team member's own cases come first in the team's queue (``selectors.work_queue``): the
            # assignee and the director are in the index too, or that order would read every open case's row.
            models.Index(
                fields=["social_team", "state"],
                include=[*QUEUE_COLUMNS, "case_worker", "case_director"],
                name="case_team_own_queue",
            ),
            models.Index(fields=["municipality", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="signal") | models.Q(established_on__isnull=False),
                name="case_signal_has_establishment_date",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["signal", "resolved_before_referral"])
                | models.Q(referred_on__isnull=False, social_team__isnull=False)
                | models.Q(state="closed", referred_on__isnull=True),
                name="case_referred_has_team_and_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="closed") | ~models.Q(outcome=""),
                name="case_closed_has_outcome",
            ),
        ]

    def __str__(self):
        return f"{_('Case')} {self.pk}"


class ActiveApproach(models.Model):
    """Covenant step 2: the corporation actively approaches the tenant first."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approaches")
    channel = models.CharField(_("channel"), max_length=40, choices=ApproachChannel.choices)
    approached_on = models.DateField(_("date"))
    day_part = models.CharField(_("part of day"), max_length=20, choices=DayPart.choices, blank=True)
    reached = models.BooleanField(_("tenant reached"))
    result = models.TextField(_("result"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(ORGANISATION, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["approached_on", "pk"]
        verbose_name = _("active approach")
        verbose_name_plural = _("active approaches")


class Analysis(models.Model):
    """Covenant step 4: the social team maps the problems and feeds back to the corporation.

    ``summary_for_corporation`` is what the corporation reads; ``internal_notes``
    never leave the team.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="analysis")
    tenant_reached = models.BooleanField(_("tenant reached"), null=True)
    summary_for_corporation = models.TextField(_("summary for the corporation"), blank=True)
    internal_notes = models.TextField(_("internal notes (team only)"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")


class ProblemAssessment(models.Model):
    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="problems")
    area = models.CharField(_("problem area"), max_length=40, choices=ProblemArea.choices)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)

    class Meta:
        ordering = ["area"]
        constraints = [models.UniqueConstraint(fields=["analysis", "area"], name="problem_area_once_per_analysis")]


class Involvement(models.Model):
    """The social service or health service, brought in by the case director."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    organisation = models.ForeignKey(ORGANISATION, on_delete=models.PROTECT, related_name="involvements")
    status = models.CharField(
        _("status"), max_length=20, choices=InvolvementStatus.choices, default=InvolvementStatus.REQUESTED
    )
    question = models.TextField(_("question"), blank=True)
    requested_on = models.DateField(_("requested on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)

    class Meta:
        ordering = ["requested_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=models.Q(status__in=["requested", "accepted"]),
                name="one_running_involvement_per_organisation",
            )
        ]


class InvolvementNote(AppendOnlyModel):
    """One dated progress note of a service on its involvement: who, for which organisation, when, what.

    Append-only: a new note is added, the earlier ones stay, so the team reads the whole conversation."""

    involvement = models.ForeignKey(Involvement, on_delete=models.CASCADE, related_name="notes")
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    written_by = models.ForeignKey(
        USER, verbose_name=_("written by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        ORGANISATION, verbose_name=_("organisation"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["written_at", "pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")


class ConsentQuerySet(models.QuerySet):
    def in_force(self, kind=None):
        """Consents not withdrawn; with ``kind``, those covering organisations of that kind (none for another kind).

        The rule the services' access rests on (``authorization.visible_cases``)."""
        consents = self.filter(withdrawn_on__isnull=True)
        if kind is None:
            return consents
        field_name = Consent.FIELD_FOR_KIND.get(kind)
        return consents.filter(**{field_name: True}) if field_name else consents.none()


class Consent(models.Model):
    """The household's consent to share the case with the social service and/or the health service.

    Recorded by the social team: who consented and when, for which parties and what for. The services
    see a case only while a consent covering them is in force (``authorization.visible_cases``);
    a withdrawal is recorded on the same row (who, when), which ends their access.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("given by"), max_length=200, help_text=_("The tenant or household member."))
    given_on = models.DateField(_("given on"))
    social_service = models.BooleanField(_("social service"), default=False)
    health_service = models.BooleanField(_("health service"), default=False)
    purpose = models.TextField(_("purpose"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawal recorded at"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    #: The field that says whether a consent covers an organisation of this kind.
    FIELD_FOR_KIND = {"social_service": "social_service", "health_service": "health_service"}

    class Meta:
        ordering = ["given_on", "pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(social_service=True) | models.Q(health_service=True),
                name="consent_covers_a_party",
            )
        ]

    def __str__(self):
        return f"{self.given_by}, {long_date(self.given_on)}: {self.parties_display}"

    @property
    def in_force(self):
        return self.withdrawn_on is None

    @property
    def parties_display(self):
        parties = []
        if self.social_service:
            parties.append(str(_("social service")))
        if self.health_service:
            parties.append(str(_("health service")))
        return ", ".join(parties)

    def covers(self, kind):
        field_name = self.FIELD_FOR_KIND.get(kind)
        return bool(field_name and getattr(self, field_name))


class PaymentArrangement(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payment_arrangements")
    agreed_on = models.DateField(_("agreed on"))
    monthly_amount = models.DecimalField(_("amount per month"), max_digits=8, decimal_places=2)
    total_amount = models.DecimalField(_("arrears covered"), max_digits=10, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["agreed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_amount__gt=0, total_amount__gt=0), name="arrangement_amounts_positive"
            )
        ]


class Milestone(models.Model):
    """A step of the corporation's own collection and eviction procedure."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=40, choices=MilestoneKind.choices)
    occurred_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["occurred_on", "pk"]


class CurrentRentCheck(models.Model):
    """Whether the current rent was paid in a period of the care trajectory."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="current_rent_checks")
    checked_on = models.DateField(_("checked on"))
    paid = models.BooleanField(_("current rent paid"))
    previous_arrears = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    arrears = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["checked_on", "pk"]


class CaseEvent(AppendOnlyModel):
    """One entry in a case's history: who, for which organisation, when, what. Append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(ORGANISATION, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=60)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    @property
    def action_label(self):
        from woonzeker.cases.workflow import MOVES

        move = MOVES.get(self.action)
        return move.label if move else self.action

    @property
    def to_state_label(self):
        return State(self.to_state).label if self.to_state in State.values else self.to_state
