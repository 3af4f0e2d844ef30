"""Tests of the form fields: dual-calendar dates, phones, IBANs, localized numbers."""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone

from core.formfields import (
    DualCalendarDateField,
    IBANField,
    LocalizedDecimalField,
    LocalizedIntegerField,
    PhoneField,
    SaudiMobileField,
)


class PersonForm(forms.Form):
    birth_date = DualCalendarDateField(allow_future=False)
    visit_date = DualCalendarDateField(required=False)
    mobile = SaudiMobileField()
    phone = PhoneField(required=False)
    iban = IBANField(required=False)
    income = LocalizedDecimalField(required=False, max_digits=10, decimal_places=2)
    members = LocalizedIntegerField(required=False, min_value=1)


BASE = {"birth_date": "15/09/2025", "mobile": "0501234567"}


def _form(**data: str) -> PersonForm:
    return PersonForm(data={**BASE, **data})


def test_valid_form_cleans_everything() -> None:
    form = _form(
        birth_date="٢٣/٠٣/١٤٤٧هـ",
        visit_date="2025-09-15",
        mobile="٠٥٠ ١٢٣ ٤٥٦٧",
        phone="011 412 3456",
        iban="sa03 8000 0000 6080 1016 7519",
        income="١٢٬٥٠٠٫٧٥",
        members="٥",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "birth_date": date(2025, 9, 15),
        "visit_date": date(2025, 9, 15),
        "mobile": "+966501234567",
        "phone": "+966114123456",
        "iban": "SA0380000000608010167519",
        "income": Decimal("12500.75"),
        "members": 5,
    }


def test_optional_fields_may_be_empty() -> None:
    form = _form(visit_date="", phone="", iban="", income="", members="")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["visit_date"] is None
    assert form.cleaned_data["phone"] == ""
    assert form.cleaned_data["iban"] == ""
    assert form.cleaned_data["income"] is None
    assert form.cleaned_data["members"] is None


def test_required_fields() -> None:
    form = PersonForm(data={})
    assert not form.is_valid()
    assert form.has_error("birth_date", "required")
    assert form.has_error("mobile", "required")


def test_field_errors() -> None:
    form = _form(
        birth_date="30/02/1447",
        visit_date="soon",
        mobile="0521234567",
        phone="123",
        iban="SA0480000000608010167519",
        income="12a",
        members="٠",
    )
    assert not form.is_valid()
    assert form.has_error("birth_date", "invalid_hijri_date")
    assert form.has_error("visit_date", "invalid_date_format")
    assert form.has_error("mobile", "invalid_mobile")
    assert form.has_error("phone", "invalid_phone")
    assert form.has_error("iban", "iban_checksum")
    assert form.has_error("income", "invalid")
    assert form.has_error("members", "min_value")


def test_future_dates() -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    form = _form(birth_date=tomorrow, visit_date=tomorrow)
    assert not form.is_valid()
    assert form.has_error("birth_date", "future")
    assert "visit_date" not in form.errors  # allow_future defaults to True


def test_date_initial_is_rendered_gregorian_and_unchanged() -> None:
    form = PersonForm(initial={"birth_date": date(2025, 9, 15)})
    html = str(form["birth_date"])
    assert 'value="15/09/2025"' in html
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html
    assert 'dir="ltr"' in html

    bound = PersonForm(
        data={**BASE, "birth_date": "٢٣/٠٣/١٤٤٧هـ"},
        initial={"birth_date": date(2025, 9, 15), "mobile": "+966501234567"},
    )
    assert "birth_date" not in bound.changed_data
    assert "mobile" not in bound.changed_data


def test_bound_text_is_redisplayed_as_typed() -> None:
    form = _form(birth_date="23/03/1447هـ")
    assert 'value="23/03/1447هـ"' in str(form["birth_date"])


def test_number_fields_are_text_inputs() -> None:
    form = PersonForm()
    income = str(form["income"])
    members = str(form["members"])
    assert 'type="text"' in income
    assert 'inputmode="decimal"' in income
    assert 'type="number"' not in income
    assert 'type="text"' in members
    assert 'inputmode="numeric"' in members
    assert "step=" not in income


def test_field_instances_do_not_share_widget_attrs() -> None:
    first, second = PersonForm(), PersonForm()
    first.fields["birth_date"].widget.attrs["class"] = "changed"
    assert "class" not in second.fields["birth_date"].widget.attrs
