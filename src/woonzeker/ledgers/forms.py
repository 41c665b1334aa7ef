from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from woonzeker.forms import StyledForm


class LedgerUploadForm(StyledForm):
    file = forms.FileField(
        label=_("Rent ledger (CSV or XLSX)"),
        help_text=_("A snapshot of your rent accounts on one reference date; see the format description."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.LEDGER_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": settings.LEDGER_MAX_UPLOAD_BYTES // 2**20}
            )
        return upload
