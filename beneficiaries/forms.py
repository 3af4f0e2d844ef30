"""Parsing and validation of registry input; writes happen in services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import (
    CHECKSUMMED_ID_TYPES,
    Beneficiary,
    Category,
    DocumentType,
    HouseholdMember,
    IdType,
    IncomeSource,
    Obligation,
    PrivacyNotice,
)
from core.formfields import (
    DualCalendarDateField,
    IBANField,
    LocalizedDecimalField,
    PhoneField,
    SaudiMobileField,
)
from core.forms import StyledFormMixin, clean_person_name
from core.models import Channel
from core.validators import validate_national_address_short, validate_saudi_identity


def _clean_identity(form: forms.Form, type_field: str, number_field: str) -> None:
    id_type = form.cleaned_data.get(type_field)
    number = form.cleaned_data.get(number_field)
    if not number or not id_type:
        return
    try:
        form.cleaned_data[number_field] = validate_saudi_identity(number, id_type)
    except ValidationError as exc:
        form.add_error(number_field, exc)


class BeneficiaryForm(StyledFormMixin, forms.ModelForm):
    birth_date = DualCalendarDateField(label=_("birth date"), allow_future=False)
    id_expiry = DualCalendarDateField(label=_("identity expiry date"), required=False)
    mobile = SaudiMobileField(label=_("mobile"))
    alt_mobile = SaudiMobileField(label=_("other mobile"), required=False)
    landline = PhoneField(label=_("landline"), required=False)
    iban = IBANField(label=_("IBAN"), required=False)
    categories = forms.ModelMultipleChoiceField(
        label=_("categories"),
        queryset=Category.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    confirm_distinct = forms.BooleanField(
        label=_("I have checked: this is a different person from the similar files above."),
        required=False,
    )

    class Meta:
        model = Beneficiary
        fields = [
            "first_name",
            "father_name",
            "grandfather_name",
            "family_name",
            "latin_name",
            "id_type",
            "id_number",
            "id_expiry",
            "nationality",
            "gender",
            "birth_date",
            "marital_status",
            "mobile",
            "alt_mobile",
            "landline",
            "email",
            "preferred_channel",
            "accepts_surveys",
            "accepts_outreach",
            "city",
            "district",
            "address_short",
            "building_number",
            "street",
            "postal_code",
            "additional_number",
            "iban",
            "branch",
            "categories",
            "category_note",
            "housing_type",
            "housing_condition",
            "health_notes",
            "disability",
        ]
        widgets = {
            "health_notes": forms.Textarea(attrs={"rows": 2}),
            "id_number": forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
            "latin_name": forms.TextInput(attrs={"dir": "ltr"}),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
            "address_short": forms.TextInput(attrs={"dir": "ltr", "placeholder": "RRRD2929"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.branch_id:
            # Branch-bound staff register in their own branch only; the service enforces it too.
            del self.fields["branch"]
        else:
            self.fields["branch"].queryset = self.fields["branch"].queryset.filter(is_active=True)
        self.fields["city"].queryset = self.fields["city"].queryset.filter(is_active=True)
        for name in ("postal_code", "building_number", "additional_number"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "dir": "ltr"})

    def clean_first_name(self):
        return clean_person_name(self.cleaned_data["first_name"])

    def clean_father_name(self):
        return clean_person_name(self.cleaned_data["father_name"])

    def clean_grandfather_name(self):
        return clean_person_name(self.cleaned_data["grandfather_name"])

    def clean_family_name(self):
        return clean_person_name(self.cleaned_data["family_name"])

    def clean_address_short(self):
        value = self.cleaned_data["address_short"]
        return validate_national_address_short(value) if value else ""

    def _clean_digits(self, name: str, length: int) -> str:
        from core.text import normalize_digits

        value = normalize_digits(self.cleaned_data.get(name) or "").strip()
        if value and (not value.isdigit() or len(value) != length):
            raise ValidationError(
                _("Enter exactly %(n)d digits."), code="digits", params={"n": length}
            )
        return value

    def clean_postal_code(self):
        return self._clean_digits("postal_code", 5)

    def clean_building_number(self):
        return self._clean_digits("building_number", 4)

    def clean_additional_number(self):
        return self._clean_digits("additional_number", 4)

    def clean(self):
        data = super().clean()
        _clean_identity(self, "id_type", "id_number")
        id_type, number = data.get("id_type"), data.get("id_number")
        nationality = data.get("nationality")
        if id_type == IdType.NATIONAL_ID and nationality and nationality != "SA":
            self.add_error("nationality", _("A national ID belongs to a Saudi citizen."))
        if id_type == IdType.IQAMA and nationality == "SA":
            self.add_error("nationality", _("An Iqama belongs to a resident, not a citizen."))
        if id_type in CHECKSUMMED_ID_TYPES and "id_number" not in self.errors and number:
            clash = Beneficiary.objects.filter(id_type=id_type, id_number=number)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "id_number",
                    ValidationError(
                        _(
                            "This identity number is already registered. Search for it to open "
                            "the existing file."
                        ),
                        code="duplicate",
                    ),
                )
        expiry, birth = data.get("id_expiry"), data.get("birth_date")
        if expiry and birth and expiry <= birth:
            self.add_error("id_expiry", _("The expiry date must be after the birth date."))
        categories = data.get("categories") or []
        if any(c.requires_note for c in categories) and not data.get("category_note"):
            self.add_error("category_note", _("Describe the category you chose as “other”."))
        if data.get("alt_mobile") and data.get("alt_mobile") == data.get("mobile"):
            self.add_error("alt_mobile", _("This is the same number as the mobile."))
        return data

    def model_data(self) -> dict:
        """The cleaned values the service writes to the beneficiary row."""
        skip = {"categories", "confirm_distinct"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class MemberForm(StyledFormMixin, forms.ModelForm):
    birth_date = DualCalendarDateField(label=_("birth date"), allow_future=False)

    class Meta:
        model = HouseholdMember
        fields = [
            "relation",
            "full_name",
            "gender",
            "birth_date",
            "id_type",
            "id_number",
            "schooling",
            "disability",
            "health_notes",
        ]
        widgets = {
            "health_notes": forms.Textarea(attrs={"rows": 2}),
            "id_number": forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
        }

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.beneficiary = beneficiary

    def clean_full_name(self):
        return clean_person_name(self.cleaned_data["full_name"])

    def clean(self):
        data = super().clean()
        if data.get("id_number") and not data.get("id_type"):
            self.add_error("id_type", _("Choose the identity type of this number."))
        _clean_identity(self, "id_type", "id_number")
        number, id_type = data.get("id_number"), data.get("id_type")
        if number and "id_number" not in self.errors:
            clash = HouseholdMember.objects.filter(
                beneficiary=self.beneficiary, id_type=id_type, id_number=number
            )
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists() or (
                self.beneficiary.id_type == id_type and self.beneficiary.id_number == number
            ):
                self.add_error("id_number", _("This identity number is already in this household."))
        return data


class IncomeForm(StyledFormMixin, forms.ModelForm):
    monthly_amount = LocalizedDecimalField(
        label=_("monthly amount (SAR)"), max_digits=10, decimal_places=2, min_value=0.01
    )

    class Meta:
        model = IncomeSource
        fields = ["kind", "member", "monthly_amount", "note"]

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = beneficiary.members.all()
        self.fields["member"].empty_label = _("The applicant")


class ObligationForm(StyledFormMixin, forms.ModelForm):
    monthly_amount = LocalizedDecimalField(
        label=_("monthly amount (SAR)"), max_digits=10, decimal_places=2, min_value=0.01
    )

    class Meta:
        model = Obligation
        fields = ["kind", "monthly_amount", "note"]

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)


class DocumentForm(StyledFormMixin, forms.Form):
    doc_type = forms.ModelChoiceField(
        label=_("document type"), queryset=DocumentType.objects.filter(is_active=True)
    )
    member = forms.ModelChoiceField(
        label=_("household member"), queryset=HouseholdMember.objects.none(), required=False
    )
    upload = forms.FileField(
        label=_("file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )
    issued_on = DualCalendarDateField(label=_("issue date"), required=False, allow_future=False)
    expires_on = DualCalendarDateField(label=_("expiry date"), required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = beneficiary.members.all()
        self.fields["member"].empty_label = _("The applicant")

    def clean(self):
        data = super().clean()
        doc_type = data.get("doc_type")
        if doc_type and doc_type.has_expiry and not data.get("expires_on"):
            self.add_error("expires_on", _("This document type has an expiry date: enter it."))
        if doc_type and doc_type.max_age_days and not data.get("issued_on"):
            self.add_error("issued_on", _("Enter the issue date: this document has a maximum age."))
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("The expiry date is before the issue date."))
        return data


class ConsentForm(StyledFormMixin, forms.Form):
    notice = forms.ModelChoiceField(
        label=_("privacy notice version"), queryset=PrivacyNotice.objects.all(), empty_label=None
    )
    channel = forms.ModelChoiceField(
        label=_("channel"), queryset=Channel.objects.filter(is_active=True)
    )
    acknowledged = forms.BooleanField(
        label=_("The beneficiary has read (or been read) the notice and acknowledges it."),
    )

    def __init__(self, *args, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.beneficiary = beneficiary

    def clean_notice(self):
        notice = self.cleaned_data["notice"]
        if self.beneficiary.consents.filter(notice=notice).exists():
            raise ValidationError(_("This version has already been acknowledged."))
        return notice
