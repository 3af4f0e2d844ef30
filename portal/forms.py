"""Parsing of the portal's own forms (sign-in, codes, consent). Each area's forms live beside
its views when they are the portal's; rules stay in the feature apps' services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from core.validators import normalize_identity_number

_IDENTITY = re.compile(r"^[0-9A-Z]{5,20}$")
# A reference as typed: with or without its dashes and spaces (removed by the normalisation).
_REFERENCE = re.compile(r"^REQ(\d{4})(\d{6})$")


class IdentityForm(StyledFormMixin, forms.Form):
    identity = forms.CharField(
        label=_("National ID or Iqama number"),
        max_length=30,
        help_text=_("We send a one-time code by SMS to the mobile registered with us."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "username", "dir": "ltr"}
        ),
    )

    def clean_identity(self) -> str:
        value = normalize_identity_number(self.cleaned_data["identity"])
        if not _IDENTITY.match(value):
            raise forms.ValidationError(
                _("Type the identity number as it appears on the card (digits only).")
            )
        return value


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("The code from the SMS"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "dir": "ltr",
                "pattern": "[0-9٠-٩]*",
            }
        ),
    )

    def clean_code(self) -> str:
        value = normalize_identity_number(self.cleaned_data["code"])
        if not (value.isdigit() and len(value) == 6):
            raise forms.ValidationError(_("The code is six digits."))
        return value


class ConsentForm(StyledFormMixin, forms.Form):
    agree = forms.BooleanField(
        label=_("I have read the privacy notice and agree to my data being processed for it."),
        error_messages={"required": _("Tick the box to continue.")},
    )


class ReferenceForm(StyledFormMixin, forms.Form):
    reference = forms.CharField(
        label=_("Request reference number"),
        max_length=30,
        help_text=_("As in the SMS we sent, for example REQ-1448-000123."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )

    def clean_reference(self) -> str:
        """The reference as stored (REQ-1448-000123), however it was typed: in Arabic or
        Latin digits, with or without dashes and spaces, in either case."""
        match = _REFERENCE.match(normalize_identity_number(self.cleaned_data["reference"]))
        if match is None:
            raise forms.ValidationError(
                _("A reference looks like REQ-1448-000123. Check the number in your SMS.")
            )
        return f"REQ-{match[1]}-{match[2]}"
