"""Forms of the contact centre: parsing and validation only; the services decide."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Branch, Role, User
from contact.models import (
    Direction,
    Kind,
    Platform,
    Priority,
    ReplyChannel,
    SuggestionOutcome,
    TicketCategory,
)
from core.formfields import DualCalendarDateField, PhoneField
from core.forms import StyledFormMixin, clean_person_name
from core.models import Channel
from core.text import normalize_digits

_DURATION = re.compile(r"^(?:(\d{1,2}):)?(\d{1,3}):(\d{1,2})$")


class CallDurationField(forms.CharField):
    """A call's length as staff say it: «4:30», «04:30», «1:02:15», or plain minutes «5»;
    Arabic digits and «٫» welcome. Cleaned to seconds."""

    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "dir": "ltr", "placeholder": "mm:ss", "size": 8}
    )
    default_error_messages = {
        "invalid": _("Write the duration as minutes:seconds, e.g. 4:30."),
    }

    def to_python(self, value: Any) -> int | None:
        text = normalize_digits(str(value or "")).strip().replace("٫", ":").replace(".", ":")
        if not text:
            return None
        if text.isdigit():
            return int(text) * 60
        match = _DURATION.match(text)
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
        if seconds >= 60 or (hours and minutes >= 60):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return hours * 3600 + minutes * 60 + seconds

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return f"{value // 60}:{value % 60:02d}"
        return value


def _staff(role: str, branch_id: int | None):
    qs = User.objects.filter(role=role, is_active=True).order_by("full_name", "username")
    if branch_id:
        qs = qs.filter(branch_id=branch_id)
    return qs


class PersonFieldsMixin:
    """The unidentified person's name and phone, cleaned like the registry's."""

    def clean_person_name(self) -> str:
        return clean_person_name(self.cleaned_data.get("person_name", ""))


class InteractionForm(PersonFieldsMixin, StyledFormMixin, forms.Form):
    """The quick log: what happened on which channel, with whom. The beneficiary is chosen
    from the search results (its public id); the view resolves it within the user's scope."""

    channel = forms.ModelChoiceField(
        label=_("channel"), queryset=Channel.objects.filter(is_active=True), to_field_name="code"
    )
    direction = forms.ChoiceField(
        label=_("direction"),
        choices=Direction.choices,
        initial=Direction.INBOUND,
        widget=forms.RadioSelect,
    )
    beneficiary = forms.UUIDField(required=False, widget=forms.HiddenInput)
    person_name = forms.CharField(label=_("name"), max_length=150, required=False)
    person_phone = PhoneField(label=_("phone"), required=False)
    subject = forms.CharField(label=_("subject"), max_length=200)
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}))
    duration_seconds = CallDurationField(
        label=_("call duration"), required=False, help_text=_("Phone calls: minutes:seconds.")
    )
    platform = forms.ChoiceField(label=_("platform"), choices=Platform.choices, required=False)
    handle = forms.CharField(label=_("account or handle"), max_length=100, required=False)
    letter_reference = forms.CharField(label=_("letter reference"), max_length=40, required=False)
    representative = forms.ModelChoiceField(
        label=_("branch representative"), queryset=User.objects.none(), required=False
    )
    volunteer = forms.ModelChoiceField(
        label=_("relayed by volunteer"), queryset=User.objects.none(), required=False
    )
    occurred_on = DualCalendarDateField(
        label=_("date"), required=False, allow_future=False, help_text=_("Empty: today.")
    )
    occurred_time = forms.TimeField(
        label=_("time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "dir": "ltr"}),
        help_text=_("Empty: now."),
    )

    DETAIL_FIELDS = {
        "phone": ["duration_seconds"],
        "social_media": ["platform", "handle"],
        "letter": ["letter_reference"],
        "branch_representative": ["representative"],
        "volunteer": ["volunteer"],
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["representative"].queryset = _staff(Role.BRANCH_REPRESENTATIVE, user.branch_id)
        self.fields["volunteer"].queryset = _staff(Role.VOLUNTEER, None)
        self.fields["platform"].choices = [("", _("— choose —")), *Platform.choices]
        # With htmx, choosing a channel swaps in the fields it needs (without, all post back).
        self.fields["channel"].widget.attrs.update(
            {
                "hx-get": reverse("contact:details"),
                "hx-target": "#channel-details",
                "hx-trigger": "change",
            }
        )

    def detail_fields(self, code: str) -> list:
        return [self[name] for name in self.DETAIL_FIELDS.get(code, [])]

    def clean(self):
        data = super().clean()
        day, clock = data.get("occurred_on"), data.get("occurred_time")
        data["occurred_at"] = None
        if day or clock:
            now = timezone.localtime()
            moment = datetime.combine(day or now.date(), clock or now.time())
            data["occurred_at"] = timezone.make_aware(moment)
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "channel": d["channel"],
            "direction": d["direction"],
            "subject": d["subject"],
            "summary": d["summary"],
            "person_name": d["person_name"],
            "person_phone": d["person_phone"],
            "occurred_at": d["occurred_at"],
            "duration_seconds": d["duration_seconds"],
            "platform": d["platform"],
            "handle": d["handle"],
            "letter_reference": d["letter_reference"],
            "representative": d["representative"],
            "volunteer": d["volunteer"],
        }


class VolunteerInteractionForm(PersonFieldsMixin, StyledFormMixin, forms.Form):
    """What a volunteer records: who, their phone, what they asked for. No registry."""

    person_name = forms.CharField(label=_("name"), max_length=150)
    person_phone = PhoneField(label=_("phone"))
    subject = forms.CharField(label=_("subject"), max_length=200)
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def service_kwargs(self) -> dict:
        return {
            "channel": "volunteer",
            "volunteer": self.user,
            **{k: self.cleaned_data[k] for k in ("person_name", "person_phone", "subject")},
            "summary": self.cleaned_data["summary"],
        }


class IdentifyForm(forms.Form):
    beneficiary = forms.UUIDField()


class InteractionFilterForm(StyledFormMixin, forms.Form):
    channel = forms.ModelChoiceField(
        label=_("channel"),
        queryset=Channel.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    direction = forms.ChoiceField(
        label=_("direction"), choices=[("", _("All")), *Direction.choices], required=False
    )
    date_from = DualCalendarDateField(label=_("from"), required=False)
    date_to = DualCalendarDateField(label=_("to"), required=False)
    branch = forms.ModelChoiceField(
        label=_("branch"),
        queryset=Branch.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.branch_id:
            # A branch-bound user's list is their branch already.
            del self.fields["branch"]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


# --- Reception -------------------------------------------------------------------------


class CheckInForm(StyledFormMixin, forms.Form):
    beneficiary = forms.UUIDField(required=False, widget=forms.HiddenInput)
    visitor_name = forms.CharField(label=_("visitor's name"), max_length=150, required=False)
    visitor_phone = PhoneField(label=_("phone"), required=False)
    purpose = forms.CharField(label=_("purpose of the visit"), max_length=200)

    def clean_visitor_name(self) -> str:
        return clean_person_name(self.cleaned_data.get("visitor_name", ""))


class VisitEndForm(StyledFormMixin, forms.Form):
    subject = forms.CharField(
        label=_("subject"),
        max_length=200,
        required=False,
        help_text=_("Empty: the purpose of the visit."),
    )
    summary = forms.CharField(
        label=_("what was discussed and done"), widget=forms.Textarea(attrs={"rows": 4})
    )


class StatsForm(StyledFormMixin, forms.Form):
    date_from = DualCalendarDateField(label=_("from"), required=False)
    date_to = DualCalendarDateField(label=_("to"), required=False)
    branch = forms.ModelChoiceField(
        label=_("branch"),
        queryset=Branch.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.branch_id:
            del self.fields["branch"]


# --- Tickets ---------------------------------------------------------------------------


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TicketCategory) -> str:
        return f"{obj.get_kind_display()} — {obj.name}" if obj.kind else obj.name


class TicketForm(PersonFieldsMixin, StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices, widget=forms.RadioSelect)
    category = CategoryChoiceField(
        label=_("category"), queryset=TicketCategory.objects.filter(is_active=True)
    )
    priority = forms.ChoiceField(label=_("priority"), choices=Priority.choices)
    subject = forms.CharField(label=_("subject"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 4}))
    channel = forms.ModelChoiceField(
        label=_("received through"),
        queryset=Channel.objects.filter(is_active=True),
        to_field_name="code",
    )
    beneficiary = forms.UUIDField(required=False, widget=forms.HiddenInput)
    person_name = forms.CharField(label=_("name"), max_length=150, required=False)
    person_phone = PhoneField(label=_("phone"), required=False)
    person_email = forms.EmailField(label=_("e-mail"), required=False)
    reply_channel = forms.ChoiceField(
        label=_("answer by"), choices=ReplyChannel.choices, widget=forms.RadioSelect
    )
    staff_member = forms.ModelChoiceField(
        label=_("staff member concerned"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "A complaint about a staff member is seen only by the quality officer and managers."
        ),
    )
    take = forms.BooleanField(label=_("I will handle it myself"), required=False)

    def __init__(self, *args, staff, can_own: bool, **kwargs):
        kwargs.setdefault(
            "initial", {"priority": Priority.NORMAL, "reply_channel": ReplyChannel.SMS}
        )
        super().__init__(*args, **kwargs)
        self.fields["staff_member"].queryset = staff
        if not can_own:
            del self.fields["take"]

    def clean_person_email(self) -> str:
        return (self.cleaned_data.get("person_email") or "").strip()


class ReplyForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        label=_("answer to the person"), widget=forms.Textarea(attrs={"rows": 6})
    )
    article = forms.UUIDField(required=False, widget=forms.HiddenInput)


class NoteForm(StyledFormMixin, forms.Form):
    body = forms.CharField(label=_("internal note"), widget=forms.Textarea(attrs={"rows": 3}))


class WaitForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("what we are waiting for"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResumeForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("what the person answered"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(StyledFormMixin, forms.Form):
    resolution = forms.CharField(
        label=_("how it was resolved (told to the person)"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("why it is reopened"), max_length=500)


class OutcomeForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[c for c in SuggestionOutcome.choices if c[0]],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason or details (told to the person)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(StyledFormMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none())

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.display_name
