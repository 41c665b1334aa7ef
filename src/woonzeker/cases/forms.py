"""One form per move of the workflow; each parses input and calls its service, nothing more."""

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from woonzeker.accounts.models import Role, User
from woonzeker.amounts import AmountField
from woonzeker.cases import services
from woonzeker.cases.constants import (
    INVOLVEMENT_STATUS_CHANGES,
    SIGNAL_WITHDRAWAL_OUTCOMES,
    ApproachChannel,
    CorporationDecision,
    DayPart,
    InvolvementStatus,
    MilestoneKind,
    Outcome,
    ProblemArea,
    Resolution,
    Severity,
    State,
)
from woonzeker.cases.deadlines import DeadlineState
from woonzeker.cases.selectors import SCOPE_ALL, SCOPE_OPEN
from woonzeker.forms import WIDGET_CLASSES, DateInput, StyledForm
from woonzeker.organisations.models import Municipality, Organisation, OrganisationKind
from woonzeker.organisations.postcodes import normalise_postcode
from woonzeker.tenancies.forms import HouseholdForm
from woonzeker.tenancies.services import register_tenancy

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _date(label):
    return forms.DateField(label=label, widget=DateInput(), initial=timezone.localdate)


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, widget=forms.RadioSelect, coerce=lambda value: value == "yes"
    )


def _amount(label):
    return AmountField(label=label)


class MoveForm(StyledForm):
    """A form for one move on one case; ``perform`` calls the service with the cleaned data."""

    # The version of the case the user saw; a save on an older version is refused (services.CaseChanged).
    # Optional, so an API client that does not send it acts on the case as it is.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, case, user, **kwargs):
        self.case = case
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = case.version

    def move_data(self):
        """The cleaned data without the version, as the service takes it."""
        data = dict(self.cleaned_data)
        seen = data.pop("version", None)
        if seen is not None:
            self.case.version = seen
        return data

    def perform(self):
        getattr(services, self.move)(self.user, self.case, **self.move_data())


class RecordApproachForm(MoveForm):
    move = "record_approach"
    channel = forms.ChoiceField(label=_("Channel"), choices=ApproachChannel.choices)
    approached_on = _date(_("Date"))
    day_part = forms.ChoiceField(label=_("Part of day"), choices=[("", "—"), *DayPart.choices], required=False)
    reached = _yes_no(_("Was the tenant reached?"))
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ResolveBeforeReferralForm(MoveForm):
    move = "resolve_before_referral"
    resolution = forms.ChoiceField(label=_("Resolution"), choices=Resolution.choices)
    resolved_on = _date(_("Resolved on"))


class WithdrawSignalForm(MoveForm):
    move = "withdraw_signal"
    outcome = forms.ChoiceField(
        label=_("Reason"), choices=[(o.value, o.label) for o in Outcome if o in SIGNAL_WITHDRAWAL_OUTCOMES]
    )
    closed_on = _date(_("Closed on"))


