"""What arrives from outside on its own (P3.3, P4): the website's contact form, social-media
messages and SMS/WhatsApp replies, stored the moment they arrive — so nothing is lost if the
worker is down — and kept in one staff inbox until someone identifies the person and turns the
item into a ticket or a support request, or closes it.

`InboundItem.status` is assigned only in inbox.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contact.models import Platform
from core.models import PublicIdModel


class Source(models.TextChoices):
    WEB_FORM = "web_form", _("Website contact form")
    SOCIAL = "social", _("Social media")
    SMS = "sms", _("SMS reply")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")


class ItemStatus(models.TextChoices):
    NEW = "new", _("New")
    TICKET = "ticket", _("Turned into a ticket")
    REQUEST = "request", _("Turned into a support request")
    CLOSED = "closed", _("Closed")


class InboundItem(PublicIdModel):
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    channel = models.ForeignKey(
        "core.Channel", verbose_name=_("channel"), on_delete=models.PROTECT, related_name="+"
    )
    # The sender's own id for the message: a webhook delivered twice is stored once.
    external_id = models.CharField(_("sender's message id"), max_length=128)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    sender_name = models.CharField(_("name"), max_length=150, blank=True)
    sender_phone = models.CharField(_("phone"), max_length=16, blank=True)
    sender_email = models.EmailField(_("e-mail"), blank=True)
    sender_handle = models.CharField(_("account or handle"), max_length=100, blank=True)
    # Social messages only: the same platforms the contact log knows.
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    # The payload as received, minus nothing: evidence of what was said.
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ItemStatus.choices, default=ItemStatus.NEW
    )
    branch = models.ForeignKey(
        "accounts.Branch",
        verbose_name=_("branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("beneficiary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbound_items",
    )
    ticket = models.ForeignKey(
        "contact.Ticket", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    support_request = models.ForeignKey(
        "assistance.SupportRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        # public_id breaks ties between equal times: the inbox pages by (received_at,
        # public_id), so no URL carries a sequential id.
        ordering = ["-received_at", "-public_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="inbound_idempotent"),
            models.CheckConstraint(
                condition=~Q(status="ticket") | Q(ticket__isnull=False), name="inbound_ticket_set"
            ),
            models.CheckConstraint(
                condition=~Q(status="request") | Q(support_request__isnull=False),
                name="inbound_request_set",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(close_reason=""), name="inbound_closed_reason"
            ),
        ]
        indexes = [
            # The inbox: new items, newest first, optionally per branch or source. The whole
            # sort key is indexed so a keyset page is an index range that stops after one
            # page of rows, with no sort, however long the list.
            models.Index(
                fields=["status", "-received_at", "-public_id"], name="inbound_status_idx"
            ),
            models.Index(
                fields=["branch", "status", "-received_at", "-public_id"],
                name="inbound_branch_idx",
            ),
            models.Index(
                fields=["source", "status", "-received_at", "-public_id"],
                name="inbound_source_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.external_id}"
