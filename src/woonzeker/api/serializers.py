from datetime import date
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from woonzeker.accounts.disclosure import list_row_for, may_read, readable_deadlines, shown_bsn
from woonzeker.cases.constants import OPEN_STATES, CorporationDecision, Outcome, ReferralSource, Resolution
from woonzeker.cases.deadlines import deadlines_of
from woonzeker.cases.models import Case
from woonzeker.cases.selectors import NEXT_STEP_NAMES, next_steps
from woonzeker.covenants.models import Covenant
from woonzeker.tenancies.models import format_address


@extend_schema_field(OpenApiTypes.STR)
class RelatedCode(serializers.Field):
    """The code of a related organisation or municipality (None when there is none)."""

    def __init__(self, slug, **kwargs):
        self.slug = slug
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, case):
        related = getattr(case, self.field_name)
        return getattr(related, self.slug) if related is not None else None

    def to_representation(self, value):
        return value


# Built by ``next_step_answer`` from ``cases.selectors.next_steps``, the work queue's own function.
class NextStepSerializer(serializers.Serializer):
    """What is due next on an open case, by whom and by when, as the work queue shows it to the caller's
    organisation: derived only from what the caller may read (no date it may not read)."""

    name = serializers.ChoiceField(choices=NEXT_STEP_NAMES)
    label = serializers.CharField(help_text="The step in words, in the answer's language.")
    by = serializers.CharField(help_text="The organisation that owes it, by name.")
    due_on = serializers.DateField(
        allow_null=True, help_text="Null when the covenant sets no term for it, or the caller does not read it."
    )


class CaseSerializer(serializers.ModelSerializer):
    corporation = RelatedCode("code", allow_null=True, help_text="Short reference used in imports.")
    social_team = RelatedCode("code", allow_null=True, help_text="Short reference used in imports.")
    municipality = RelatedCode("cbs_code")
    contract_number = serializers.CharField(source="tenancy.contract_number", read_only=True)
    tenant_name = serializers.CharField(source="tenancy.tenant_name", read_only=True)
    address = serializers.CharField(source="tenancy.address", read_only=True)
    # Empty when the reader may not read who referred the case (docs/authorization.md).
    source = serializers.ChoiceField(choices=ReferralSource.choices, allow_blank=True, read_only=True)
    # Empty until the case gets there; spelled out so the schema allows "".
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)
    resolution = serializers.ChoiceField(choices=Resolution.choices, allow_blank=True, read_only=True)
    corporation_decision = serializers.ChoiceField(
        choices=CorporationDecision.choices, allow_blank=True, read_only=True
    )
    next_step = serializers.SerializerMethodField(help_text="Null once the case has ended.")

    class Meta:
        model = Case
        fields = [
            "id",
            "version",
            "state",
            "source",
            "corporation",
            "social_team",
            "municipality",
            "contract_number",
            "tenant_name",
            "address",
            "established_on",
            "arrears_amount",
            "referral_due_on",
            "referred_on",
            "feedback_due_on",
            "feedback_sent_on",
            "corporation_decision",
            "trajectory_started_on",
            "closed_on",
            "outcome",
            "resolution",
            "next_step",
        ]
        read_only_fields = fields

    @extend_schema_field(NextStepSerializer(allow_null=True))
    def get_next_step(self, case):
        request = self.context.get("request")
        if request is None:
            return None
        today = self.context.get("today") or timezone.localdate()
        return next_step_answer(next_steps(request.user, [case], today).get(case.pk))

    def to_representation(self, case):
        """The case as the caller may read it: what the disclosure table withholds is emptied."""
        data = super().to_representation(case)
        request = self.context.get("request")
        return list_row_for(request.user, data) if request is not None else data


