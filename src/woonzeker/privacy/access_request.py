"""A data-subject access request (GDPR art. 15): everything stored about one household, readable.

``subject_access`` gathers it in sections of records; the page renders them for
print, the JSON download carries the same data. Every record lists every stored
field by its label, so nothing is left out by a template forgetting a field.
"""

import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from woonzeker.amounts import format_euro
from woonzeker.audit.models import AuditEntry
from woonzeker.cases.constants import State
from woonzeker.cases.history import describe_details
from woonzeker.cases.models import Analysis, Case, CaseEvent, InvolvementNote, ProblemAssessment
from woonzeker.notifications.models import Notification
from woonzeker.privacy.audit_search import about_cases

#: A stored value the JSON download carries and the page leaves out (it means nothing to a person).
OMITTED = object()
SKIPPED = {"version", "hash", "previous_hash", "case_ids_text", "position"}
#: Labels for fields whose model gives none of its own.
FIELD_LABELS = {
    "id": gettext_lazy("number"),
    "actor": gettext_lazy("by"),
    "from_state": gettext_lazy("from state"),
    "to_state": gettext_lazy("to state"),
    "details": gettext_lazy("details"),
    "key": gettext_lazy("key"),
    "user": gettext_lazy("user"),
    "organisation": gettext_lazy("organisation"),
    "recorded_by": gettext_lazy("recorded by"),
    "withdrawn_by": gettext_lazy("withdrawn by"),
    "previous_arrears": gettext_lazy("previous arrears"),
    "arrears": gettext_lazy("arrears"),
    "analysis": gettext_lazy("analysis"),
    "involvement": gettext_lazy("involvement"),
    "ledger_import": gettext_lazy("ledger import"),
    "updated_at": gettext_lazy("updated at"),
}


@dataclass
class Record:
    title: str
    items: list  # (name, label, value): the stored values, as the JSON download carries them
    shown: list = field(default_factory=list)  # (label, text): the same as a person reads them on the page

    def as_dict(self):
        return {name: value for name, _label, value in self.items}


@dataclass
class Section:
    key: str
    title: str
    records: list = field(default_factory=list)

    def as_list(self):
        return [record.as_dict() for record in self.records]


def _value(obj, model_field):
    if model_field.choices:
        return getattr(obj, f"get_{model_field.name}_display")() or ""
    if model_field.is_relation:
        related = getattr(obj, model_field.name)
        return _named(related) if related is not None else None
    return getattr(obj, model_field.attname)


def _named(obj):
    """A related record by its own name, or, where it has none, by its kind and number ("analyse 3")."""
    text = str(obj)
    if text == f"{type(obj).__name__} object ({obj.pk})":
        return f"{obj._meta.verbose_name} {obj.pk}"
    return text


def _shown(obj, model_field, value):
    """How a stored value reads on the page: amounts in euros, codes by their labels, details in words."""
    if value is None or isinstance(value, bool):
        return value
    name = model_field.name
    if isinstance(obj, CaseEvent):
        if name == "action":
            return str(obj.action_label)
        if name in ("from_state", "to_state"):
            return str(State(value).label) if value in State.values else value
        if name == "details":
            return describe_details(value)
    if isinstance(obj, AuditEntry):
        if name == "what":
            return obj.what_shown
        if name == "role":
            return obj.role_shown
    if isinstance(obj, Notification) and name == "key":
        return OMITTED  # the code that keeps a notification from being sent twice: its kind and message say it
    if isinstance(model_field, models.DecimalField) and model_field.decimal_places == 2:
        return format_euro(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    return value


def _label(model_field):
    """The field's own label, or ours where the model only derived one from the field's name."""
    if model_field.primary_key:
        return FIELD_LABELS["id"]
    derived = model_field.name.replace("_", " ")
    if str(model_field.verbose_name) == derived and model_field.name in FIELD_LABELS:
        return FIELD_LABELS[model_field.name]
    return model_field.verbose_name


def _record(obj, title=""):
    fields = [
        f for f in obj._meta.concrete_fields if f.name not in SKIPPED and not (f.is_relation and f.name == "case")
    ]
    items = [(f.name, str(_label(f)), _value(obj, f)) for f in fields]
    shown = [(label, _shown(obj, f, value)) for f, (_name, label, value) in zip(fields, items, strict=True)]
    shown = [(label, text) for label, text in shown if text is not OMITTED]
    return Record(title or f"{obj._meta.verbose_name} {obj.pk}", items, shown)


def _case_sections(case):
    """The records of one case: the case itself and everything hanging from it."""
    sections = [Section("case", _("Case %(pk)s") % {"pk": case.pk}, [_record(case)])]
    parts = [
        ("approaches", _("Active approaches"), case.approaches.all()),
        ("analysis", _("Analysis"), Analysis.objects.filter(case=case)),
        ("problems", _("Problem areas"), ProblemAssessment.objects.filter(analysis__case=case)),
        ("involvements", _("Involvements"), case.involvements.select_related("organisation")),
        (
            "involvement_notes",
            _("Progress notes"),
            InvolvementNote.objects.filter(involvement__case=case).select_related("written_by", "organisation"),
        ),
        ("consents", _("Consent to share"), case.consents.all()),
        ("payment_arrangements", _("Payment arrangements"), case.payment_arrangements.all()),
        ("current_rent_checks", _("Current rent"), case.current_rent_checks.all()),
        ("milestones", _("Eviction milestones"), case.milestones.all()),
        ("events", _("History"), case.events.select_related("actor", "organisation")),
    ]
    for key, title, rows in parts:
        sections.append(Section(key, title, [_record(row) for row in rows]))
    return sections


def subject_access(tenancy):
    """Everything stored about ``tenancy``'s household, as sections of records."""
    cases = list(
        Case.objects.filter(tenancy=tenancy)
        .select_related("covenant", "corporation", "municipality", "social_team", "referred_by")
        .order_by("pk")
    )
    case_ids = [case.pk for case in cases]
    # A notification about the household is about one of its cases (its message names the case by number only).
    # Not by the household's name in a message: the only messages naming people (unusual access, a lockout)
    # name staff, and a tenant who shares a case worker's surname would be handed that notice.
    notifications = Notification.objects.filter(case__in=case_ids).select_related("user").order_by("created_at", "pk")
    audit_entries = about_cases(AuditEntry.objects.all(), case_ids).order_by("pk")
    return {
        "household": Section("household", _("Household"), [_record(tenancy)]),
        "snapshots": Section(
            "rent_ledger_snapshots",
            _("Rent ledger snapshots"),
            [_record(s) for s in tenancy.snapshots.select_related("ledger_import").order_by("reference_date")],
        ),
        "cases": [_case_sections(case) for case in cases],
        "notifications": Section("notifications", _("Notifications"), [_record(n) for n in notifications]),
        "audit": Section("audit_entries", _("Audit trail about these cases"), [_record(e) for e in audit_entries]),
        "case_ids": case_ids,
    }


def as_json(data, *, tenancy, reason, requested_by):
    document = {
        "generated_at": timezone.now(),
        "requested_by": str(requested_by),
        "reason": reason,
        "household": data["household"].as_list(),
        "rent_ledger_snapshots": data["snapshots"].as_list(),
        "cases": [{section.key: section.as_list() for section in case} for case in data["cases"]],
        "notifications": data["notifications"].as_list(),
        "audit_entries": data["audit"].as_list(),
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
