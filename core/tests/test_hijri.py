"""Tests of Hijri (Umm al-Qura) conversion, display and parsing (DOMAIN.md §3)."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.hijri import (
    format_dual,
    format_gregorian,
    format_hijri,
    hijri_month_name,
    hijri_to_gregorian,
    parse_any_date,
    to_hijri,
)

APPROVAL_DAY = date(2025, 9, 15)  # 23/03/1447 AH, a Monday


def _error_code(func, *args) -> str:
    with pytest.raises(ValidationError) as info:
        func(*args)
    return info.value.code


def test_reference_date_both_ways() -> None:
    hijri = to_hijri(APPROVAL_DAY)
    assert hijri is not None
    assert (hijri.year, hijri.month, hijri.day) == (1447, 3, 23)
    assert hijri_to_gregorian(1447, 3, 23) == APPROVAL_DAY
    assert type(hijri_to_gregorian(1447, 3, 23)) is date
    assert APPROVAL_DAY.weekday() == 0


def test_to_hijri_accepts_datetime() -> None:
    hijri = to_hijri(datetime(2025, 9, 15, 23, 30))
    assert hijri is not None
    assert hijri.datetuple() == (1447, 3, 23)


def test_formats() -> None:
    assert format_hijri(APPROVAL_DAY) == "23/03/1447هـ"
    assert format_gregorian(APPROVAL_DAY) == "15/09/2025م"
    assert format_dual(APPROVAL_DAY) == "23/03/1447هـ — 15/09/2025م"
    assert format_dual(None) == ""


def test_out_of_range() -> None:
    old = date(1920, 1, 1)
    assert to_hijri(old) is None
    assert format_hijri(old) == ""
    assert format_dual(old) == "01/01/1920م"
    assert to_hijri(date(2077, 11, 17)) is None
    assert to_hijri(date(1924, 8, 1)) is not None
    assert to_hijri(date(2077, 11, 16)) is not None


def test_hijri_to_gregorian_errors() -> None:
    assert _error_code(hijri_to_gregorian, 1447, 2, 30) == "invalid_hijri_date"  # Safar 1447: 29
    assert _error_code(hijri_to_gregorian, 1447, 13, 1) == "invalid_hijri_date"
    assert _error_code(hijri_to_gregorian, 1447, 1, 0) == "invalid_hijri_date"
    assert _error_code(hijri_to_gregorian, 1342, 12, 29) == "hijri_out_of_range"
    assert _error_code(hijri_to_gregorian, 1501, 1, 1) == "hijri_out_of_range"


@pytest.mark.parametrize(
    "text",
    [
        "٢٣/٠٣/١٤٤٧هـ",
        "23/03/1447هـ",
        "23/03/1447 هـ",
        "23/03/1447ه",
        "23/03/1447",
        "23-03-1447",
        "1447-03-23",
        "1447/3/23",
        "15/09/2025",
        "15-09-2025",
        "2025-09-15",
        "2025/09/15",
        "15/09/2025م",
        "١٥/٠٩/٢٠٢٥م",
        "۲۰۲۵-۰۹-۱۵",
        " \u200f15/9/2025 ",
    ],
)
def test_parse_any_date_accepts_both_calendars(text: str) -> None:
    assert parse_any_date(text) == APPROVAL_DAY


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "invalid_date_format"),
        ("yesterday", "invalid_date_format"),
        ("15/09/25", "invalid_date_format"),
        ("2025-09/15", "invalid_date_format"),
        ("31/02/2025", "invalid_gregorian_date"),
        ("30/02/1447", "invalid_hijri_date"),
        ("01/01/1300", "hijri_out_of_range"),
        ("01/01/1501", "hijri_out_of_range"),
        ("15/09/2025هـ", "hijri_out_of_range"),  # an explicit هـ forces Hijri
        ("23/03/1447م", "gregorian_out_of_range"),
    ],
)
def test_parse_any_date_errors(text: str, code: str) -> None:
    assert _error_code(parse_any_date, text) == code


def test_parse_any_date_keeps_old_gregorian_dates() -> None:
    assert parse_any_date("01/01/1920") == date(1920, 1, 1)


def test_month_names() -> None:
    with translation.override("en"):
        assert str(hijri_month_name(1)) == "Muharram"
        assert str(hijri_month_name(9)) == "Ramadan"
        assert str(hijri_month_name(12)) == "Dhu al-Hijjah"
    with pytest.raises(ValueError, match="1-12"):
        hijri_month_name(13)


@given(st.dates(min_value=date(1925, 1, 1), max_value=date(2075, 12, 31)))
def test_round_trip(day: date) -> None:
    hijri = to_hijri(day)
    assert hijri is not None
    assert hijri_to_gregorian(hijri.year, hijri.month, hijri.day) == day
    text = f"{hijri.day:02d}/{hijri.month:02d}/{hijri.year}هـ"
    assert parse_any_date(text) == day
    assert parse_any_date(format_hijri(day)) == day
    assert parse_any_date(format_gregorian(day)) == day


@given(st.dates(min_value=date(1925, 1, 1), max_value=date(2075, 12, 30)))
def test_consecutive_days_are_consecutive_in_hijri(day: date) -> None:
    today, tomorrow = to_hijri(day), to_hijri(day + timedelta(days=1))
    assert today is not None
    assert tomorrow is not None
    if tomorrow.day != 1:
        assert tomorrow.datetuple() == (today.year, today.month, today.day + 1)
