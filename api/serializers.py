"""What each endpoint accepts and answers. Field limits match the columns they end up in, so
a message that passes here is stored as sent (nothing is cut)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from contact.models import Platform
from core.validators import normalize_phone
from inbox.models import InboundItem

MESSAGE_MAX = 5000


class StrictCharField(serializers.CharField):
    """A JSON string and nothing else: DRF would turn 0 or 4.5 into "0" and "4.5", and a
    sender whose text arrives as a number has a bug we should tell them about."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class InboundSerializer(serializers.Serializer):
    """A message as one endpoint receives it. `INBOUND` names, for each API field, the
    argument of inbox.services.inbound_receive it becomes (and, read backwards, the API field
    a service error belongs to)."""

    INBOUND: dict[str, str] = {}

    def validate_phone(self, value: str) -> str:
        if not value:
            return ""
        try:
            return normalize_phone(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def inbound_fields(self) -> dict:
        return {self.INBOUND[name]: value for name, value in self.validated_data.items()}


class ContactFormSerializer(InboundSerializer):
    INBOUND = {
        "submission_id": "external_id",
        "name": "sender_name",
        "phone": "sender_phone",
        "email": "sender_email",
        "subject": "subject",
        "message": "body",
    }

    submission_id = StrictCharField(
        max_length=100, help_text="The website's own id for the submission (idempotency key)."
    )
    name = StrictCharField(max_length=150)
    phone = StrictCharField(
        max_length=32, required=False, allow_blank=True, help_text="Saudi or international."
    )
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    subject = StrictCharField(max_length=200, required=False, allow_blank=True)
    message = StrictCharField(max_length=MESSAGE_MAX)

    def validate(self, data: dict) -> dict:
        if not data.get("phone") and not data.get("email"):
            raise serializers.ValidationError(
                {"phone": [_("Give a phone number or an e-mail address, so we can answer.")]}
            )
        return data


class SocialMessageSerializer(InboundSerializer):
    INBOUND = {
        "message_id": "external_id",
        "platform": "platform",
        "handle": "sender_handle",
        "name": "sender_name",
        "phone": "sender_phone",
        "text": "body",
    }

    message_id = StrictCharField(
        max_length=100, help_text="The platform's id for the message (idempotency key)."
    )
    platform = serializers.ChoiceField(choices=Platform.choices)
    handle = StrictCharField(max_length=100, help_text="The sender's account, e.g. @name.")
    name = StrictCharField(max_length=150, required=False, allow_blank=True)
    phone = StrictCharField(max_length=32, required=False, allow_blank=True)
    text = StrictCharField(max_length=MESSAGE_MAX)


class PhoneMessageSerializer(InboundSerializer):
    """An SMS or WhatsApp message: the sender is a phone number."""

    INBOUND = {
        "message_id": "external_id",
        "phone": "sender_phone",
        "name": "sender_name",
        "text": "body",
    }

    message_id = StrictCharField(
        max_length=100, help_text="The gateway's id for the message (idempotency key)."
    )
    phone = StrictCharField(max_length=32, help_text="The sender's number.")
    name = StrictCharField(
        max_length=150, required=False, allow_blank=True, help_text="A WhatsApp profile name."
    )
    text = StrictCharField(max_length=MESSAGE_MAX)


class ReceiptSerializer(serializers.ModelSerializer):
    """The answer: the stored item's id and time (the same on a repeated delivery)."""

    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = InboundItem
        fields = ["id", "received_at"]
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the caller's language.")
    code = serializers.CharField(help_text="A stable code, e.g. `signature_invalid`.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors: field name → messages.",
    )
