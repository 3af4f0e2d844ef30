"""One-time codes: expiry, attempts, rate limits, lockout and the same answer for everyone."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from core.models import ActivityLog
from notify.models import Message
from portal import otp
from portal.models import OneTimeCode, Purpose

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The services' messages are matched in English here (the msgids); the pages below are
    checked in Arabic, as the beneficiary reads them."""
    with translation.override("en"):
        yield


def _issue(beneficiary, *, typed=None, ip="10.0.0.1"):
    return otp.otp_issue(
        purpose=Purpose.LOGIN,
        typed=typed or (beneficiary.id_number if beneficiary else "1000000008"),
        beneficiary=beneficiary,
        ip_address=ip,
    )


def _sent_code(row) -> str:
    body = Message.objects.get(idempotency_key=f"portal.otp:{row.public_id}").body
    return re.search(r"\d{6}", body).group(0)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_it_sends_the_code_to_the_mobile_on_file_only(applicant):
    row = _issue(applicant)
    message = Message.objects.get(idempotency_key=f"portal.otp:{row.public_id}")
    assert message.recipient == applicant.mobile
    assert applicant.id_number not in message.body
    # Neither the identity number nor the code is stored readable.
    assert applicant.id_number not in row.lookup_key
    assert _sent_code(row) not in row.code_hash


def test_it_accepts_the_right_code_once(applicant):
    row = _issue(applicant)
    code = _sent_code(row)
    assert otp.otp_verify(challenge=row, code=code, purpose=Purpose.LOGIN).verified_at
    with pytest.raises(ValidationError, match="already been used"):
        otp.otp_verify(challenge=row, code=code, purpose=Purpose.LOGIN)


def test_it_accepts_arabic_indic_digits(applicant):
    row = _issue(applicant)
    arabic = _sent_code(row).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert otp.otp_verify(challenge=row, code=arabic, purpose=Purpose.LOGIN).verified_at


def test_it_refuses_an_expired_code(applicant):
    row = _issue(applicant)
    past = timezone.now() - timedelta(minutes=6)
    OneTimeCode.objects.filter(pk=row.pk).update(
        created_at=past, expires_at=past + timedelta(minutes=5)
    )
    with pytest.raises(ValidationError, match="expired"):
        otp.otp_verify(challenge=row, code=_sent_code(row), purpose=Purpose.LOGIN)


def test_it_refuses_a_code_for_another_purpose(applicant):
    row = _issue(applicant)
    with pytest.raises(ValidationError, match="not for this step"):
        otp.otp_verify(challenge=row, code=_sent_code(row), purpose=Purpose.SIGN)


def test_it_counts_wrong_codes_and_then_refuses_even_the_right_one(applicant, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "PORTAL": {**settings.MUSTAFID["PORTAL"]}}
    settings.MUSTAFID["PORTAL"]["OTP_MAX_ATTEMPTS"] = 3
    row = _issue(applicant)
    code = _sent_code(row)
    for left in (2, 1):
        with pytest.raises(ValidationError, match=f"{left} attempt"):
            otp.otp_verify(challenge=row, code=_wrong(code), purpose=Purpose.LOGIN)
    with pytest.raises(ValidationError, match="Too many attempts"):
        otp.otp_verify(challenge=row, code=_wrong(code), purpose=Purpose.LOGIN)
    with pytest.raises(ValidationError, match="Too many attempts"):
        otp.otp_verify(challenge=row, code=code, purpose=Purpose.LOGIN)
    row.refresh_from_db()
    assert (row.attempts, row.failures, row.verified_at) == (3, 3, None)


def test_it_limits_codes_per_number_per_hour_registered_or_not(applicant, settings):
    limit = settings.MUSTAFID["PORTAL"]["OTP_PER_NUMBER_PER_HOUR"]
    for beneficiary in (applicant, None):
        typed = applicant.id_number if beneficiary else "1000000008"
        for i in range(limit):
            _issue(beneficiary, typed=typed, ip=f"10.0.1.{i}")
        with pytest.raises(ValidationError, match="Too many codes"):
            _issue(beneficiary, typed=typed, ip="10.0.2.1")
    # An hour later the number may ask again.
    OneTimeCode.objects.update(
        created_at=timezone.now() - timedelta(minutes=61),
        expires_at=timezone.now() - timedelta(minutes=56),
    )
    _issue(applicant, ip="10.0.2.1")


def test_it_limits_codes_per_address(applicant, other_applicant, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "PORTAL": {**settings.MUSTAFID["PORTAL"]}}
    settings.MUSTAFID["PORTAL"]["OTP_PER_ADDRESS_PER_HOUR"] = 3
    for typed in ("1000000008", "2000000006", "1234567897"):
        _issue(None, typed=typed, ip="10.9.9.9")
    with pytest.raises(ValidationError, match="Too many codes"):
        _issue(other_applicant, ip="10.9.9.9")
    _issue(other_applicant, ip="10.9.9.10")


def test_it_locks_a_number_after_too_many_wrong_codes(applicant, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "PORTAL": {**settings.MUSTAFID["PORTAL"]}}
    settings.MUSTAFID["PORTAL"].update(LOCK_AFTER_FAILURES=4, OTP_MAX_ATTEMPTS=2)
    for _ in range(2):
        row = _issue(applicant)
        for _ in range(2):
            with pytest.raises(ValidationError):
                otp.otp_verify(challenge=row, code=_wrong(_sent_code(row)), purpose=Purpose.LOGIN)
    with pytest.raises(ValidationError, match="try again after"):
        _issue(applicant)
    # Locked for the number, not for the person's neighbour at the same address.
    assert _issue(None, typed="2000000006")


