"""Validators and normalisers for Saudi identifiers: identity numbers, phones, IBANs, addresses.

Each normaliser accepts what staff actually type (Arabic-Indic digits, spaces, dashes, local or
international phone forms) and returns the one canonical form that is stored, so that equal
values compare equal in the database. Errors are ``ValidationError`` with a stable ``code`` and
an English message marked for translation.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError

from core.text import normalize_digits

__all__ = [
    "ID_TYPE_IQAMA",
    "ID_TYPE_NATIONAL_ID",
    "luhn_ok",
    "mask_identity",
    "normalize_iban",
    "normalize_identity_number",
    "normalize_phone",
    "normalize_saudi_mobile",
    "sms_number",
    "validate_national_address_short",
    "validate_not_future",
    "validate_saudi_iban",
    "validate_saudi_identity",
]

ID_TYPE_NATIONAL_ID = "national_id"
ID_TYPE_IQAMA = "iqama"

# First digit of a valid number per checksummed document type (DOMAIN.md §1).
_ID_PREFIX = {ID_TYPE_NATIONAL_ID: "1", ID_TYPE_IQAMA: "2"}

# Spaces, ASCII and Unicode dashes: typed or pasted as visual grouping, never significant.
_GROUPING = re.compile(r"[\s\-‐‑‒–—−_]+")
_OTHER_DOCUMENT = re.compile(r"[A-Z0-9]{4,20}")
_SHORT_ADDRESS = re.compile(r"[A-Z]{4}[0-9]{4}")
# Saudi IBAN: SA, 2 check digits, 2-digit bank code, 18 alphanumeric account characters.
_SAUDI_IBAN = re.compile(r"SA[0-9]{4}[A-Z0-9]{18}")


def _clean(value: object) -> str:
    """ASCII digits, no grouping characters and no invisible direction marks (RLM, LRM)."""
    text = normalize_digits(str(value or ""))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return _GROUPING.sub("", text)


# --- Identity numbers --------------------------------------------------------------------------


def normalize_identity_number(value: object) -> str:
    """Identity number as stored: ASCII digits, no spaces or dashes, letters uppercased.

    Uppercasing only matters for free-format documents (passports), where the same number is
    typed in either case.
    """
    return _clean(value).upper()


def luhn_ok(digits: str) -> bool:
    """Standard Luhn check, used by the Saudi national ID and Iqama.

    Counted from the right, so for the 10-digit IDs the doubled digits are those at 0-based
    indices 0, 2, 4, 6, 8 as DOMAIN.md §1 describes. Anything but ASCII digits is refused.
    """
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def validate_saudi_identity(value: object, id_type: str) -> str:
    """Validate an identity number for its document type and return it normalised.

    Only the national ID and the Iqama carry a checksum; other documents (passport, border
    number, GCC ID) are free format, so they are only checked for a plausible shape.
    """
    number = normalize_identity_number(value)
    prefix = _ID_PREFIX.get(id_type)
    if prefix is None:
        if not _OTHER_DOCUMENT.fullmatch(number):
            raise ValidationError(
                _("A document number has 4 to 20 Latin letters or digits."),
                code="invalid_document_number",
            )
        return number

    if len(number) != 10 or not number.isascii() or not number.isdigit():
        message = (
            _("A national ID has exactly 10 digits.")
            if id_type == ID_TYPE_NATIONAL_ID
            else _("An Iqama number has exactly 10 digits.")
        )
        raise ValidationError(message, code="invalid_identity_format")
    if not number.startswith(prefix):
        message = (
            _("A national ID starts with 1.")
            if id_type == ID_TYPE_NATIONAL_ID
            else _("An Iqama number starts with 2.")
        )
        raise ValidationError(message, code="invalid_identity_prefix")
    if not luhn_ok(number):
        raise ValidationError(
            _("This identity number is not valid: its check digit does not match."),
            code="invalid_identity_checksum",
        )
    return number


def mask_identity(value: object) -> str:
    """Masked identity number for screens, logs and SMS: ``1*******08``.

    A national ID is personal data (PDPL): show the first digit (citizen or resident) and the
    last two (enough for a person to recognise their own number), never the rest.
    """
    number = normalize_identity_number(value)
    if len(number) < 4:
        return "*" * len(number)
    return number[0] + "*" * (len(number) - 3) + number[-2:]


# --- Phones ------------------------------------------------------------------------------------


def _parse_phone(value: object) -> phonenumbers.PhoneNumber | None:
    """Parse with region SA after digit normalisation; None when unparseable.

    Region SA makes ``05…`` and ``5…`` national numbers and ``00`` the international prefix;
    phonenumbers also recognises a bare ``966…``.
    """
    text = _clean(value)
    if not text:
        return None
    try:
        return phonenumbers.parse(text, "SA")
    except phonenumbers.NumberParseException:
        return None


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_saudi_mobile(value: object) -> str:
    """Return a Saudi mobile number in E.164 (``+9665XXXXXXXX``).

    Mobiles are what SMS notices go to, so a landline, a foreign mobile or an unallocated
    prefix such as 052 is refused here rather than failing silently at the gateway.
    """
    number = _parse_phone(value)
    if (
        number is None
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "SA"
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValidationError(
            _("Enter a valid Saudi mobile number, for example 05XXXXXXXX."),
            code="invalid_mobile",
        )
    return _e164(number)


def normalize_phone(value: object) -> str:
    """Return any valid phone number in E.164.

    Numbers without an international prefix are read as Saudi (mobile or landline such as
    011 4xxxxxx); numbers starting with + or 00 may be from any country.
    """
    number = _parse_phone(value)
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number: a Saudi number or an international one with +."),
            code="invalid_phone",
        )
    return _e164(number)


def sms_number(e164: str) -> str:
    """International number without ``+`` (``9665…``), the form Saudi SMS gateways expect.

    The input is re-normalised, so a stored E.164 number and a typed one give the same result.
    """
    return normalize_phone(e164).lstrip("+")


# --- Bank accounts -----------------------------------------------------------------------------


def normalize_iban(value: object) -> str:
    """IBAN as stored: ASCII digits, uppercase, no spaces (printed IBANs are grouped by 4)."""
    return _clean(value).upper()


def validate_saudi_iban(value: object) -> str:
    """Validate a Saudi IBAN (SA + 22 characters, ISO 13616 mod-97) and return it normalised.

    Disbursements go to this account, so a mistyped character must be caught before money is
    sent; the mod-97 check digits detect every single-character error.
    """
    iban = normalize_iban(value)
    if not iban.startswith("SA"):
        raise ValidationError(
            _("Enter a Saudi IBAN: it starts with SA."),
            code="iban_not_saudi",
        )
    if not _SAUDI_IBAN.fullmatch(iban):
        raise ValidationError(
            _("A Saudi IBAN has 24 characters: SA followed by 22 digits and letters."),
            code="iban_format",
        )
    try:
        stdnum_iban.validate(iban)
    except StdnumValidationError as exc:
        raise ValidationError(
            _("This IBAN is not valid: its check digits do not match. Check for a typing error."),
            code="iban_checksum",
        ) from exc
    return iban


# --- Addresses and dates -----------------------------------------------------------------------


def validate_national_address_short(value: object) -> str:
    """Validate a short national address (4 letters + 4 digits, e.g. RRRD2929); return it.

    The short address (العنوان المختصر) identifies a building in the Saudi Post national
    address register; it is typed in any case and with spaces, and stored uppercase.
    """
    address = _clean(value).upper()
    if not _SHORT_ADDRESS.fullmatch(address):
        raise ValidationError(
            _("A short national address has 4 Latin letters and 4 digits, e.g. RRRD2929."),
            code="invalid_short_address",
        )
    return address


def validate_not_future(value: date) -> None:
    """Refuse a birth date after today (in the project's time zone, Asia/Riyadh)."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    if day > timezone.localdate():
        raise ValidationError(_("The birth date cannot be in the future."), code="future_date")
