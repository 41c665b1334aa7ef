"""The forms of the door: the code after the password."""

from django import forms
from django.utils.translation import gettext_lazy as _

from woonzeker.accounts.second_factor import verify_code
from woonzeker.forms import StyledForm


class CodeForm(StyledForm):
    """A code from the authenticator app (six digits) or a backup code; checked against the user's devices."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def __init__(self, *args, user, devices=None, **kwargs):
        self.user = user
        self.devices = devices
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"]
        self.device = verify_code(self.user, code, devices=self.devices)
        if self.device is None:
            raise forms.ValidationError(
                _("This code is not right (or no longer valid). Wait for a new code and try again."), code="invalid"
            )
        return code
