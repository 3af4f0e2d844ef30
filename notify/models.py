"""Message templates and the outbox.

A notification is first a row in `Message`, written in the same transaction as the change it
announces; a worker sends it after commit. The row is the truth about what was sent, so a
beneficiary's timeline shows each message and its status, and nothing is lost if the queue or
a worker dies (the periodic sweep finds the row again).
"""

from __future__ import annotations

import string
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Channel(models.TextChoices):
    # The same codes as core.choices.MessageChannel, a beneficiary's preferred channel.
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


def placeholders(text: str) -> list[str]:
    """The `{names}` used in a template text; raises ValueError if the text is malformed."""
    return [field[1] for field in string.Formatter().parse(text) if field[1] is not None]


def validate_template_text(text: str) -> None:
    """Only plain `{name}` placeholders: no positional `{}`, attributes or indexes, so an
    edited template can never reach into the objects passed to it."""
    try:
        names = placeholders(text)
    except ValueError as exc:
        raise ValidationError(
            _("Braces do not match: write a placeholder as {name}, a literal brace as {{ or }}."),
            code="template_braces",
        ) from exc
    for name in names:
        if not name.isidentifier():
            raise ValidationError(
                _("“{%(name)s}” is not a valid placeholder: use a plain name such as {reference}."),
                code="template_placeholder",
                params={"name": name},
            )


class MessageTemplate(TimeStampedModel):
    """The text of one kind of notice, in Arabic and English, edited by the organisation."""

    code = models.CharField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Used by the system to find the template, e.g. request.submitted."),
    )
    channel = models.CharField(
        _("channel"),
        max_length=10,
        choices=Channel.choices,
        help_text=_("The usual channel: the text may also be sent by SMS, WhatsApp or e-mail."),
    )
    description = models.CharField(_("when it is sent"), max_length=200, blank=True)
    subject_ar = models.CharField(
        _("Arabic subject"),
        max_length=200,
        blank=True,
        validators=[validate_template_text],
        help_text=_("For e-mail; when empty, the organisation's name is the subject."),
    )
    subject_en = models.CharField(
        _("English subject"), max_length=200, blank=True, validators=[validate_template_text]
    )
    body_ar = models.TextField(
        _("Arabic text"),
        validators=[validate_template_text],
        help_text=_("Placeholders in braces, e.g. {reference}, are filled in when sent."),
    )
    body_en = models.TextField(_("English text"), blank=True, validators=[validate_template_text])
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive template sends nothing.")
    )
    quiet_hours = models.BooleanField(
        _("keep to daytime hours"),
        default=False,
        help_text=_(
            "For messages the person did not ask for (surveys, reminders, seasonal messages): "
            "one that falls in the quiet hours waits until they end."
        ),
    )
    erase_after_sending = models.BooleanField(
        _("erase the text once sent"),
        default=False,
        help_text=_(
            "For secrets such as one-time codes: the outbox keeps that the message was sent, "
            "never its text."
        ),
    )

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def texts(self, language: str) -> tuple[str, str]:
        """(subject, body) in `language`, falling back to Arabic where English is empty."""
        if language.startswith("en") and self.body_en:
            return self.subject_en or self.subject_ar, self.body_en
        return self.subject_ar, self.body_ar

    @property
    def body(self) -> str:
        return self.texts(get_language() or "ar")[1]


class Message(models.Model):
    """One notification in the outbox.

    Status moves only in `notify.services`: queued → sending → sent | failed; a failed row with
    `next_attempt_at` set is retried by the sweep, one without it has stopped for good.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(
        _("recipient"),
        max_length=254,
        blank=True,
        help_text=_("E.164 phone number or e-mail address."),
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    # Set from the template: the body is replaced by a notice once the gateway has it.
    erase_after_sending = models.BooleanField(default=False, editable=False)
    # Kept to daytime hours (the template's flag, or the caller's): never sent in the quiet
    # hours, not even on a retry; it waits until they end (notify/quiet.py).
    quiet_hours = models.BooleanField(_("keep to daytime hours"), default=False, editable=False)
    template_code = models.CharField(_("template"), max_length=60, blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        help_text=_("The same notice enqueued twice is stored and sent once."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    provider = models.CharField(_("provider"), max_length=40, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # What the message is about (a beneficiary, a request), as in core.ActivityLog's subject.
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    about_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="notify_message_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="notify_message_channel_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.SENT) | models.Q(sent_at__isnull=False),
                name="notify_message_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.SENDING) | models.Q(claimed_at__isnull=False),
                name="notify_message_sending_has_claim",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_message_due_idx"),
            models.Index(
                fields=["about_type", "about_id", "-created_at"], name="notify_message_about_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.template_code or '-'} ({self.status})"

    @property
    def will_retry(self) -> bool:
        return self.status == Status.FAILED and self.next_attempt_at is not None
