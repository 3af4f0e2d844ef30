"""Forms of the correspondence register: parsing and validation only; the services decide.

A letter is linked to a beneficiary by their identity number and to a request or ticket by its
reference number, as staff have them on paper; each is looked up in the user's own scope.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Branch
from core.formfields import DualCalendarDateField
from core.forms import StyledFormMixin

from . import selectors
from .models import Direction, DispatchMethod, LetterStatus, LetterTemplate


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (a scanned letter is often a few photos)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class RegisterFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("", _("All")), *Direction.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *LetterStatus.choices], required=False
    )
    date_from = DualCalendarDateField(label=_("Letter date from"), required=False)
    date_to = DualCalendarDateField(label=_("to"), required=False)
    mine = forms.BooleanField(label=_("Referred to me"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the range is before its start."))
        return data


class LinksMixin(forms.Form):
    """The optional links of a letter, and its branch for a user who serves every branch."""

    beneficiary = forms.CharField(
        label=_("Beneficiary's identity number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
        help_text=_("Optional. The letter then shows on the beneficiary's timeline."),
    )
    support_request = forms.CharField(
        label=_("Support request reference"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "REQ-1448-000123"}),
    )
    ticket = forms.CharField(
        label=_("Ticket reference"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "TKT-1448-000045"}),
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        queryset=Branch.objects.filter(is_active=True),
        required=False,
        help_text=_("For a letter about a beneficiary, the branch of their file is used."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if user.branch_id:
            # A user tied to a branch writes in that branch only.
            del self.fields["branch"]
        elif not self.is_bound and "branch" not in self.initial:
            self.initial["branch"] = Branch.objects.filter(code="head-office").first()

    def clean_beneficiary(self):
        value = self.cleaned_data["beneficiary"].strip()
        if not value:
            return None
        found = selectors.beneficiary_by_identity(self.user, value)
        if found is None:
            raise forms.ValidationError(
                _("No beneficiary with this identity number in your files."), code="not_found"
            )
        return found

    def clean_support_request(self):
        value = self.cleaned_data["support_request"].strip()
        if not value:
            return None
        found = selectors.request_by_reference(self.user, value)
        if found is None:
            raise forms.ValidationError(
                _("No support request with this reference in your files."), code="not_found"
            )
        return found

    def clean_ticket(self):
        value = self.cleaned_data["ticket"].strip()
        if not value:
            return None
        found = selectors.ticket_by_reference(self.user, value)
        if found is None:
            raise forms.ValidationError(
                _("No ticket with this reference in your files."), code="not_found"
            )
        return found

    def links(self) -> dict:
        data = self.cleaned_data
        return {
            "beneficiary": data.get("beneficiary"),
            "support_request": data.get("support_request"),
            "ticket": data.get("ticket"),
            "branch": data.get("branch"),
        }


def link_initial(letter) -> dict:
    """The link fields' text for an existing letter."""
    return {
        "beneficiary": letter.beneficiary.id_number if letter.beneficiary_id else "",
        "support_request": (letter.support_request.reference or "")
        if letter.support_request_id
        else "",
        "ticket": letter.ticket.reference if letter.ticket_id else "",
        "branch": letter.branch,
    }


class PartyMixin(forms.Form):
    party_name = forms.CharField(label=_("Name"), required=False, max_length=150)
    party_organisation = forms.CharField(label=_("Organisation"), required=False, max_length=150)
    party_address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def party(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("party_name", "party_organisation", "party_address")
        }


class IncomingLetterForm(StyledFormMixin, PartyMixin, LinksMixin, forms.Form):
    letter_date = DualCalendarDateField(label=_("Date of the letter"), allow_future=False)
    sender_reference = forms.CharField(
        label=_("The sender's reference"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Summary of the contents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label=_("The scanned letter and its enclosures"),
        required=False,
        help_text=_("PDF files or photos (JPEG, PNG, WebP); several at once."),
    )

    field_order = [
        "letter_date",
        "sender_reference",
        "party_name",
        "party_organisation",
        "party_address",
        "subject",
        "body",
        "beneficiary",
        "support_request",
        "ticket",
        "branch",
        "attachments",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_name"].label = _("Sender's name")
        self.fields["party_organisation"].label = _("Sender's organisation")


class SignatoryMixin(forms.Form):
    signatory_title = forms.CharField(
        label=_("Signatory's title"),
        required=False,
        max_length=150,
        help_text=_("E.g. Director of beneficiary relations."),
    )
    signatory_name = forms.CharField(label=_("Signed by"), required=False, max_length=150)


class OutgoingDraftForm(StyledFormMixin, PartyMixin, LinksMixin, SignatoryMixin, forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=LetterTemplate.objects.filter(is_active=True)
    )

    field_order = [
        "template",
        "party_name",
        "party_organisation",
        "party_address",
        "beneficiary",
        "support_request",
        "ticket",
        "branch",
        "signatory_title",
        "signatory_name",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_name"].label = _("Recipient's name")
        self.fields["party_organisation"].label = _("Recipient's organisation")


class DraftEditForm(StyledFormMixin, PartyMixin, LinksMixin, SignatoryMixin, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))

    field_order = [
        "party_name",
        "party_organisation",
        "party_address",
        "subject",
        "body",
        "signatory_title",
        "signatory_name",
        "beneficiary",
        "support_request",
        "ticket",
        "branch",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_name"].label = _("Recipient's name")
        self.fields["party_organisation"].label = _("Recipient's organisation")


class ReferForm(StyledFormMixin, forms.Form):
    to = forms.ModelChoiceField(label=_("Refer to"), queryset=None)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, letter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = selectors.referral_candidates(letter)
        self.fields["to"].label_from_instance = lambda user: (
            f"{user.display_name} — {user.get_role_display()}"
        )


class FileForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Why no answer is needed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SendForm(StyledFormMixin, forms.Form):
    method = forms.ChoiceField(
        label=_("Sent how"), choices=DispatchMethod.choices, widget=forms.RadioSelect
    )
    sent_on = DualCalendarDateField(label=_("Sent on"), allow_future=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        help_text=_("E.g. the registered-post number, who received it, or the e-mail address."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("sent_on", timezone.localdate())


class AttachForm(StyledFormMixin, forms.Form):
    attachments = MultipleFileField(
        label=_("Files"), help_text=_("PDF files or photos (JPEG, PNG, WebP); several at once.")
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=200)
