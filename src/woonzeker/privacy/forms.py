from django import forms
from django.utils.translation import gettext_lazy as _

from woonzeker.audit.models import AuditResult
from woonzeker.forms import DateInput, StyledForm


class AuditSearchForm(StyledForm):
    persoon = forms.CharField(
        label=_("Person"), required=False, help_text=_("Part of the name, or the whole BSN or contract number.")
    )
    gebruiker = forms.CharField(label=_("User"), required=False, help_text=_("User name, or part of it."))
    van = forms.DateField(label=_("From"), required=False, widget=DateInput())
    tot = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    resultaat = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", _("Any result")), *AuditResult.choices],
        help_text=_("For example only what was refused: reads of a case file, moves, exports, sign-ins."),
    )

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["van"] > data["tot"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        if not any(data.get(name) for name in ("persoon", "gebruiker", "van", "tot", "resultaat")):
            raise forms.ValidationError(_("Search by person, user, period or result."))
        return data


class AccessRequestForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: access request of the tenant received on a date, with its reference."),
    )
