from django import forms
from django.utils.translation import gettext_lazy as _

from woonzeker.forms import StyledForm
from woonzeker.monitoring.periods import period_choices
from woonzeker.organisations.models import Municipality, Organisation, OrganisationKind


class SelectionForm(StyledForm):
    periode = forms.ChoiceField(label=_("Period"), required=False)
    gemeente = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.all(), required=False)
    corporatie = forms.ModelChoiceField(
        label=_("Housing corporation"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.HOUSING_CORPORATION),
        required=False,
    )
    team = forms.ModelChoiceField(
        label=_("Social team"), queryset=Organisation.objects.filter(kind=OrganisationKind.SOCIAL_TEAM), required=False
    )

    def __init__(self, *args, covenant, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = period_choices(covenant, today)
        self.fields["gemeente"].queryset = covenant.municipalities.all()


class DdasExportForm(StyledForm):
    periode = forms.ChoiceField(label=_("Period"))
    reden = forms.CharField(
        label=_("Purpose of this export"),
        max_length=500,
        help_text=_("Recorded in the audit trail, e.g. the quarterly delivery to the national statistics office."),
    )

    def __init__(self, *args, covenant, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = [c for c in period_choices(covenant, today) if c[0] != "term"]