#: The list's columns: the response's key and where ``values()`` reads it; the address follows from five.
LIST_VALUES = {
    "id": "id",
    "version": "version",
    "state": "state",
    "source": "source",
    "corporation": "corporation__code",
    "social_team": "social_team__code",
    "municipality": "municipality__cbs_code",
    "contract_number": "tenancy__contract_number",
    "tenant_name": "tenancy__tenant_name",
    "established_on": "established_on",
    "arrears_amount": "arrears_amount",
    "referral_due_on": "referral_due_on",
    "referred_on": "referred_on",
    "feedback_due_on": "feedback_due_on",
    "feedback_sent_on": "feedback_sent_on",
    "corporation_decision": "corporation_decision",
    "trajectory_started_on": "trajectory_started_on",
    "closed_on": "closed_on",
    "outcome": "outcome",
    "resolution": "resolution",
}
ADDRESS_VALUES = (
    "tenancy__street",
    "tenancy__house_number",
    "tenancy__house_number_suffix",
    "tenancy__postcode",
    "tenancy__town",
)


def case_list_values(cases):
    """The queryset of the list: just the columns ``case_list_row`` needs, as plain rows."""
    return cases.values(*LIST_VALUES.values(), *ADDRESS_VALUES, *NEXT_STEP_VALUES)


def case_list_row(row, user, next_step=None):
    """One case of the list as ``user`` may read it (``disclosure.list_row_for``), as ``CaseSerializer`` gives
    it (``tests/api`` holds the two equal), built from a plain row: fifty models and a thousand field objects
    per page cost more than the query itself. ``next_step`` is the case's ``selectors.next_steps`` for ``user``
    (None once it has ended)."""
    result = {key: _json_value(row[column]) for key, column in LIST_VALUES.items()}
    result["address"] = format_address(*(row[column] for column in ADDRESS_VALUES))
    result["next_step"] = next_step_answer(next_step)
    return list_row_for(user, {key: result[key] for key in CaseSerializer.Meta.fields})


#: The covenant's terms ``selectors.next_steps`` reads (through ``cases.deadlines``) for a trajectory.
NEXT_STEP_TERMS = ("current_rent_check_interval_days", "arrangement_review_interval_days")
#: What ``selectors.next_steps`` reads of a case beyond the list's own columns, read by the list's one query.
NEXT_STEP_VALUES = (
    "corporation_id",
    "corporation__name",
    "social_team__name",
    "covenant_id",
    *(f"covenant__{term}" for term in NEXT_STEP_TERMS),
)
_LISTED_CASE_COLUMNS = (
    "state",
    "referral_due_on",
    "feedback_due_on",
    "feedback_sent_on",
    "corporation_decision",
    "trajectory_started_on",
    "corporation_id",
)


class _ListedCase:
    """A case of a list page as ``selectors.next_steps`` reads it, from the page's plain row: the names it reads
    of the ``Case`` model, the parties by name, and the covenant as a row of its terms (any other field of it
    would be read from the database when asked for, as with ``QuerySet.only``)."""

    def __init__(self, row):
        self.pk = row["id"]
        for name in _LISTED_CASE_COLUMNS:
            setattr(self, name, row[name])
        self.corporation = row["corporation__name"]
        self.social_team = row["social_team__name"]
        terms = [row[f"covenant__{term}"] for term in NEXT_STEP_TERMS]
        self.covenant = Covenant.from_db(DEFAULT_DB_ALIAS, ["id", *NEXT_STEP_TERMS], [row["covenant_id"], *terms])


def list_next_steps(user, rows, today):
    """The next step of each open case among ``rows`` (a page of ``case_list_values``) as ``user`` may read it,
    by case id: the work queue's own ``selectors.next_steps``, over the page's plain rows (``_ListedCase``)."""
    return next_steps(user, [_ListedCase(row) for row in rows if row["state"] in OPEN_STATES], today)


def next_step_answer(step):
    """A ``selectors.NextStep`` as ``NextStepSerializer`` describes it (None: no next step)."""
    if step is None:
        return None
    return {"name": step.name, "label": str(step.label), "by": step.by, "due_on": _json_value(step.due_on)}


