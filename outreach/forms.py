"""Forms of outreach: parsing and validation only (the services save)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Branch
from beneficiaries.models import Category
from core.formfields import DualCalendarDateField, LocalizedIntegerField
from core.forms import StyledFormMixin
from notify.models import MessageTemplate
from outreach.models import (
    TEMPLATE_PREFIX,
    Action,
    Rule,
    TaskStatus,
    Trigger,
    placeholders_for,
)
from outreach.services import RULE_FIELDS


class RuleForm(StyledFormMixin, forms.ModelForm):
    """A rule. The trigger's own checks (days or months, the season, a template whose
    placeholders the trigger fills) are `Rule.clean`, so the form and the service agree."""

    days = LocalizedIntegerField(label=_("number of days"), required=False, min_value=0)
    months = LocalizedIntegerField(label=_("number of months"), required=False, min_value=1)
    task_due_days = LocalizedIntegerField(label=_("task due within (days)"), min_value=1, initial=5)

    class Meta:
        model = Rule
        fields = [
            "name",
            "trigger",
            "days",
            "months",
            "season",
            "categories",
            "branch",
            "action",
            "template",
            "task_text",
            "task_due_days",
        ]
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "task_text": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {"unique": _("A rule with this name already exists.")},
            "trigger": {"required": _("Choose when the rule acts.")},
            "action": {"required": _("Choose what the rule does.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].help_text = _(
            "Document expiring, orphan turning 18, season starting: how many days ahead. "
            "Information not given: how many days since it was asked."
        )
        self.fields["months"].help_text = _("For “no contact” only.")
        # "---------" means nothing to a reader (as core.forms.StyledFormMixin says it).
        self.fields["trigger"].choices = [("", _("— choose —")), *Trigger.choices]
        self.fields["action"].choices = [("", _("— choose —")), *Action.choices]
        self.fields["categories"].queryset = Category.objects.filter(is_active=True)
        self.fields["template"].queryset = MessageTemplate.objects.filter(
            code__startswith=TEMPLATE_PREFIX, is_active=True
        )
        self.fields["template"].help_text = _(
            "The organisation's outreach messages (codes beginning with “outreach.”)."
        )
        self.fields["season"].queryset = self.fields["season"].queryset.filter(is_active=True)
        branches = Branch.objects.filter(is_active=True)
        if user.branch_id:
            # A branch-bound manager writes rules for their own branch only.
            self.fields["branch"].queryset = branches.filter(pk=user.branch_id)
            self.fields["branch"].required = True
            self.fields["branch"].empty_label = None
            self.fields["branch"].help_text = ""
        else:
            self.fields["branch"].queryset = branches

    def rule_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in RULE_FIELDS}
        data["task_text"] = data.get("task_text") or ""
        if data.get("task_due_days") is None:
            data["task_due_days"] = 5
        return data

    def categories(self):
        return list(self.cleaned_data.get("categories") or [])


def placeholder_table() -> list[tuple[str, str]]:
    """(trigger, its placeholders) for the form's help."""
    return [
        (label, " ".join(f"{{{n}}}" for n in placeholders_for(value)))
        for value, label in Trigger.choices
    ]


class SendForm(StyledFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the audience and the text."),
        error_messages={"required": _("Tick the box to confirm you have checked the preview.")},
    )


class SeasonDateForm(StyledFormMixin, forms.Form):
    year = LocalizedIntegerField(label=_("year"), min_value=1)
    starts_on = DualCalendarDateField(label=_("starts on"))
    ends_on = DualCalendarDateField(label=_("ends on"))
    note = forms.CharField(
        label=_("source"),
        max_length=200,
        required=False,
        help_text=_("Where the date comes from, e.g. the Supreme Court's announcement."),
    )


class TaskCloseForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("result"),
        choices=[(TaskStatus.DONE, _("Done")), (TaskStatus.DISMISSED, _("Dismiss"))],
    )
    outcome = forms.CharField(
        label=_("outcome"),
        max_length=300,
        required=False,
        help_text=_("What was done, or why the task is dismissed."),
    )
