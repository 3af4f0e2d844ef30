"""Forms of the signed-in beneficiary's own area: a correction of their data, a request
about their data, a document upload. Parsing and validation only, with the same validators
and rules as the staff forms; writes happen in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from beneficiaries.forms import BeneficiaryForm, DocumentForm
from beneficiaries.models import Beneficiary, DocumentType, DsrKind, MaritalStatus
from core.formfields import IBANField, PhoneField, SaudiMobileField
from core.forms import StyledFormMixin
from core.models import City
from core.validators import validate_national_address_short


def _without_script(form: forms.BaseForm) -> None:
    """The portal loads no script: drop the htmx attributes the shared mixin adds to date
    fields (their live calendar preview), which would only be dead weight here."""
    for field in form.fields.values():
        for attr in [a for a in field.widget.attrs if a.startswith("hx-")]:
            del field.widget.attrs[attr]


class NoScriptMixin(StyledFormMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _without_script(self)


def _text(value: Any) -> str:
    return "" if value in (None, "") else str(value)


# Fields of the file a beneficiary may ask to correct by typing the right value. Labels are
# the model's, so staff read the same words as on the file.
_CORRECTABLE = ("mobile", "alt_mobile", "landline", "email", "marital_status", "iban")
_ADDRESS = (
    "city",
    "district",
    "street",
    "building_number",
    "postal_code",
    "additional_number",
    "address_short",
)


def _label(name: str) -> str:
    return str(Beneficiary._meta.get_field(name).verbose_name)


class CorrectionForm(NoScriptMixin, forms.Form):
    """Proposed values for what is wrong; empty fields are left as they are."""

    mobile = SaudiMobileField(label=_("mobile"), required=False)
    alt_mobile = SaudiMobileField(label=_("other mobile"), required=False)
    landline = PhoneField(label=_("landline"), required=False)
    email = forms.EmailField(
        label=_("e-mail"), required=False, widget=forms.EmailInput(attrs={"dir": "ltr"})
    )
    marital_status = forms.ChoiceField(
        label=_("marital status"),
        required=False,
        choices=[("", _("— no change —")), *MaritalStatus.choices],
    )
    iban = IBANField(label=_("IBAN"), required=False)
    city = forms.ModelChoiceField(
        label=_("city"),
        queryset=City.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
        empty_label=_("— no change —"),
    )
    district = forms.CharField(label=_("district"), max_length=80, required=False)
    street = forms.CharField(label=_("street"), max_length=100, required=False)
    building_number = forms.CharField(
        label=_("building number"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    postal_code = forms.CharField(
        label=_("postal code"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    additional_number = forms.CharField(
        label=_("additional number"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    address_short = forms.CharField(
        label=_("short national address"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "RRRD2929"}),
    )
    member = forms.ChoiceField(label=_("Family member"), required=False)
    member_change = forms.CharField(
        label=_("What is wrong about this family member, and what it should be"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    other = forms.CharField(
        label=_("Anything else to correct"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example a name, a birth date or a family member's data."),
    )

    # The staff form's digit rules, reused rather than written twice.
    _clean_digits = BeneficiaryForm._clean_digits

    def __init__(self, *args, beneficiary: Beneficiary, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.beneficiary = beneficiary
        self.members = {str(m.public_id): m for m in members}
        self.fields["member"].choices = [("", _("— choose —"))] + [
            (key, f"{m.full_name} ({m.get_relation_display()})") for key, m in self.members.items()
        ]
        if not self.members:
            del self.fields["member"]
            del self.fields["member_change"]
        for name in (*_CORRECTABLE, *_ADDRESS):
            current = self.current(name)
            # The value isolated left to right: a number or an e-mail inside Arabic text.
            self.fields[name].help_text = (
                format_html('{} <bdi dir="auto">{}</bdi>', _("We hold:"), current)
                if current
                else _("We hold nothing.")
            )

    def current(self, name: str) -> str:
        b = self.beneficiary
        if name == "city":
            return b.city.name if b.city_id else ""
        if name == "marital_status":
            return b.get_marital_status_display() if b.marital_status else ""
        return _text(getattr(b, name))

    def clean_building_number(self):
        return self._clean_digits("building_number", 4)

    def clean_postal_code(self):
        return self._clean_digits("postal_code", 5)

    def clean_additional_number(self):
        return self._clean_digits("additional_number", 4)

    def clean_address_short(self):
        value = self.cleaned_data["address_short"]
        return validate_national_address_short(value) if value else ""

    def clean(self):
        data = super().clean()
        b = self.beneficiary
        for name in (*_CORRECTABLE, *_ADDRESS):
            value = data.get(name)
            if value in (None, "") or name in self.errors:
                continue
            held = b.city if name == "city" else getattr(b, name)
            if value == held:
                self.add_error(name, _("This is already what we hold."))
        member, change = data.get("member"), (data.get("member_change") or "").strip()
        if "member" in self.fields:
            if change and not member:
                self.add_error("member", _("Choose the family member this is about."))
            if member and not change:
                self.add_error("member_change", _("Say what is wrong and what it should be."))
        if not self.errors and not self.proposed_changes():
            raise forms.ValidationError(
                _(
                    "Fill in at least one thing to correct: the fields you leave empty stay "
                    "as they are."
                )
            )
        return data

    def proposed_changes(self) -> dict[str, dict[str, str]]:
        """{field: {"label", "current", "proposed"}}, labels in Arabic for the staff who
        handle it (free text is kept as typed)."""
        data = self.cleaned_data
        changes: dict[str, dict[str, str]] = {}
        with translation.override("ar"):
            for name in (*_CORRECTABLE, *_ADDRESS):
                value = data.get(name)
                if value in (None, ""):
                    continue
                if name == "city":
                    shown = value.name
                elif name == "marital_status":
                    shown = str(MaritalStatus(value).label)
                else:
                    shown = str(value)
                changes[name] = {
                    "label": _label(name),
                    "current": self.current(name),
                    "proposed": shown,
                }
            member_key = data.get("member")
            change = (data.get("member_change") or "").strip()
            if member_key and change:
                member = self.members[member_key]
                changes[f"member:{member_key}"] = {
                    "label": str(_("Family member: %(name)s") % {"name": member.full_name}),
                    "current": "",
                    "proposed": change,
                }
            other = (data.get("other") or "").strip()
            if other:
                changes["other"] = {
                    "label": str(_("Anything else to correct")),
                    "current": "",
                    "proposed": other,
                }
        return changes


class DataRequestForm(NoScriptMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you asking for?"),
        choices=DsrKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you are asking for.")},
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a correction, say what is wrong and what it should be."),
    )


class PortalDocumentForm(NoScriptMixin, DocumentForm):
    """The staff upload form's fields and rules (expiry required for types that expire, the
    issue date for types with a maximum age), with the person's own choices: their household
    members, by public id, never a sequential one."""

    def __init__(self, *args, beneficiary: Beneficiary, **kwargs):
        super().__init__(*args, beneficiary=beneficiary, **kwargs)
        del self.fields["note"]
        doc_type = self.fields["doc_type"]
        doc_type.to_field_name = "code"
        doc_type.queryset = DocumentType.objects.filter(is_active=True)
        member = self.fields["member"]
        member.to_field_name = "public_id"
        member.empty_label = _("Me")
        member.label = _("Whose document is it?")
        self.fields["upload"].help_text = _("A PDF file or a clear photo (JPG, PNG).")
        self.fields["issued_on"].help_text = _("Hijri or Gregorian, for example 01/09/1446.")
        self.fields["expires_on"].help_text = _("As written on the document, if it has one.")
