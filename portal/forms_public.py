"""Parsing of the portal's public forms (contact, knowledge-base search) and of the person's
own tickets. Rules stay in the services (inbox, contact, knowledge); these forms only read
and normalise what was typed."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contact.models import Kind, ReplyChannel, TicketCategory
from core.forms import StyledFormMixin, clean_person_name
from core.validators import normalize_saudi_mobile

MESSAGE_MAX = 5000

# How each kind of message is offered to the public, in the person's words.
KIND_CHOICES = [
    (Kind.INQUIRY, _("A question")),
    (Kind.COMPLAINT, _("A complaint")),
    (Kind.SUGGESTION, _("A suggestion")),
    (Kind.PRAISE, _("Thanks and praise")),
]


class ContactForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=32,
        help_text=_("A Saudi mobile, for example 05XXXXXXXX. We answer you on it."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    kind = forms.ChoiceField(
        label=_("Your message is"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Please do not write your identity number or bank details here."),
    )
    # The honeypot: hidden from people (and from screen readers) by the template; a program
    # filling every box fills it too.
    website = forms.CharField(
        label=_("Leave this box empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_name(self) -> str:
        return clean_person_name(self.cleaned_data["name"])

    def clean_mobile(self) -> str:
        try:
            return normalize_saudi_mobile(self.cleaned_data["mobile"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def clean_message(self) -> str:
        value = self.cleaned_data["message"].strip()
        if not value:
            raise forms.ValidationError(_("Write your message."))
        return value

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the answers"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "class": "input"}),
    )


class TicketForm(StyledFormMixin, forms.Form):
    """A new inquiry, complaint, suggestion or praise of one kind (chosen on the page
    before): the categories offered are that kind's."""

    category = forms.ModelChoiceField(label=_("About"), queryset=TicketCategory.objects.none())
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what happened or what you would like, with dates if you have them."),
    )
    reply_channel = forms.ChoiceField(label=_("Answer me by"), widget=forms.RadioSelect)

    def __init__(self, *args, categories, beneficiary, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        choices = [(ReplyChannel.SMS, _("SMS to my mobile"))]
        if beneficiary.email:
            choices.append((ReplyChannel.EMAIL, _("E-mail")))
        choices.append((ReplyChannel.PHONE, _("A phone call")))
        self.fields["reply_channel"].choices = choices
        self.fields["reply_channel"].initial = ReplyChannel.SMS


class TicketMessageForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
