from django import forms
from django.utils.translation import gettext_lazy as _

from assistance.models import AidType, AttestationMethod, SupportRequest
from core.formfields import LocalizedDecimalField
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


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)
