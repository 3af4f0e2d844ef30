"""Form conventions shared by every app."""

from django import forms
from django.forms.widgets import Input
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.text import normalize_digits


class StyledFormMixin:
    """Marks fields with errors for the CSS and for screen readers (aria-invalid)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, Input | forms.Select | forms.Textarea) and not isinstance(
                widget, forms.CheckboxInput | forms.HiddenInput | forms.CheckboxSelectMultiple
            ):
                widget.attrs.setdefault("class", "input")
            # Django's "---------" means nothing to a reader; say what is expected.
            if getattr(field, "empty_label", None) == "---------":
                field.empty_label = _("— choose —")
            choices = getattr(field, "choices", None)
            if isinstance(choices, list) and choices and choices[0] == ("", "---------"):
                field.choices = [("", _("— choose —")), *choices[1:]]
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


def add_service_errors(form, exc) -> None:
    """Show a service's ValidationError on the form: at its field where the service named one
    the form has, otherwise at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def flash_errors(request, exc) -> None:
    """A service's refusal as messages, for the small forms that post and redirect."""
    from django.contrib import messages

    for message in exc.messages:
        messages.error(request, message)
