from django import forms
from django.utils.translation import gettext_lazy as _

from woonzeker.forms import StyledForm
from woonzeker.organisations.models import Municipality
from woonzeker.organisations.postcodes import normalise_postcode


class HouseholdForm(StyledForm):
    """Who and where: the household a signal or a referral is about."""

    tenant_name = forms.CharField(label=_("Name(s) of the tenant"), max_length=200)
    street = forms.CharField(label=_("Street"), max_length=200)
    house_number = forms.CharField(label=_("House number"), max_length=10)
    house_number_suffix = forms.CharField(label=_("Suffix"), max_length=10, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, help_text=_("For example 3311 GR."))
    town = forms.CharField(label=_("Town"), max_length=100)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.all())
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)

    def clean_postcode(self):
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["postcode"]) from None

    def household(self):
        return {name: self.cleaned_data[name] for name in HouseholdForm.base_fields}