def _json_value(value):
    """A value as DRF renders it: dates in ISO form, amounts as text with two decimals."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def case_detail(case, user, today):
    """One case in full, as ``CaseDetailSerializer`` describes it (``tests/api`` holds the two equal), built
    directly from the case and its related objects (``select_related``) without a field object per value."""
    row = {}
    for column in (*LIST_VALUES.values(), *ADDRESS_VALUES):
        value = case
        for name in column.split("__"):
            value = getattr(value, name) if value is not None else None
        row[column] = value
    result = case_list_row(row, user, next_steps(user, [case], today).get(case.pk))
    result["bsn"] = shown_bsn(user, case)
    result["deadlines"] = _deadlines(user, case, today)
    result["feedback"] = _feedback(user, case)
    return result


def _deadlines(user, case, today):
    return [
        {
            "name": deadline.name,
            "owed_by": str(deadline.owed_by) if deadline.owed_by else None,
            "due_on": _json_value(deadline.due_on),
            "done_on": _json_value(deadline.done_on),
            "state": deadline.state,
        }
        for deadline in readable_deadlines(user, deadlines_of(case, today))
    ]


def _feedback(user, case):
    analysis = getattr(case, "analysis", None)
    if analysis is None or not may_read(user, "feedback", case):
        return None
    return {"tenant_reached": analysis.tenant_reached, "summary_for_corporation": analysis.summary_for_corporation}


class DeadlineSerializer(serializers.Serializer):
    name = serializers.CharField()
    owed_by = serializers.CharField(allow_null=True)
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    state = serializers.CharField()


class FeedbackSerializer(serializers.Serializer):
    tenant_reached = serializers.BooleanField(allow_null=True)
    summary_for_corporation = serializers.CharField()


class CaseDetailSerializer(CaseSerializer):
    bsn = serializers.SerializerMethodField(
        help_text="The tenant's citizen service number, masked (`*****6789`) unless the caller may read it "
        "in full (the social service brought into the case); empty when not known."
    )
    deadlines = serializers.SerializerMethodField()
    feedback = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "bsn", "deadlines", "feedback"]
        read_only_fields = fields

    def get_bsn(self, case) -> str:
        return shown_bsn(self.context["request"].user, case)

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, case):
        return _deadlines(self.context["request"].user, case, self.context["today"])

    @extend_schema_field(FeedbackSerializer(allow_null=True))
    def get_feedback(self, case):
        return _feedback(self.context["request"].user, case)


class LedgerUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class LedgerImportSerializer(serializers.Serializer):
    """An import: queued or running (its progress), or finished (imported or refused, with its report)."""

    id = serializers.IntegerField()
    corporation = serializers.CharField()
    filename = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["queued", "running", "imported", "refused"],
        help_text="queued and running: poll this import's URL; imported or refused: the report is complete.",
    )
    stage = serializers.ChoiceField(
        choices=["waiting", "reading", "applying", "done"], help_text="Where a queued import is."
    )
    rows_applied = serializers.IntegerField(help_text="Rows applied so far (rows_read: rows read and checked).")
    progress_at = serializers.DateTimeField(allow_null=True, help_text="When the import last told its progress.")
    reference_date = serializers.DateField(allow_null=True)
    sha256 = serializers.CharField()
    original_removed_on = serializers.DateField(
        allow_null=True, help_text="The day retention removed the original file and the values its errors quoted."
    )
    rows_read = serializers.IntegerField()
    signals_opened = serializers.IntegerField()
    signals_resolved = serializers.IntegerField()
    current_rent_breaches = serializers.IntegerField()
    tenancies_missing = serializers.IntegerField()
    unknown_columns = serializers.ListField(
        child=serializers.CharField(), help_text="The first 20 columns the file had that were ignored."
    )
    unknown_columns_omitted = serializers.IntegerField(help_text="How many more unknown columns the file had.")
    errors = serializers.ListField(child=serializers.DictField())
