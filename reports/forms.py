"""The filters of the dashboard, the compliance report and the drill-down lists (GET).

A period is a Hijri year (the current one when nothing is given) and optionally one of its
months, or a range of days typed in either calendar. Branch-bound users have no branch field:
their figures are their branch's (the selectors enforce it too).
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Branch
from beneficiaries.models import Category
from core.formfields import DualCalendarDateField, LocalizedIntegerField
from core.forms import StyledFormMixin
from core.hijri import HIJRI_MAX_YEAR, HIJRI_MIN_YEAR, hijri_month_name
from core.models import Channel
from reports.selectors import Filters, current_hijri_year

# A longer range is a comparison of years, not one period; it also bounds what one page costs.
MAX_RANGE_DAYS = 731


class _Choice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ReportFilterForm(StyledFormMixin, forms.Form):
    year = LocalizedIntegerField(
        label=_("Hijri year"),
        required=False,
        min_value=HIJRI_MIN_YEAR,
        # The year's last day is the day before the next year starts, which must exist.
        max_value=HIJRI_MAX_YEAR - 1,
    )
    month = forms.TypedChoiceField(
        label=_("Hijri month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
    )
    date_from = DualCalendarDateField(label=_("from"), required=False)
    date_to = DualCalendarDateField(label=_("to"), required=False)
    branch = _Choice(
        label=_("branch"),
        queryset=Branch.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    channel = _Choice(
        label=_("channel"),
        queryset=Channel.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    category = _Choice(
        label=_("beneficiary category"),
        queryset=Category.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, data=None, *, user, **kwargs):
        # Only the filters are read from the query string (not ?export=, ?table=, ?after=).
        if data is not None:
            data = {k: data.get(k) for k in self.base_fields if data.get(k) not in (None, "")}
        super().__init__(data or None, **kwargs)
        self.fields["month"].choices = [("", _("The whole year"))] + [
            (str(m), hijri_month_name(m)) for m in range(1, 13)
        ]
        self.fields["year"].widget.attrs["placeholder"] = str(current_hijri_year())
        if user.branch_id:
            del self.fields["branch"]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if self.errors:
            return data
        if start or end:
            if not (start and end):
                raise ValidationError(
                    _("Give both the first and the last day, or choose a Hijri year."),
                    code="half_range",
                )
            if end < start:
                self.add_error("date_to", _("The end date is before the start date."))
            elif (end - start) > timedelta(days=MAX_RANGE_DAYS - 1):
                self.add_error(
                    "date_to",
                    _("A period can be at most two years; compare longer spans year by year."),
                )
        return data

    def filters(self) -> Filters:
        """The filters asked for; call on a valid (or unbound) form."""
        data = self.cleaned_data if self.is_bound else {}
        common = {
            "branch": data.get("branch"),
            "channel": data.get("channel"),
            "category": data.get("category"),
        }
        if data.get("date_from") and data.get("date_to"):
            return Filters(start=data["date_from"], end=data["date_to"], **common)
        year = data.get("year") or current_hijri_year()
        return Filters.hijri(year, data.get("month"), **common)
