"""Form plumbing shared by every app: NL Design System classes and accessible error wiring."""

from django import forms
from django.core.validators import MaxLengthValidator

from woonzeker.text import PlainTextValidator, normalise

WIDGET_CLASSES = {
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.ClearableFileInput: "utrecht-textbox",
    forms.FileInput: "utrecht-textbox",
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


#: The longest free text (a note, a result, a reason) a form takes; names and addresses have their own limits.
FREE_TEXT_MAX = 10_000


def _guard_text(field):
    """Every text field refuses control characters, and has a length limit."""
    if not isinstance(field, forms.CharField):
        return
    field.validators.append(PlainTextValidator(multiline=isinstance(field.widget, forms.Textarea)))
    if field.max_length is None:
        field.max_length = FREE_TEXT_MAX
        field.validators.append(MaxLengthValidator(FREE_TEXT_MAX))
        field.widget.attrs.setdefault("maxlength", str(FREE_TEXT_MAX))


class StyledForm(forms.Form):
    """A form whose widgets carry the Utrecht classes and point to their help and error texts; its text
    fields refuse control characters and overlong input, and store text NFC-normalised."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _guard_text(field)
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            css = next((c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)), None)
            widget.attrs.setdefault("class", css or "utrecht-textbox utrecht-textbox--html-input")
        self._describe_fields()

    def _describe_fields(self):
        """Point each widget to its help text and, once invalid, to its error message."""
        errors = self._errors or {}
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.RadioSelect):
                continue  # the fieldset carries the description
            described_by = [f"id_{self.add_prefix(name)}-help"] if field.help_text else []
            if name in errors:
                described_by.append(f"id_{self.add_prefix(name)}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)

    def full_clean(self):
        super().full_clean()
        self._describe_fields()

    def _clean_fields(self):
        super()._clean_fields()
        for name, value in self.cleaned_data.items():
            # A password is taken exactly as typed: the sign-in form compares it unchanged.
            if isinstance(value, str) and not isinstance(self.fields[name].widget, forms.PasswordInput):
                self.cleaned_data[name] = normalise(value)

    def add_service_error(self, error):
        """Show a service's ValidationError next to the field it names, or above the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)
        self._describe_fields()
