from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from assistance.models import DecisionRule, Meeting, RejectionReason, VoteChoice
from core.formfields import DualCalendarDateField
from core.forms import StyledFormMixin


def committee_users():
    return User.objects.filter(role=Role.COMMITTEE_MEMBER, is_active=True).order_by("full_name")


class MeetingForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("meeting number"), max_length=20)
    day = DualCalendarDateField(label=_("date"))
    location = forms.CharField(label=_("place"), max_length=120, required=False)
    quorum = forms.IntegerField(label=_("quorum"), min_value=1, max_value=20, initial=3)
    rule = forms.ChoiceField(label=_("decision rule"), choices=DecisionRule.choices)
    chair = forms.ModelChoiceField(label=_("chair"), queryset=committee_users())
    secretary = forms.ModelChoiceField(
        label=_("secretary"), queryset=committee_users(), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("members"), queryset=committee_users(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("chair", "secretary", "members"):
            self.fields[name].queryset = committee_users()
            self.fields[name].label_from_instance = lambda u: u.display_name

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if Meeting.objects.filter(number=number).exists():
            raise forms.ValidationError(_("A meeting with this number already exists."))
        return number


class VoteForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(choices=VoteChoice.choices, widget=forms.RadioSelect)
    reasons = forms.ModelMultipleChoiceField(
        queryset=RejectionReason.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(max_length=500, required=False)


class RecuseForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=200)


class AgendaAddForm(forms.Form):
    request = forms.UUIDField()
