"""Hijri (Umm al-Qura) and Gregorian dates: conversion, display and parsing of typed dates.

Dates are stored Gregorian (DOMAIN.md §3) and shown in both calendars, Hijri first. Staff may
type a date in either calendar; the year tells which (below 1600 is Hijri), and a trailing
«هـ» or «م» makes it explicit. Conversion uses ``hijridate`` (Umm al-Qura), whose table covers
1343–1500 AH (1924-08-01 … 2077-11-16): older dates (birth dates of the elderly) still work in
Gregorian, they just have no Hijri rendering.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from hijridate import Gregorian, Hijri

from core.text import normalize_digits

__all__ = [
    "HIJRI_MAX_YEAR",
    "HIJRI_MIN_YEAR",
    "format_dual",
    "format_gregorian",
    "format_hijri",
    "hijri_month_name",
    "hijri_to_gregorian",
    "parse_any_date",
    "to_hijri",
]

HIJRI_MIN_YEAR = 1343
HIJRI_MAX_YEAR = 1500
HIJRI_MARKER = "هـ"
GREGORIAN_MARKER = "م"

# A typed year below this is Hijri: the Hijri year passes 1600 only in 2174 CE, and nobody
# alive was born in Gregorian 1599.
_HIJRI_YEAR_LIMIT = 1600

# Lazy: the name is translated in the language active when it is rendered.
_MONTH_NAMES: tuple[str, ...] = (
    _("Muharram"),
    _("Safar"),
    _("Rabi al-Awwal"),
    _("Rabi al-Thani"),
    _("Jumada al-Ula"),
    _("Jumada al-Akhirah"),
    _("Rajab"),
    _("Shaban"),
    _("Ramadan"),
    _("Shawwal"),
    _("Dhu al-Qadah"),
    _("Dhu al-Hijjah"),
)

# Same separator on both sides (backreference): "15/09/2025", "2025-09-15", "15.09.2025".
_YEAR_FIRST = re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})")
_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})")
# Trailing calendar marker, tatweel optional: «هـ», «ه», «م».
_MARKER = re.compile(r"\s*(?P<marker>هـ*|م)\s*$")


def _as_date(d: date) -> date:
    """A plain ``date`` (a ``datetime`` is a ``date`` subclass that hijridate rejects)."""
    if isinstance(d, datetime):
        return d.date()
    return date(d.year, d.month, d.day)


def to_hijri(d: date) -> Hijri | None:
    """Umm al-Qura date of a Gregorian date, or None outside 1343–1500 AH."""
    try:
        return Gregorian.fromdate(_as_date(d)).to_hijri()
    except (OverflowError, ValueError):
        return None


def _out_of_range() -> ValidationError:
    return ValidationError(
        _("Hijri dates are supported from %(min)s to %(max)s AH."),
        code="hijri_out_of_range",
        params={"min": HIJRI_MIN_YEAR, "max": HIJRI_MAX_YEAR},
    )


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """Gregorian date of an Umm al-Qura date; ValidationError if it does not exist.

    Umm al-Qura months have 29 or 30 days depending on the month and year, so 30/02/1447 may
    not exist while 30/03/1447 does.
    """
    if not HIJRI_MIN_YEAR <= year <= HIJRI_MAX_YEAR:
        raise _out_of_range()
    try:
        gregorian = Hijri(year, month, day).to_gregorian()
    except OverflowError as exc:
        raise _out_of_range() from exc
    except ValueError as exc:
        raise ValidationError(
            _("There is no such day in the Hijri calendar: %(day)02d/%(month)02d/%(year)s."),
            code="invalid_hijri_date",
            params={"day": day, "month": month, "year": year},
        ) from exc
    return date(gregorian.year, gregorian.month, gregorian.day)


def format_hijri(d: date | None) -> str:
    """``23/03/1447هـ``, or "" when the date is outside the Umm al-Qura table."""
    if d is None:
        return ""
    hijri = to_hijri(d)
    if hijri is None:
        return ""
    return f"{hijri.day:02d}/{hijri.month:02d}/{hijri.year}{HIJRI_MARKER}"


def format_gregorian(d: date | None) -> str:
    """``15/09/2025م``: day first, as Saudi documents write it."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}{GREGORIAN_MARKER}"


def format_dual(d: date | None) -> str:
    """``23/03/1447هـ — 15/09/2025م``, Hijri first; only the Gregorian when out of range."""
    if d is None:
        return ""
    hijri = format_hijri(d)
    gregorian = format_gregorian(d)
    return f"{hijri} — {gregorian}" if hijri else gregorian


def hijri_month_name(month: int) -> str:
    """Translatable name of a Hijri month (1 = Muharram … 12 = Dhu al-Hijjah)."""
    if not 1 <= month <= 12:
        raise ValueError(f"Hijri month must be 1-12, got {month}")
    return _MONTH_NAMES[month - 1]


def parse_any_date(text: str) -> date:
    """Parse a date typed in either calendar and return it Gregorian.

    Accepted after digit normalisation: ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``DD/MM/YYYY``,
    ``DD-MM-YYYY`` (and ``.`` as separator), with an optional trailing «هـ»/«ه» (Hijri) or «م»
    (Gregorian). Without a marker, a year below 1600 is Hijri.
    """
    cleaned = normalize_digits(str(text or ""))
    cleaned = "".join(ch for ch in cleaned if unicodedata.category(ch) != "Cf").strip()
    marker = ""
    found = _MARKER.search(cleaned)
    if found:
        marker = found.group("marker")
        cleaned = cleaned[: found.start()]
    match = _YEAR_FIRST.fullmatch(cleaned) or _DAY_FIRST.fullmatch(cleaned)
    if match is None:
        raise ValidationError(
            _("Enter a date as DD/MM/YYYY or YYYY-MM-DD, in the Hijri or Gregorian calendar."),
            code="invalid_date_format",
        )
    year, month, day = (int(match.group(part)) for part in ("y", "m", "d"))

    if marker.startswith("ه") or (not marker and year < _HIJRI_YEAR_LIMIT):
        return hijri_to_gregorian(year, month, day)
    if year < _HIJRI_YEAR_LIMIT:
        raise ValidationError(
            _("The year %(year)s is too early for a Gregorian date."),
            code="gregorian_out_of_range",
            params={"year": year},
        )
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValidationError(
            _("There is no such day in the Gregorian calendar: %(day)02d/%(month)02d/%(year)s."),
            code="invalid_gregorian_date",
            params={"day": day, "month": month, "year": year},
        ) from exc