def test_a_locked_number_cannot_use_a_code_it_already_has(applicant, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "PORTAL": {**settings.MUSTAFID["PORTAL"]}}
    settings.MUSTAFID["PORTAL"].update(LOCK_AFTER_FAILURES=2)
    good = _issue(applicant)
    bad = _issue(applicant)
    for _ in range(2):
        with pytest.raises(ValidationError):
            otp.otp_verify(challenge=bad, code=_wrong(_sent_code(bad)), purpose=Purpose.LOGIN)
    with pytest.raises(ValidationError, match="try again after"):
        otp.otp_verify(challenge=good, code=_sent_code(good), purpose=Purpose.LOGIN)


def test_an_unregistered_number_never_verifies(db):
    row = _issue(None)
    assert not Message.objects.exists()
    for code in ("000000", "123456"):
        with pytest.raises(ValidationError, match="not correct"):
            otp.otp_verify(challenge=row, code=code, purpose=Purpose.LOGIN)


# --- The pages ----------------------------------------------------------------------------


def _sign_in(client, beneficiary, next_url=""):
    url = reverse("portal:login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"identity": beneficiary.id_number, "next": next_url})
    row = OneTimeCode.objects.latest("created_at")
    return client.post(response.url, {"code": _sent_code(row), "next": next_url})


def test_the_login_page_shows_a_limit_at_the_field(client, applicant, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "PORTAL": {**settings.MUSTAFID["PORTAL"]}}
    settings.MUSTAFID["PORTAL"]["OTP_PER_NUMBER_PER_HOUR"] = 1
    client.post(reverse("portal:login"), {"identity": applicant.id_number})
    response = client.post(reverse("portal:login"), {"identity": applicant.id_number})
    assert response.status_code == 200
    assert "طُلبت رموز كثيرة" in str(response.context["form"].errors["identity"])


def test_the_login_page_refuses_letters_at_the_field(client, db):
    response = client.post(reverse("portal:login"), {"identity": "١٠٠-#"})
    assert response.status_code == 200
    assert response.context["form"].errors["identity"]
    assert not OneTimeCode.objects.exists()


def test_a_wrong_code_is_shown_at_the_field(client, applicant):
    response = client.post(reverse("portal:login"), {"identity": applicant.id_number})
    page = client.post(response.url, {"code": "12345"})
    assert "ستة أرقام" in str(page.context["form"].errors["code"])
    row = OneTimeCode.objects.get()
    page = client.post(response.url, {"code": _wrong(_sent_code(row))})
    assert "غير صحيح" in str(page.context["form"].errors["code"])
    assert client.get(reverse("portal:home")).status_code == 302


def test_an_unknown_challenge_is_404(client, db):
    url = reverse("portal:login_code", args=["6f1c1f1e-0000-4000-8000-000000000000"])
    assert client.get(url).status_code == 404


def test_sign_in_then_consent_then_home(client, applicant):
    response = _sign_in(client, applicant)
    assert response.url == reverse("portal:home")
    assert ActivityLog.objects.filter(action="portal.signed_in", target_id=str(applicant.pk))
    consent_url = client.get(reverse("portal:home")).url
    assert consent_url.startswith(reverse("portal:consent"))
    page = client.post(consent_url, {})
    assert page.context["form"].errors["agree"]
    response = client.post(consent_url, {"agree": "on"})
    assert response.url == reverse("portal:home")
    consent = applicant.consents.get()
    assert consent.recorded_by is None
    assert consent.channel.code == "website"
    assert ActivityLog.objects.filter(action="beneficiaries.consent.recorded").exists()
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    assert applicant.first_name in home.content.decode()
    assert home["Cache-Control"].startswith("max-age=0")


def test_it_goes_back_where_the_person_was_going_but_never_off_site(client, applicant):
    target = reverse("portal:requests")
    assert _sign_in(client, applicant, target).url == target
    client.post(reverse("portal:logout"))
    assert _sign_in(client, applicant, "https://evil.example/").url == reverse("portal:home")


def test_the_session_expires_when_idle(portal_client, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "PORTAL": {**settings.MUSTAFID["PORTAL"]}}
    assert portal_client.get(reverse("portal:home")).status_code == 200
    settings.MUSTAFID["PORTAL"]["IDLE_SECONDS"] = -1
    response = portal_client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_logout_is_post_only_and_ends_the_session(portal_client):
    assert portal_client.get(reverse("portal:logout")).status_code == 405
    portal_client.post(reverse("portal:logout"))
    assert portal_client.get(reverse("portal:home")).status_code == 302


def test_forms_need_the_csrf_token(applicant):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("portal:login"), {"identity": applicant.id_number})
    assert response.status_code == 403
    assert not OneTimeCode.objects.exists()


def test_a_staff_sign_in_is_not_a_portal_sign_in(client, officer):
    client.force_login(officer)
    assert client.get(reverse("portal:home")).status_code == 302


def test_the_timeline_says_the_beneficiary_did_it_on_the_portal(client, applicant):
    from core.activity import describe

    _sign_in(client, applicant)
    client.post(reverse("portal:consent"), {"agree": "on"})
    entry = ActivityLog.objects.get(action="beneficiaries.consent.recorded")
    assert entry.actor is None and entry.data["via"] == "portal"
    with translation.override("en"):
        assert describe(entry).startswith("The beneficiary, on the portal recorded consent")
