"""The portal's own data: one-time codes. Everything else a beneficiary sees or does on the
portal lives in the feature apps and is reached through their selectors and services."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import PublicIdModel


class Purpose(models.TextChoices):
    LOGIN = "login", _("Sign in")
    STATUS = "status", _("Request status")
    SIGN = "sign", _("Signing the declaration")


def keyed_hash(value: str) -> str:
    """A keyed digest, so a stored identity number or code cannot be read back or guessed
    offline from the table (a national ID is personal data, DOMAIN.md §1)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class OneTimeCode(PublicIdModel):
    """A code sent by SMS to the mobile on file. A row is written for every attempt to get a
    code, also for a number that is not registered (then `beneficiary` is empty and nothing is
    sent), so the rate limits count every try and the answer never reveals who is registered.
    """

    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    # Keyed hash of what the person typed: an identity number, or a request reference.
    lookup_key = models.CharField(max_length=64)
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # What the code unlocks beyond the person: the request it confirms a status or signature for.
    subject_id = models.CharField(max_length=64, blank=True)
    code_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    failures = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [
            # The rate limits: codes asked for one number, or from one address, lately.
            models.Index(fields=["lookup_key", "created_at"], name="otp_key_idx"),
            models.Index(fields=["ip_address", "created_at"], name="otp_ip_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="otp_expires_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def matches(self, code: str) -> bool:
        return hmac.compare_digest(self.code_hash, keyed_hash(f"{self.public_id}:{code}"))
