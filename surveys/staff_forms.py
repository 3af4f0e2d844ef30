"""Forms of the quality officer's screens (builder, results filters, follow-ups, improvement
actions): parsing and validation only; `surveys.builder`, `.results` and `.quality` decide.
(The person's answer form and the staff call form are in `surveys.forms`.)"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Branch
from assistance.models import AidType
from core.formfields import DualCalendarDateField, LocalizedIntegerField
from core.forms import StyledFormMixin
from core.hijri import HIJRI_MAX_YEAR, HIJRI_MIN_YEAR, hijri_month_name, to_hijri
from core.models import Channel
from surveys.models import ActionStatus, Event, QuestionKind, SendChannel, Survey
from surveys.results import BANDS, Filters, Period

YEARS_BACK = 9  # the year list of the results filters: this Hijri year and the nine before


def _label(model, name: str):
    return model._meta.get_field(name).verbose_name


def _help(model, name: str):
    return model._meta.get_field(name).help_text


# --- Builder ------------------------------------------------------------------------------


class SurveyForm(StyledFormMixin, forms.Form):
    name_ar = forms.CharField(label=_label(Survey, "name_ar"), max_length=150)
    name_en = forms.CharField(label=_label(Survey, "name_en"), max_length=150, required=False)
    event = forms.ChoiceField(label=_label(Survey, "event"), choices=Event.choices)
    delay_hours = LocalizedIntegerField(
        label=_label(Survey, "delay_hours"),
        min_value=0,
        max_value=24 * 30,
        help_text=_help(Survey, "delay_hours"),
    )
    channel = forms.ChoiceField(label=_label(Survey, "channel"), choices=SendChannel.choices)
    reminder_after_hours = LocalizedIntegerField(
        label=_label(Survey, "reminder_after_hours"),
        min_value=0,
        max_value=24 * 30,
        help_text=_help(Survey, "reminder_after_hours"),
    )
    valid_days = LocalizedIntegerField(
        label=_label(Survey, "valid_days"),
        min_value=1,
        max_value=90,
        help_text=_help(Survey, "valid_days"),
    )
    allow_anonymous = forms.BooleanField(
        label=_label(Survey, "allow_anonymous"),
        required=False,
        help_text=_help(Survey, "allow_anonymous"),
    )
    is_active = forms.BooleanField(
        label=_label(Survey, "is_active"),
        required=False,
        help_text=_help(Survey, "is_active"),
    )

    def __init__(self, *args, survey: Survey | None = None, **kwargs):
        if survey is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(survey, name) for name in self.base_fields}
        elif survey is None:
            kwargs.setdefault(
                "initial",
                {
                    "delay_hours": 2,
                    "reminder_after_hours": 48,
                    "valid_days": 7,
                    "allow_anonymous": True,
                    "channel": SendChannel.PREFERRED,
                },
            )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        valid_days = data.get("valid_days")
        reminder = data.get("reminder_after_hours")
        if valid_days and reminder and reminder >= valid_days * 24:
            self.add_error(
                "reminder_after_hours",
                _("The reminder must go before the link stops working (%(days)s days).")
                % {"days": valid_days},
            )
        return data


class VersionIntroForm(StyledFormMixin, forms.Form):
    intro_ar = forms.CharField(
        label=_("Arabic introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown above the questions."),
    )
    intro_en = forms.CharField(
        label=_("English introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
    )


class QuestionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text_ar = forms.CharField(label=_("Arabic wording"), max_length=300)
    text_en = forms.CharField(
        label=_("English wording"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    options = forms.CharField(
        label=_("Options (choice questions)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option per line, the Arabic then the English: «نعم | Yes»."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def __init__(self, *args, question=None, **kwargs):
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(question, name) for name in self.base_fields}
        kwargs.setdefault("initial", {"required": True})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("kind") == QuestionKind.CHOICE and not (data.get("options") or "").strip():
            self.add_error("options", _("Write the options of a choice question, one per line."))
        return data


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


# --- Results ------------------------------------------------------------------------------


def _year_choices():
    current = to_hijri(timezone.localdate()).year
    first = max(HIJRI_MIN_YEAR, current - YEARS_BACK)
    return [(str(y), str(y)) for y in range(min(current, HIJRI_MAX_YEAR), first - 1, -1)]


def _month_choices():
    return [("", _("The whole year"))] + [(str(m), hijri_month_name(m)) for m in range(1, 13)]


class PeriodForm(StyledFormMixin, forms.Form):
    """A Hijri year (with an optional month), or a range of days in either calendar, which
    then wins. Read from the query string; an invalid one falls back to this Hijri year."""

    year = forms.TypedChoiceField(label=_("Hijri year"), coerce=int, required=False)
    month = forms.TypedChoiceField(
        label=_("Hijri month"), coerce=int, required=False, empty_value=None
    )
    date_from = DualCalendarDateField(label=_("First day"), required=False)
    date_to = DualCalendarDateField(label=_("Last day"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.fields["month"].choices = _month_choices()
        for name in ("date_from", "date_to"):
            # A live conversion under each box would send a request per keystroke on a
            # filter bar; the placeholder says what to type.
            for attr in ("hx-get", "hx-trigger", "hx-target", "hx-swap"):
                self.fields[name].widget.attrs.pop(attr, None)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if bool(start) != bool(end):
            raise ValidationError(
                _("Give both ends of the range of days, or neither."), code="range"
            )
        if start and end and start > end:
            self.add_error("date_to", _("The end comes before the start."))
        return data

    def period(self) -> Period:
        if not self.is_valid():
            return Period.this_year()
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to"):
            return Period.days(data["date_from"], data["date_to"])
        year = data.get("year") or Period.this_year().hijri_year
        return Period.hijri(year, data.get("month"))


class ResultsFilterForm(PeriodForm):
    branch = forms.ModelChoiceField(
        label=_("Branch"), queryset=Branch.objects.none(), required=False
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none(), required=False
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    aid_type = forms.ModelChoiceField(
        label=_("Aid type"), queryset=AidType.objects.none(), required=False
    )
    band = forms.ChoiceField(label=_("Satisfaction"), required=False)

    def __init__(self, *args, user, labels, **kwargs):
        super().__init__(*args, **kwargs)
        # The querysets' rows were read once for the labels; the selects reuse them.
        self._pin("branch", Branch, labels.branches)
        self._pin("channel", Channel, labels.channels)
        self._pin("aid_type", AidType, labels.aid_types)
        if user.branch_id:
            # A branch-bound user's results are their branch's: no other to choose.
            del self.fields["branch"]
        self.fields["stage"].choices = [("", _("All")), *Event.choices]
        self.fields["band"].choices = [
            ("", _("All")),
            ("low", _("Dissatisfied (1–2)")),
            ("neutral", _("Neutral (3)")),
            ("high", _("Satisfied (4–5)")),
        ]
        for name in ("branch", "channel", "aid_type"):
            if name in self.fields:
                self.fields[name].empty_label = _("All")

    def _pin(self, name: str, model, rows: dict) -> None:
        field = self.fields[name]
        field.queryset = model.objects.filter(pk__in=list(rows))
        ordered = sorted(rows.values(), key=lambda r: (r.sort_order, r.name))
        # Choices from the rows already read (no query to render the select).
        field.choices = [("", _("All")), *((str(r.pk), r.name) for r in ordered)]

    def filters(self) -> Filters:
        period = self.period()
        data = self.cleaned_data if self.is_valid() else {}
        branch = data.get("branch")
        channel = data.get("channel")
        aid_type = data.get("aid_type")
        return Filters(
            period=period,
            branch_id=branch.pk if branch else None,
            channel_id=channel.pk if channel else None,
            event=data.get("stage") or "",
            aid_type_id=aid_type.pk if aid_type else None,
        )

    def selected_band(self) -> str:
        if not self.is_valid():
            return ""
        return self.cleaned_data.get("band") if self.cleaned_data.get("band") in BANDS else ""


class StaffPickForm(StyledFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Staff member"), queryset=None)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff
        self.fields["person"].label_from_instance = lambda u: (
            f"{u.display_name} — {u.get_role_display()}"
        )


# --- Follow-ups ---------------------------------------------------------------------------


class AssignForm(StyledFormMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("Give to"), queryset=None)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = handlers
        self.fields["owner"].label_from_instance = lambda u: u.display_name


class ContactedForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("What the person said"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(StyledFormMixin, forms.Form):
    outcome = forms.CharField(
        label=_("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    action = forms.ModelChoiceField(
        label=_("Improvement action"),
        queryset=None,
        required=False,
        help_text=_("If what the person said led to an improvement action, link it."),
    )

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions
        self.fields["action"].empty_label = _("None")


class LinkForm(StyledFormMixin, forms.Form):
    action = forms.ModelChoiceField(label=_("Improvement action"), queryset=None, required=False)

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions
        self.fields["action"].empty_label = _("None")


# --- Improvement actions ------------------------------------------------------------------


class ActionForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    event = forms.ChoiceField(label=_("Stage"), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_on = DualCalendarDateField(label=_("Due on"))

    def __init__(self, *args, owners, action=None, **kwargs):
        if action is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": action.title,
                "description": action.description,
                "event": action.event,
                "owner": action.owner_id,
                "due_on": action.due_on,
            }
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", _("Every stage")), *Event.choices]
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: (
            f"{u.display_name} — {u.get_role_display()}"
        )

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on and not self.initial.get("due_on") and due_on < timezone.localdate():
            raise ValidationError(_("The due date cannot be in the past."), code="past")
        return due_on


class ActionStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        choices=[(s, label) for s, label in ActionStatus.choices if s != ActionStatus.PLANNED]
    )
    result = forms.CharField(
        label=_("Result, or why it is cancelled"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
