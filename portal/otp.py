"""One-time codes by SMS: the portal's sign-in, the status lookup by reference and the
applicant's signature all go through `otp_issue` and `otp_verify`.

Limits are counted on `OneTimeCode` rows in the database rather than in the cache: the rows
must exist anyway (to verify a code), every app process sees the same counts, and a restart
or a cache eviction cannot reset an attacker's budget. django-axes, which guards staff sign-in,
counts failed passwords for users that exist; here there is no password and no user.

Nothing in an answer depends on whether the number typed is registered: an unregistered
number gets a row with a code nobody receives, the same limits and the same messages.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from beneficiaries.models import Beneficiary
from notify.services import message_enqueue
from portal.models import OneTimeCode, Purpose, keyed_hash


@dataclass(frozen=True)
class Limits:
    ttl: timedelta
    max_attempts: int
    per_key_per_hour: int
    per_address_per_hour: int
    lock_after_failures: int
    lock_for: timedelta


def limits() -> Limits:
    conf = settings.MUSTAFID["PORTAL"]
    return Limits(
        ttl=timedelta(seconds=conf["OTP_TTL_SECONDS"]),
        max_attempts=conf["OTP_MAX_ATTEMPTS"],
        per_key_per_hour=conf["OTP_PER_NUMBER_PER_HOUR"],
        per_address_per_hour=conf["OTP_PER_ADDRESS_PER_HOUR"],
        lock_after_failures=conf["LOCK_AFTER_FAILURES"],
        lock_for=timedelta(seconds=conf["LOCK_SECONDS"]),
    )


def lookup_key(purpose: str, typed: str) -> str:
    return keyed_hash(f"{purpose}:{typed.strip().upper()}")


def _locked_until(key: str, now: datetime, conf: Limits) -> datetime | None:
    """Locked while the codes asked for this number within the lock period have been
    mistyped `lock_after_failures` times or more in total."""
    since = now - conf.lock_for
    rows = list(
        OneTimeCode.objects.filter(lookup_key=key, created_at__gte=since, failures__gt=0)
        .order_by("created_at")
        .values_list("created_at", "failures")
    )
    if sum(f for _, f in rows) < conf.lock_after_failures:
        return None
    return rows[-1][0] + conf.lock_for


def _refuse_if_locked(key: str, now: datetime, conf: Limits, field: str) -> None:
    until = _locked_until(key, now, conf)
    if until is not None:
        raise ValidationError(
            {
                field: _("Too many wrong codes. For your protection, try again after %(time)s.")
                % {"time": time_format(timezone.localtime(until), "H:i")}
            }
        )


def _too_many(field: str) -> ValidationError:
    return ValidationError(
        {field: _("Too many codes were requested. Please wait an hour and try again.")}
    )


@transaction.atomic
def otp_issue(
    *,
    purpose: str,
    typed: str,
    beneficiary: Beneficiary | None,
    ip_address: str | None,
    subject_id: str = "",
    field: str = "identity",
) -> OneTimeCode:
    """Write a code row and, when `beneficiary` is known, queue the code by SMS to the mobile
    on file (sent by the worker after commit). `typed` is what the person entered (identity
    number or reference); limits count per typed value and per address whether or not it
    matched anyone. Raises ValidationError on `field` when a limit or the lock applies.
    Logs nothing on the timeline: a sign-in is logged when it succeeds."""
    conf = limits()
    now = timezone.now()
    key = lookup_key(purpose, typed)
    _refuse_if_locked(key, now, conf, field)
    hour_ago = now - timedelta(hours=1)
    if OneTimeCode.objects.filter(lookup_key=key, created_at__gte=hour_ago).count() >= (
        conf.per_key_per_hour
    ):
        raise _too_many(field)
    if ip_address and (
        OneTimeCode.objects.filter(ip_address=ip_address, created_at__gte=hour_ago).count()
        >= conf.per_address_per_hour
    ):
        raise _too_many(field)
    code = f"{secrets.randbelow(10**6):06d}"
    row = OneTimeCode(
        purpose=purpose,
        lookup_key=key,
        beneficiary=beneficiary,
        subject_id=subject_id,
        ip_address=ip_address,
        created_at=now,
        expires_at=now + conf.ttl,
    )
    row.code_hash = keyed_hash(f"{row.public_id}:{code}")
    row.save()
    if beneficiary is not None:
        message_enqueue(
            channel="sms",
            recipient=beneficiary.mobile,
            template_code="portal.otp",
            context={"code": code, "minutes": int(conf.ttl.total_seconds() // 60)},
            idempotency_key=f"portal.otp:{row.public_id}",
        )
    return row


def otp_verify(*, challenge: OneTimeCode, code: str, purpose: str) -> OneTimeCode:
    """Check a code typed for `challenge`. Returns the row, now used, on success; raises
    ValidationError on "code" otherwise. A failed try is counted (and committed) before the
    error is raised, so retries cannot escape the attempt limit and the lock."""
    conf = limits()
    code = (code or "").strip().translate(_DIGITS)
    error = None
    with transaction.atomic():
        row = OneTimeCode.objects.select_for_update().get(pk=challenge.pk)
        now = timezone.now()
        locked = _locked_until(row.lookup_key, now, conf)
        if row.purpose != purpose:
            error = _("This code is not for this step. Ask for a new code.")
        elif row.verified_at is not None:
            error = _("This code has already been used. Ask for a new code.")
        elif locked is not None:
            error = _("Too many wrong codes. For your protection, try again after %(time)s.") % {
                "time": time_format(timezone.localtime(locked), "H:i")
            }
        elif row.expires_at <= now:
            error = _("The code has expired. Ask for a new code.")
        elif row.attempts >= conf.max_attempts:
            error = _("Too many attempts with this code. Ask for a new code.")
        else:
            row.attempts += 1
            if row.beneficiary_id is not None and code.isdigit() and row.matches(code):
                row.verified_at = now
                row.save(update_fields=["attempts", "verified_at"])
                return row
            row.failures += 1
            row.save(update_fields=["attempts", "failures"])
            left = conf.max_attempts - row.attempts
            error = (
                ngettext(
                    "The code is not correct. %(left)d attempt left.",
                    "The code is not correct. %(left)d attempts left.",
                    left,
                )
                % {"left": left}
                if left
                else _("Too many attempts with this code. Ask for a new code.")
            )
    raise ValidationError({"code": error})


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def challenge_for(public_id, *, purpose: str) -> OneTimeCode | None:
    """The pending challenge a page refers to, or None (an unknown id is a 404 for the view)."""
    return OneTimeCode.objects.filter(public_id=public_id, purpose=purpose).first()


__all__ = ["Purpose", "challenge_for", "limits", "lookup_key", "otp_issue", "otp_verify"]
