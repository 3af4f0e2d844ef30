"""Tests of the identity, phone, IBAN and address validators (DOMAIN.md §1, §2, §5)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from core.validators import (
    luhn_ok,
    mask_identity,
    normalize_iban,
    normalize_identity_number,
    normalize_phone,
    normalize_saudi_mobile,
    sms_number,
    validate_national_address_short,
    validate_not_future,
    validate_saudi_iban,
    validate_saudi_identity,
)

VALID_IDS = ["1000000008", "2000000006", "1234567897", "2100000005", "1012345672", "٢٠٠٠٠٠٠٠٠٦"]
INVALID_IDS = ["1000000000", "1234567890", "1111111111", "3000000004", "100000000", "10000000O8"]


def _id_type(number: str) -> str:
    return "iqama" if number.startswith("2") else "national_id"


def _error_code(func, *args) -> str:
    with pytest.raises(ValidationError) as info:
        func(*args)
    return info.value.code


# --- Identity numbers --------------------------------------------------------------------------


@pytest.mark.parametrize("raw", VALID_IDS)
def test_domain_valid_ids(raw: str) -> None:
    number = normalize_identity_number(raw)
    assert luhn_ok(number)
    assert validate_saudi_identity(raw, _id_type(number)) == number


@pytest.mark.parametrize("raw", INVALID_IDS)
def test_domain_invalid_ids(raw: str) -> None:
    for id_type in ("national_id", "iqama"):
        with pytest.raises(ValidationError):
            validate_saudi_identity(raw, id_type)


def test_arabic_digits_and_spaces_are_normalised() -> None:
    assert validate_saudi_identity("٢٠٠٠٠٠٠٠٠٦", "iqama") == "2000000006"
    assert validate_saudi_identity(" 1000 000 008 ", "national_id") == "1000000008"
    assert validate_saudi_identity("1000-000-008", "national_id") == "1000000008"
    assert normalize_identity_number("۱۰۰۰۰۰۰۰۰۸") == "1000000008"


def test_identity_error_codes_are_distinct() -> None:
    assert _error_code(validate_saudi_identity, "100000000", "national_id") == (
        "invalid_identity_format"
    )
    assert _error_code(validate_saudi_identity, "10000000O8", "national_id") == (
        "invalid_identity_format"
    )
    # 3000000004 passes Luhn: only the prefix is wrong.
    assert luhn_ok("3000000004")
    assert _error_code(validate_saudi_identity, "3000000004", "national_id") == (
        "invalid_identity_prefix"
    )
    # A valid Iqama is not a national ID, and the other way round.
    assert _error_code(validate_saudi_identity, "2000000006", "national_id") == (
        "invalid_identity_prefix"
    )
    assert _error_code(validate_saudi_identity, "1000000008", "iqama") == (
        "invalid_identity_prefix"
    )
    assert _error_code(validate_saudi_identity, "1000000000", "national_id") == (
        "invalid_identity_checksum"
    )


def test_identity_messages_differ_per_failure() -> None:
    messages = set()
    for raw in ("100000000", "2000000006", "1000000000"):
        with pytest.raises(ValidationError) as info:
            validate_saudi_identity(raw, "national_id")
        messages.add(str(info.value.messages[0]))
    assert len(messages) == 3


def test_other_documents_are_free_format_without_checksum() -> None:
    assert validate_saudi_identity("a1234567", "passport") == "A1234567"
    assert validate_saudi_identity("3000000000", "border_number") == "3000000000"
    assert _error_code(validate_saudi_identity, "A12", "passport") == "invalid_document_number"
    assert _error_code(validate_saudi_identity, "A" * 21, "passport") == ("invalid_document_number")
    assert _error_code(validate_saudi_identity, "AB#1234", "passport") == (
        "invalid_document_number"
    )


def test_luhn_refuses_non_digits() -> None:
    assert not luhn_ok("")
    assert not luhn_ok("10000000O8")
    assert not luhn_ok("١٠٠٠٠٠٠٠٠٨")  # callers normalise first


def test_mask_identity() -> None:
    assert mask_identity("1000000008") == "1*******08"
    assert mask_identity("٢٠٠٠٠٠٠٠٠٦") == "2*******06"
    assert mask_identity("") == ""
    assert mask_identity("123") == "***"


@given(st.sampled_from("12"), st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_exactly_one_check_digit_validates(prefix: str, body: str) -> None:
    # The nine digits before the check digit: the prefix and eight random digits.
    stem = prefix + body
    valid = [d for d in "0123456789" if luhn_ok(stem + d)]
    assert len(valid) == 1
    id_type = "national_id" if prefix == "1" else "iqama"
    assert validate_saudi_identity(stem + valid[0], id_type) == stem + valid[0]


@given(
    st.sampled_from("12"),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.integers(min_value=0, max_value=9),
    st.integers(min_value=1, max_value=9),
)
def test_changing_any_single_digit_invalidates(
    prefix: str, body: str, index: int, delta: int
) -> None:
    stem = prefix + body
    check = next(d for d in "0123456789" if luhn_ok(stem + d))
    number = stem + check
    changed = number[:index] + str((int(number[index]) + delta) % 10) + number[index + 1 :]
    assert changed != number
    assert not luhn_ok(changed)
    id_type = "national_id" if prefix == "1" else "iqama"
    with pytest.raises(ValidationError):
        validate_saudi_identity(changed, id_type)


# --- Phones ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "0501234567",
        "501234567",
        "966501234567",
        "+966501234567",
        "00966501234567",
        "٠٥٠١٢٣٤٥٦٧",
        "+٩٦٦٥٠١٢٣٤٥٦٧",
        "050 123 4567",
        "\u200f050-123-4567",
    ],
)
def test_all_mobile_forms_give_the_same_e164(raw: str) -> None:
    assert normalize_saudi_mobile(raw) == "+966501234567"


@pytest.mark.parametrize(
    "raw",
    [
        "0521234567",  # 052 is not an allocated mobile prefix
        "+966521234567",
        "0114123456",  # Riyadh landline
        "+971501234567",  # UAE mobile
        "05012345",
        "05012345678",
        "",
        "not a phone",
    ],
)
def test_invalid_mobiles_are_refused(raw: str) -> None:
    assert _error_code(normalize_saudi_mobile, raw) == "invalid_mobile"


def test_normalize_phone_accepts_landlines_and_international() -> None:
    assert normalize_phone("011 412 3456") == "+966114123456"
    assert normalize_phone("٠٥٥١٢٣٤٥٦٧") == "+966551234567"
    assert normalize_phone("+971 50 123 4567") == "+971501234567"
    assert normalize_phone("00447911123456") == "+447911123456"
    assert _error_code(normalize_phone, "0521234567") == "invalid_phone"
    assert _error_code(normalize_phone, "123") == "invalid_phone"


def test_sms_number() -> None:
    assert sms_number("+966501234567") == "966501234567"
    assert sms_number("0501234567") == "966501234567"


# --- IBAN --------------------------------------------------------------------------------------

VALID_IBAN = "SA0380000000608010167519"


def test_valid_iban() -> None:
    assert validate_saudi_iban(VALID_IBAN) == VALID_IBAN
    assert validate_saudi_iban("sa03 8000 0000 6080 1016 7519") == VALID_IBAN
    assert validate_saudi_iban("SA٠٣٨٠٠٠٠٠٠٠٦٠٨٠١٠١٦٧٥١٩") == VALID_IBAN
    assert normalize_iban(" sa03 8000 ") == "SA038000"


def test_iban_wrong_check_digits() -> None:
    assert _error_code(validate_saudi_iban, "SA0480000000608010167519") == "iban_checksum"
    # One mistyped account digit.
    assert _error_code(validate_saudi_iban, "SA0380000000608010167518") == "iban_checksum"


def test_iban_wrong_length_or_country() -> None:
    assert _error_code(validate_saudi_iban, VALID_IBAN[:-1]) == "iban_format"
    assert _error_code(validate_saudi_iban, VALID_IBAN + "0") == "iban_format"
    assert _error_code(validate_saudi_iban, "GB82WEST12345698765432") == "iban_not_saudi"
    assert _error_code(validate_saudi_iban, "") == "iban_not_saudi"


def test_iban_messages_differ() -> None:
    messages = set()
    for raw in ("GB82WEST12345698765432", VALID_IBAN[:-1], "SA0480000000608010167519"):
        with pytest.raises(ValidationError) as info:
            validate_saudi_iban(raw)
        messages.add(str(info.value.messages[0]))
    assert len(messages) == 3


# --- Address and dates -------------------------------------------------------------------------


def test_short_national_address() -> None:
    assert validate_national_address_short("rrrd2929") == "RRRD2929"
    assert validate_national_address_short("RRRD ٢٩٢٩") == "RRRD2929"
    for raw in ("RRR2929", "RRRD292", "12342929", "RRRDD2929", ""):
        assert _error_code(validate_national_address_short, raw) == "invalid_short_address"


def test_not_future() -> None:
    today = timezone.localdate()
    validate_not_future(today)
    validate_not_future(date(1920, 1, 1))
    assert _error_code(validate_not_future, today + timedelta(days=1)) == "future_date"
