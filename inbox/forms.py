from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Branch
from assistance.models import AidType
from contact.models import Kind, Priority, ReplyChannel, TicketCategory
from core.formfields import LocalizedDecimalField
from core.forms import StyledFormMixin
from core.models import Channel
from inbox.models import InboundItem, Source

UNASSIGNED = "none"


class FilterForm(StyledFormMixin, forms.Form):
    """The inbox filters; anything invalid in the query string is simply ignored."""

    source = forms.ChoiceField(
        label=_("source"), choices=[("", _("All")), *Source.choices], required=False
    )
    channel = forms.ModelChoiceField(
        label=_("channel"),
        queryset=Channel.objects.filter(is_active=True),
        required=False,
        empty_label=_("All"),
    )
    branch = forms.ChoiceField(label=_("branch"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("All")), (UNASSIGNED, _("Not yet assigned to a branch"))]
        if not user.branch_id:
            choices += [(str(b.pk), b.name) for b in Branch.objects.filter(is_active=True)]
        self.fields["branch"].choices = choices

    def filter_values(self) -> dict:
        data = {}
        if self.is_bound:
            self.is_valid()  # the valid fields apply even when another one is not
            data = self.cleaned_data
        branch = data.get("branch") or ""
        return {
            "source": data.get("source") or "",
            "channel_id": data["channel"].pk if data.get("channel") else None,
            "branch_id": int(branch) if branch.isdigit() else None,
            "unassigned": branch == UNASSIGNED,
        }


class TicketForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    category = forms.ModelChoiceField(
        label=_("category"), queryset=TicketCategory.objects.filter(is_active=True)
    )
    subject = forms.CharField(label=_("subject"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}))
    priority = forms.ChoiceField(
        label=_("priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    reply_channel = forms.ChoiceField(label=_("answer by"), choices=ReplyChannel.choices)
    about_staff = forms.BooleanField(
        label=_("The complaint is about a staff member (seen only by quality and managers)"),
        required=False,
    )

    @classmethod
    def for_item(cls, item: InboundItem, data=None):
        """Prefilled from the message: its subject (or its opening words) and its text, and
        the reply channel the sender can be reached on."""
        if item.sender_phone:
            reply = ReplyChannel.SMS
        elif item.sender_email:
            reply = ReplyChannel.EMAIL
        else:
            reply = ReplyChannel.PHONE
        subject = item.subject or " ".join(item.body.split()[:10])[:200]
        initial = {"subject": subject, "description": item.body, "reply_channel": reply}
        return cls(data, initial=initial, prefix="ticket")

    def clean(self):
        data = super().clean()
        category, kind = data.get("category"), data.get("kind")
        if category and kind and category.kind and category.kind != kind:
            self.add_error(
                "category",
                _("This category is for tickets of kind “%(kind)s”.")
                % {"kind": Kind(category.kind).label},
            )
        return data


class RequestForm(StyledFormMixin, forms.Form):
    aid_types = forms.ModelMultipleChoiceField(
        label=_("aid types"),
        queryset=AidType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    need = forms.CharField(label=_("the need"), widget=forms.Textarea(attrs={"rows": 3}))
    requested_amount = LocalizedDecimalField(
        label=_("amount asked for (SAR)"),
        max_digits=10,
        decimal_places=2,
        min_value=1,
        required=False,
    )

    @classmethod
    def for_item(cls, item: InboundItem, data=None):
        return cls(data, initial={"need": item.body}, prefix="request")


class CloseForm(StyledFormMixin, forms.Form):
    close_reason = forms.CharField(
        label=_("reason for closing"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "close-reasons", "autocomplete": "off"}),
    )

    # Offered as suggestions in the reason box; any other reason may be typed.
    SUGGESTIONS = (
        _("Advertising or spam"),
        _("Duplicate of another message"),
        _("Answered already; nothing more to do"),
        _("Not addressed to the waqf"),
    )