class ReferForm(MoveForm):
    move = "refer"
    referred_on = _date(_("Referred on"))
    note = forms.CharField(
        label=_("Note for the social team"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SendFeedbackForm(MoveForm):
    move = "send_feedback"
    sent_on = _date(_("Sent on"))


class RecordAnalysisForm(MoveForm):
    move = "record_analysis"
    tenant_reached = _yes_no(_("Was the tenant reached?"))
    summary_for_corporation = forms.CharField(
        label=_("Summary for the corporation"),
        help_text=_("The corporation reads this. Leave out health, addiction and other details it does not need."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    internal_notes = forms.CharField(
        label=_("Internal notes"),
        help_text=_("Only your team sees these."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for area in ProblemArea:
            self.fields[f"problem_{area.value}"] = forms.ChoiceField(
                label=area.label,
                choices=[("", _("Not assessed")), *Severity.choices],
                required=False,
                widget=forms.Select(attrs={"class": WIDGET_CLASSES[forms.Select]}),  # added after StyledForm styled
            )
        self._describe_fields()

    def perform(self):
        data = self.move_data()
        problems = {area.value: data[f"problem_{area.value}"] for area in ProblemArea if data[f"problem_{area.value}"]}
        services.record_analysis(
            self.user,
            self.case,
            tenant_reached=data["tenant_reached"],
            problems=problems,
            summary_for_corporation=data["summary_for_corporation"],
            internal_notes=data["internal_notes"],
        )


class RecordCorporationDecisionForm(MoveForm):
    move = "record_corporation_decision"
    decision = forms.ChoiceField(label=_("Decision"), choices=CorporationDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when declining."),
    )
    reason.required_when = True  # not marked "optional": the service requires it for a refusal

    def clean(self):
        data = super().clean()
        if data.get("decision") == CorporationDecision.DECLINED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for declining."))
        return data


def _team_members(case):
    # Those who work on cases: a functional administrator or privacy officer placed in the team reads none.
    return User.objects.filter(
        organisation_id=case.social_team_id, is_active=True, role__in=(Role.CASE_WORKER, Role.COORDINATOR)
    ).order_by("first_name", "last_name")


class StartCareTrajectoryForm(MoveForm):
    move = "start_care_trajectory"
    started_on = _date(_("Started on"))
    reason = forms.CharField(label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 3}))
    case_director = forms.ModelChoiceField(label=_("Case director"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_director"].queryset = _team_members(self.case)
        self.fields["case_director"].initial = self.user.pk


class DecideNoCareTrajectoryForm(MoveForm):
    move = "decide_no_care_trajectory"
    reason = forms.CharField(label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    closed_on = _date(_("Closed on"))


class CloseCareTrajectoryForm(MoveForm):
    move = "close_care_trajectory"
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    closed_on = _date(_("Closed on"))


class AssignCaseWorkerForm(MoveForm):
    move = "assign_case_worker"
    worker = forms.ModelChoiceField(label=_("Case worker"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = _team_members(self.case)


class RecordConsentForm(MoveForm):
    move = "record_consent"
    given_by = forms.CharField(
        label=_("Consent given by"), max_length=200, help_text=_("The tenant or household member.")
    )
    given_on = _date(_("Given on"))
    social_service = forms.BooleanField(label=_("Share with the social service"), required=False)
    health_service = forms.BooleanField(label=_("Share with the health service"), required=False)
    purpose = forms.CharField(label=_("For what"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["given_by"].initial = self.case.tenancy.tenant_name

    def perform(self):
        data = self.move_data()
        parties = [
            kind for kind in (OrganisationKind.SOCIAL_SERVICE, OrganisationKind.HEALTH_SERVICE) if data.pop(kind)
        ]
        services.record_consent(self.user, self.case, parties=parties, **data)


class WithdrawConsentForm(MoveForm):
    move = "withdraw_consent"
    consent = forms.ModelChoiceField(label=_("Consent"), queryset=None)
    withdrawn_on = _date(_("Withdrawn on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].queryset = self.case.consents.in_force()


class RequestInvolvementForm(MoveForm):
    move = "request_involvement"
    organisation = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Organisation.objects.filter(
            kind__in=[OrganisationKind.SOCIAL_SERVICE, OrganisationKind.HEALTH_SERVICE]
        ),
    )
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


_REACHABLE_INVOLVEMENT_STATUSES = {status for targets in INVOLVEMENT_STATUS_CHANGES.values() for status in targets}


class UpdateInvolvementForm(MoveForm):
    move = "update_involvement"
    status = forms.ChoiceField(
        label=_("New status"),
        # The statuses a service can move its involvement to (``INVOLVEMENT_STATUS_CHANGES``); not the one a
        # withdrawn consent sets, nor the one it starts in.
        choices=[("", _("Unchanged"))]
        + [choice for choice in InvolvementStatus.choices if choice[0] in _REACHABLE_INVOLVEMENT_STATUSES],
        required=False,
    )
    progress = forms.CharField(
        label=_("New progress note"),
        help_text=_("Added to the earlier notes, with your name and the time; the team reads them all."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def perform(self):
        involvement = self.case.involvements.filter(organisation_id=self.user.organisation_id).order_by("-pk").first()
        if involvement is None:
            raise forms.ValidationError(_("Your organisation was not brought into this case."))
        data = self.move_data()
        involvement.case = self.case  # the case as the user saw it, version included
        services.update_involvement(self.user, involvement, **data)


class RecordPaymentArrangementForm(MoveForm):
    move = "record_payment_arrangement"
    agreed_on = _date(_("Agreed on"))
    monthly_amount = _amount(_("Amount per month (€)"))
    total_amount = _amount(_("Arrears covered (€)"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RecordCurrentRentCheckForm(MoveForm):
    move = "record_current_rent_check"
    checked_on = _date(_("Checked on"))
    paid = _yes_no(_("Was the current rent paid?"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RecordMilestoneForm(MoveForm):
    move = "record_milestone"
    kind = forms.ChoiceField(label=_("Milestone"), choices=MilestoneKind.choices)
    occurred_on = _date(_("Date"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CorrectHouseholdForm(MoveForm):
    """The household's address and contact details as they are, to correct. The e-mail address is stored but
    shown nowhere, so it is not filled in: given, it replaces the stored one; empty, it keeps it."""

    move = "correct_household"
    street = forms.CharField(label=_("Street"), max_length=200)
    house_number = forms.CharField(label=_("House number"), max_length=10)
    house_number_suffix = forms.CharField(label=_("Suffix"), max_length=10, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, help_text=_("For example 3311 GR."))
    town = forms.CharField(label=_("Town"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("New e-mail address"),
        required=False,
        help_text=_("The stored address is not shown. Leave this empty to keep it."),
    )
    remove_email = forms.BooleanField(label=_("Remove the stored e-mail address"), required=False)

    #: Shown as they are: every field but the e-mail address.
    SHOWN = ("street", "house_number", "house_number_suffix", "postcode", "town", "phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tenancy = self.case.tenancy
        if not self.is_bound:
            for name in self.SHOWN:
                self.fields[name].initial = getattr(tenancy, name)
        else:
            # A field not sent at all (an API client correcting only the phone) stays as it is.
            self.data = self.data.copy()
            for name in self.SHOWN:
                if self.add_prefix(name) not in self.data:
                    self.data[self.add_prefix(name)] = getattr(tenancy, name)

    def clean_postcode(self):
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["postcode"]) from None

    def clean(self):
        data = super().clean()
        if data.get("remove_email") and data.get("email"):
            self.add_error("email", _("Give a new e-mail address or remove the stored one, not both."))
        return data

    def perform(self):
        data = self.move_data()
        email, remove_email = data.pop("email"), data.pop("remove_email")
        if remove_email:
            data["email"] = ""
        elif email:
            data["email"] = email
        services.correct_household(self.user, self.case, **data)


MOVE_FORMS = {
    form.move: form
    for form in [
        RecordApproachForm,
        ResolveBeforeReferralForm,
        WithdrawSignalForm,
        ReferForm,
        SendFeedbackForm,
        RecordAnalysisForm,
        RecordCorporationDecisionForm,
        StartCareTrajectoryForm,
        DecideNoCareTrajectoryForm,
        CloseCareTrajectoryForm,
        AssignCaseWorkerForm,
        RecordConsentForm,
        WithdrawConsentForm,
        RequestInvolvementForm,
        UpdateInvolvementForm,
        RecordPaymentArrangementForm,
        RecordCurrentRentCheckForm,
        RecordMilestoneForm,
        CorrectHouseholdForm,
    ]
}


class NewSignalForm(HouseholdForm):
    """A corporation records arrears by hand (the ledger import does the same in bulk)."""

    contract_number = forms.CharField(label=_("Contract number"), max_length=50)
    monthly_rent = _amount(_("Monthly rent (€)"))
    arrears = _amount(_("Arrears (€)"))
    established_on = _date(_("Arrears established on"))
    field_order = ["contract_number", *HouseholdForm.base_fields, "monthly_rent", "arrears", "established_on"]

    @transaction.atomic(savepoint=False)  # a refusal rolls back its caller's whole transaction; none goes on after one
    def perform(self, user):
        """Register (or update) the tenancy and establish its signal; all or nothing."""
        data = self.cleaned_data
        tenancy = register_tenancy(
            corporation=user.organisation,
            contract_number=data["contract_number"],
            **self.household(),
            monthly_rent=data["monthly_rent"],
        )
        return services.establish_signal(user, tenancy, established_on=data["established_on"], arrears=data["arrears"])


class ReferResidentForm(HouseholdForm):
    """Veilig Thuis refers a resident with rent arrears to the social team of their address."""

    corporation = forms.ModelChoiceField(
        label=_("Landlord (housing corporation)"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.HOUSING_CORPORATION),
        required=False,
        help_text=_("If known."),
    )
    referred_on = _date(_("Referred on"))
    note = forms.CharField(
        label=_("Note for the social team"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    @transaction.atomic(savepoint=False)
    def perform(self, user):
        """Register the household and refer it to the team of its address; all or nothing."""
        data = self.cleaned_data
        tenancy = register_tenancy(corporation=data["corporation"], **self.household())
        return services.refer_from_safe_home(user, tenancy, referred_on=data["referred_on"], note=data["note"])


class QueueFilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name, address, postcode or contract number"))
    scope = forms.ChoiceField(
        label=_("Cases"),
        required=False,
        choices=[(SCOPE_OPEN, _("Open cases only")), (SCOPE_ALL, _("All cases"))],
        help_text=_("All cases: resolved and closed ones too."),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    deadline = forms.ChoiceField(label=_("Deadline"), required=False)
    team = forms.ModelChoiceField(label=_("Social team"), required=False, queryset=Organisation.objects.none())
    municipality = forms.ModelChoiceField(label=_("Municipality"), required=False, queryset=Municipality.objects.all())
    case_worker = forms.ModelChoiceField(label=_("Case worker"), required=False, queryset=User.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Every state, the ended ones too: a chosen state is shown whichever the scope (``work_queue``).
        self.fields["state"].choices = [("", _("Any state"))] + list(State.choices)
        self.fields["deadline"].choices = [("", _("All"))] + [
            (d.value, d.label) for d in (DeadlineState.OVERDUE, DeadlineState.DUE_SOON, DeadlineState.ON_TIME)
        ]
        self.fields["team"].queryset = Organisation.objects.filter(kind=OrganisationKind.SOCIAL_TEAM)
        self.fields["case_worker"].queryset = User.objects.filter(
            organisation_id=user.organisation_id, is_active=True
        ).order_by("first_name")
