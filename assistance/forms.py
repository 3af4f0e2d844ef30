from django import forms
from django.utils.translation import gettext_lazy as _

from assistance.models import (
    AidType,
    AttestationMethod,
    DeliveryMethod,
    ReferralReason,
    Research,
    SupportRequest,
)
from core.formfields import DualCalendarDateField, LocalizedDecimalField, LocalizedIntegerField
from core.forms import StyledFormMixin
from core.models import Channel


class RequestForm(StyledFormMixin, forms.ModelForm):
    channel = forms.ModelChoiceField(
        label=_("channel"), queryset=Channel.objects.filter(is_active=True)
    )
    aid_types = forms.ModelMultipleChoiceField(
        label=_("aid types"),
        queryset=AidType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    requested_amount = LocalizedDecimalField(
        label=_("amount asked for (SAR)"),
        max_digits=10,
        decimal_places=2,
        min_value=1,
        required=False,
    )

    class Meta:
        model = SupportRequest
        fields = ["channel", "aid_types", "need", "requested_amount", "declares_no_income"]
        widgets = {"need": forms.Textarea(attrs={"rows": 4})}

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("aid_types")
        return data


class AttestationForm(StyledFormMixin, forms.Form):
    method = forms.ChoiceField(
        label=_("how the applicant signs"),
        choices=[
            (AttestationMethod.DRAWN, AttestationMethod.DRAWN.label),
            (AttestationMethod.PAPER, AttestationMethod.PAPER.label),
        ],
        widget=forms.RadioSelect,
        initial=AttestationMethod.DRAWN,
    )
    signature = forms.CharField(widget=forms.HiddenInput, required=False)
    scan = forms.FileField(
        label=_("the signed form, scanned (PDF or photo)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )
    rights_acknowledged = forms.BooleanField(
        label=_(
            "The applicant has read (or been read) the declaration and the rights and duties, "
            "and acknowledges them."
        ),
        required=False,
    )


class CheckForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("verify", "verify"), ("reject", "reject")])
    reason = forms.CharField(max_length=200, required=False)


class AttachForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    document = forms.UUIDField()


class InfoRequestForm(StyledFormMixin, forms.Form):
    what = forms.CharField(
        label=_("what the applicant must provide"), widget=forms.Textarea(attrs={"rows": 2})
    )
    due_date = DualCalendarDateField(
        label=_("due date"), required=False, help_text=_("Empty: the policy's default.")
    )


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("what the applicant provided"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("reason"), choices=ReferralReason.choices)
    researcher = forms.ModelChoiceField(
        label=_("researcher"),
        queryset=None,
        required=False,
        empty_label=_("Assign automatically (branch, workload, gender)"),
    )
    note = forms.CharField(
        label=_("note for the researcher"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, request_obj, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from accounts.models import Role, User

        self.fields["researcher"].queryset = User.objects.filter(
            role=Role.SOCIAL_RESEARCHER, is_active=True
        ).filter(Q(branch__isnull=True) | Q(branch_id=request_obj.branch_id))


class VisitForm(StyledFormMixin, forms.Form):
    day = DualCalendarDateField(label=_("visit date"))
    time = forms.TimeField(label=_("time"), widget=forms.TimeInput(attrs={"type": "time"}))


class ReportForm(StyledFormMixin, forms.ModelForm):
    recommended_amount = LocalizedDecimalField(
        label=_("recommended amount (SAR)"),
        max_digits=10,
        decimal_places=2,
        min_value=1,
        required=False,
    )
    recommended_months = LocalizedIntegerField(
        label=_("for how many months"), min_value=1, max_value=60, required=False
    )

    class Meta:
        model = Research
        fields = [
            "housing",
            "household",
            "finances",
            "health",
            "assessment",
            "recommended_aid_type",
            "recommended_amount",
            "recommended_months",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in ["housing", "household", "finances", "health", "assessment"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].required = True
        self.fields["recommended_aid_type"].required = True
        self.fields["recommended_aid_type"].queryset = AidType.objects.filter(is_active=True)


class AppealForm(StyledFormMixin, forms.Form):
    grounds = forms.CharField(
        label=_("grounds of the appeal"), widget=forms.Textarea(attrs={"rows": 3})
    )
    channel = forms.ModelChoiceField(
        label=_("channel"), queryset=Channel.objects.filter(is_active=True)
    )


class EnrolForm(StyledFormMixin, forms.Form):
    starts_on = DualCalendarDateField(label=_("first delivery on"))


class DeliveryForm(StyledFormMixin, forms.Form):
    method = forms.ChoiceField(label=_("method"), choices=DeliveryMethod.choices)
    delivered_on = DualCalendarDateField(label=_("delivered on"), allow_future=False)
    amount = LocalizedDecimalField(
        label=_("amount (SAR)"), max_digits=10, decimal_places=2, min_value=0.01, required=False
    )
    transfer_reference = forms.CharField(
        label=_("transfer reference"), max_length=60, required=False
    )
    voucher_code = forms.CharField(label=_("voucher code"), max_length=60, required=False)
    receipt = forms.FileField(
        label=_("signed receipt (PDF or photo)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == DeliveryMethod.BANK_TRANSFER and not data.get("transfer_reference"):
            self.add_error("transfer_reference", _("Enter the bank's transfer reference."))
        if method == DeliveryMethod.VOUCHER and not data.get("voucher_code"):
            self.add_error("voucher_code", _("Enter the voucher code."))
        if method == DeliveryMethod.IN_KIND and not data.get("receipt"):
            self.add_error("receipt", _("Upload the receipt signed by the beneficiary."))
        return data


class PhotoForm(StyledFormMixin, forms.Form):
    image = forms.FileField(
        label=_("photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)
    consent_given = forms.BooleanField(label=_("The applicant agreed to the photo."))
