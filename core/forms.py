"""Form conventions shared by every app."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.text import normalize_digits


class StyledFormMixin:
    """Marks fields with errors for the CSS and for screen readers (aria-invalid)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select | forms.TextInput | forms.Textarea):
                widget.attrs.setdefault("class", "input")
            if getattr(field, "dual_calendar", False):
                widget.attrs.update(
                    {
                        "placeholder": _("DD/MM/YYYY — Hijri or Gregorian"),
                        "hx-get": reverse("core:date_preview"),
                        "hx-trigger": "input changed delay:300ms, load",
                        "hx-target": "next .date-preview",
                        "hx-swap": "innerHTML",
                    }
                )

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


def clean_person_name(value: str) -> str:
    """Collapse spaces; refuse digits (a name typed into the wrong box)."""
    from django.core.exceptions import ValidationError

    value = " ".join((value or "").split())
    if any(ch.isdigit() for ch in normalize_digits(value)):
        raise ValidationError(_("A name cannot contain digits."), code="digits")
    return value
