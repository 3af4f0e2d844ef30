"""Form fields for what Saudi staff type: dates in either calendar, phones, IBANs, numbers.

Every field normalises Arabic-Indic digits before parsing, because an Arabic keyboard or phone
types ٠-٩. Numeric inputs are plain text inputs with ``inputmode``: browsers refuse Arabic
digits in ``type=number`` and silently submit an empty value.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.hijri import parse_any_date
from core.text import normalize_digits
from core.validators import normalize_phone, normalize_saudi_mobile, validate_saudi_iban

__all__ = [
    "DualCalendarDateField",
    "IBANField",
    "LocalizedDecimalField",
    "LocalizedIntegerField",
    "PhoneField",
    "SaudiMobileField",
]


def _ltr_text_input(inputmode: str, **attrs: str) -> forms.TextInput:
    """Left-to-right text input: digits, phones and IBANs read left to right in Arabic pages."""
    return forms.TextInput(attrs={"inputmode": inputmode, "dir": "ltr", **attrs})


class DualCalendarDateField(forms.Field):
    """A date typed in the Hijri or Gregorian calendar, cleaned to a Gregorian ``date``.

    Accepts whatever ``core.hijri.parse_any_date`` accepts (``23/03/1447هـ``, ``15/09/2025``,
    ``2025-09-15``, Arabic-Indic digits). A ``date`` initial value is shown as DD/MM/YYYY
    Gregorian, which parses back to the same date.
    """

    widget = _ltr_text_input("numeric")
    # Templates show a live conversion to the other calendar under such a field.
    dual_calendar = True
    default_error_messages = {
        "future": _("The date cannot be in the future."),
    }

    def __init__(self, *, allow_future: bool = True, **kwargs: Any) -> None:
        self.allow_future = allow_future
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return parse_any_date(normalize_digits(str(value)))

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and not self.allow_future and value > timezone.localdate():
            raise ValidationError(self.error_messages["future"], code="future")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Compare dates, not text: «23/03/1447هـ» equals an initial date(2025, 9, 15)."""
        if self.disabled:
            return False
        try:
            initial_date = self.to_python(initial)
            data_date = self.to_python(data)
        except ValidationError:
            return True
        return initial_date != data_date


class _NormalizedCharField(forms.CharField):
    """CharField whose non-empty value goes through ``normalize`` (which may raise)."""

    def normalize(self, value: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_python(self, value: Any) -> str:
        if isinstance(value, str):
            value = normalize_digits(value)
        text = super().to_python(value)
        if text in self.empty_values:
            return text
        return self.normalize(text)


class SaudiMobileField(_NormalizedCharField):
    """Saudi mobile number, cleaned to E.164 ``+9665XXXXXXXX``; typed as 05…, 5…, +966…, 00966…"""

    widget = _ltr_text_input("tel", autocomplete="tel", placeholder="05XXXXXXXX")

    def normalize(self, value: str) -> str:
        return normalize_saudi_mobile(value)


class PhoneField(_NormalizedCharField):
    """Any valid phone (Saudi mobile or landline, or international with +/00), cleaned to E.164."""

    widget = _ltr_text_input("tel", autocomplete="tel")

    def normalize(self, value: str) -> str:
        return normalize_phone(value)


class IBANField(_NormalizedCharField):
    """Saudi IBAN (SA + 22 characters, mod-97 checked), cleaned to uppercase without spaces."""

    widget = _ltr_text_input(
        "text", autocomplete="off", placeholder="SA00 0000 0000 0000 0000 0000"
    )

    def normalize(self, value: str) -> str:
        return validate_saudi_iban(value)


def _normalize_number_text(value: Any) -> Any:
    """Arabic-Indic digits to ASCII, ٫ to ".", ٬ dropped, surrounding spaces removed."""
    if isinstance(value, str):
        return normalize_digits(value).strip()
    return value


class LocalizedDecimalField(forms.DecimalField):
    """Decimal typed with ASCII or Arabic-Indic digits and the Arabic separators ٫ and ٬."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"})

    def to_python(self, value: Any) -> Any:
        return super().to_python(_normalize_number_text(value))


class LocalizedIntegerField(forms.IntegerField):
    """Whole number typed with ASCII or Arabic-Indic digits (٬ thousands separator allowed)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"})

    def to_python(self, value: Any) -> Any:
        return super().to_python(_normalize_number_text(value))
