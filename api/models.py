"""Integration clients: the website, a social-media relay, an SMS or WhatsApp gateway.

A client holds neither of its secrets in readable form. The bearer token is `<key>.<secret>`:
the key finds the row, and only a SHA-256 of the whole token is stored, compared in constant
time. The webhook signing secret is derived from SECRET_KEY and a random salt kept on the row
(api.credentials), so a copy of the database alone cannot forge a webhook. Both are shown once,
when issued, and can only be replaced, never read again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import PublicIdModel
from inbox.models import Source

# The endpoint (URL name) each kind of client posts to; e-mail arrives by other means.
ENDPOINTS = {
    Source.WEB_FORM: "api:contact_form",
    Source.SOCIAL: "api:webhook_social",
    Source.SMS: "api:webhook_sms",
    Source.WHATSAPP: "api:webhook_whatsapp",
}


class ApiClient(PublicIdModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    source = models.CharField(
        _("posts as"),
        max_length=10,
        choices=Source.choices,
        help_text=_("The one kind of message this client may send."),
    )
    channel = models.ForeignKey(
        "core.Channel",
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The channel (policy P4) its messages are filed under."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive client is refused.")
    )
    key = models.CharField(_("key"), max_length=16, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, editable=False)
    secret_salt = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    credentials_issued_at = models.DateTimeField(
        _("credentials issued at"), default=timezone.now, editable=False
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in ENDPOINTS]),
                name="api_client_source_posts_by_api",
            ),
            models.CheckConstraint(
                condition=~Q(key="") & ~Q(token_hash="") & ~Q(secret_salt=""),
                name="api_client_has_credentials",
            ),
        ]

    def __str__(self) -> str:
        return self.name
