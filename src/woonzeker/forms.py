"""Form plumbing shared by every app: NL Design System classes and accessible error wiring."""

from django import forms

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


class StyledForm(forms.Form):
    """A form whose widgets carry the Utrecht classes and point to their help and error texts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
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

    def add_service_error(self, error):
        """Show a service's ValidationError next to the field it names, or above the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)
        self._describe_fields()
