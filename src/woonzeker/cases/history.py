"""A case event's details as a person reads them: "Achterstand: € 700,00; Kanaal: Brief".

``CaseEvent.details`` is stored as the service wrote it (codes, ids, amounts as text); the access report and
anything else a person reads shows it through ``describe_details``.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from woonzeker.amounts import format_euro
from woonzeker.cases.constants import (
    ApproachChannel,
    CorporationDecision,
    InvolvementStatus,
    MilestoneKind,
    Outcome,
    ProblemArea,
    Resolution,
)
from woonzeker.organisations.models import OrganisationKind


def _choice(choices):
    def shown(value):
        return str(choices(value).label) if value in choices.values else str(value)

    return shown


def _choices(choices):
    label = _choice(choices)
    return lambda values: ", ".join(label(value) for value in values)


def _yes_no(value):
    return _("Yes") if value else _("No")


def _numbers(values):
    return ", ".join(str(value) for value in values)


def household_changes(details):
    """The fields a household correction changed (``cases.services.correct_household``, a ledger's
    ``record_household_changes``), each as (label, from, to), as the case's history and the access report show
    them. The e-mail address is shown nowhere, so its values stay out (none are stored for it)."""
    from woonzeker.organisations.postcodes import display_postcode
    from woonzeker.tenancies.models import Tenancy

    shown = []
    for change in (details or {}).get("changes", []):
        label = str(Tenancy._meta.get_field(change["field"]).verbose_name)
        values = ("", "") if change["field"] == "email" else (change.get("from", ""), change.get("to", ""))
        if change["field"] == "postcode":
            values = tuple(display_postcode(value) for value in values)
        shown.append((label, *values))
    return tuple(shown)


def _changes(changes):
    """ "Telefoon: — → 0612345678, E-mailadres: gewijzigd" """
    return ", ".join(
        f"{capfirst(label)}: {old or '—'} → {new or '—'}"
        if old or new
        else _("%(field)s: changed") % {"field": capfirst(label)}
        for label, old, new in household_changes({"changes": changes})
    )


#: Each key a service writes into ``details``: its label and how its value reads.
DETAILS = {
    "arrears": (gettext_lazy("arrears"), format_euro),
    "resolution": (gettext_lazy("resolution"), _choice(Resolution)),
    "outcome": (gettext_lazy("outcome"), _choice(Outcome)),
    "social_team": (gettext_lazy("social team"), str),
    "case_director": (gettext_lazy("case director"), str),
    "case_worker": (gettext_lazy("case worker"), str),
    "channel": (gettext_lazy("channel"), _choice(ApproachChannel)),
    "reached": (gettext_lazy("tenant reached"), _yes_no),
    "tenant_reached": (gettext_lazy("tenant reached"), _yes_no),
    "problem_areas": (gettext_lazy("problem areas"), _choices(ProblemArea)),
    "decision": (gettext_lazy("decision of the corporation"), _choice(CorporationDecision)),
    "consent": (gettext_lazy("consent number"), str),
    "parties": (gettext_lazy("shared with"), _choices(OrganisationKind)),
    "involvements_ended": (gettext_lazy("involvements ended (numbers)"), _numbers),
    "organisation": (gettext_lazy("organisation"), str),
    "involvement": (gettext_lazy("involvement number"), str),
    "status": (gettext_lazy("status"), _choice(InvolvementStatus)),
    "monthly_amount": (gettext_lazy("amount per month"), format_euro),
    "total_amount": (gettext_lazy("arrears covered"), format_euro),
    "paid": (gettext_lazy("current rent paid"), _yes_no),
    "check": (gettext_lazy("check number"), str),
    "kind": (gettext_lazy("milestone"), _choice(MilestoneKind)),
    "ledger_import": (gettext_lazy("from rent ledger number"), str),
    "changes": (gettext_lazy("changed"), _changes),
}


def describe_details(details):
    """``details`` as one line of labelled values; a key no service writes any more is shown as stored."""
    parts = []
    details = details or {}
    # In the table's order, then anything else by name: the stored order is the database's (jsonb sorts keys).
    keys = [key for key in DETAILS if key in details] + sorted(key for key in details if key not in DETAILS)
    for key, value in ((key, details[key]) for key in keys):
        label, shown = DETAILS.get(key, (key.replace("_", " "), str))
        if value is None or value == "" or value == []:
            continue
        parts.append(f"{capfirst(str(label))}: {shown(value)}")
    return "; ".join(parts)
