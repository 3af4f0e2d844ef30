"""The integration endpoints. Each one stores the message as an inbox item in the request
itself — a few indexed reads and one INSERT, no worker — and answers 201 with the item's id,
or 200 with the same id when the sender delivers a message it already delivered.

The body is read raw, once: the signature is checked over exactly those bytes, and the same
bytes are parsed and kept as the item's payload.
"""

from __future__ import annotations

import json
import math

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api import credentials
from api.authentication import ApiClientAuthentication
from api.errors import PayloadTooLarge
from api.permissions import IsApiClient, PostsAsViewSource
from api.serializers import (
    ContactFormSerializer,
    ErrorSerializer,
    InboundSerializer,
    PhoneMessageSerializer,
    ReceiptSerializer,
    SocialMessageSerializer,
)
from inbox.models import Source
from inbox.services import inbound_receive

MAX_BODY_BYTES = 64 * 1024
MAX_DEPTH = 20


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _refuse_constant(name: str):
    raise ValueError(name)  # NaN, Infinity: not JSON, and no database stores them


def _storable(data) -> bool:
    """No NUL and no unpaired surrogate in any string (neither database can store them), and
    no absurd nesting. Walked iteratively: the body is the attacker's."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(value, dict):
            stack.extend((k, depth + 1) for k in value)
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
        elif isinstance(value, str):
            if "\x00" in value:
                return False
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


def parse_body(body: bytes) -> dict:
    try:
        data = json.loads(body, parse_float=_finite, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise exceptions.ParseError(
            _("The body is not valid JSON (UTF-8)."), code="malformed_json"
        ) from exc
    if not isinstance(data, dict):
        raise exceptions.ParseError(_("The body must be a JSON object."), code="not_an_object")
    if not _storable(data):
        raise exceptions.ParseError(
            _("The body contains characters that cannot be stored or is nested too deeply."),
            code="unstorable",
        )
    return data


_SIGNATURE_ERRORS = {
    "signature_missing": gettext_lazy(
        "The webhook must be signed: send %(timestamp)s and %(signature)s."
    ),
    "timestamp_invalid": gettext_lazy("%(timestamp)s must be the time of sending in Unix seconds."),
    "timestamp_expired": gettext_lazy(
        "%(timestamp)s is more than five minutes from our clock: the delivery is refused as a "
        "possible replay. Sign it again with the current time."
    ),
    "signature_invalid": gettext_lazy("The signature does not match the body."),
}


class InboundView(APIView):
    """POST one message of `source`; `signed` views also require the HMAC headers."""

    source: str = ""
    signed: bool = False
    serializer_class: type[InboundSerializer]
    authentication_classes = [ApiClientAuthentication]
    permission_classes = [IsApiClient, PostsAsViewSource]
    # Documents the accepted media type; the view parses the raw bytes itself.
    parser_classes = [JSONParser]

    def initial(self, request, *args, **kwargs):
        # Refused before anything reads the body or touches the database.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            raise self._too_large()
        super().initial(request, *args, **kwargs)

    @staticmethod
    def _too_large() -> PayloadTooLarge:
        return PayloadTooLarge(
            _("The body is larger than %(limit)d KiB.") % {"limit": MAX_BODY_BYTES // 1024}
        )

    def _check_signature(self, request, body: bytes) -> None:
        try:
            credentials.verify(
                request.auth,
                timestamp=request.headers.get(credentials.TIMESTAMP_HEADER, ""),
                signature=request.headers.get(credentials.SIGNATURE_HEADER, ""),
                body=body,
            )
        except credentials.SignatureError as exc:
            message = _SIGNATURE_ERRORS[exc.code] % {
                "timestamp": credentials.TIMESTAMP_HEADER,
                "signature": credentials.SIGNATURE_HEADER,
            }
            raise exceptions.AuthenticationFailed(message, code=exc.code) from exc

    def post(self, request, *args, **kwargs):
        body = request.body
        if len(body) > MAX_BODY_BYTES:  # a body sent without Content-Length
            raise self._too_large()
        if self.signed:
            self._check_signature(request, body)
        data = parse_body(body)
        serializer = self.serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        client = request.auth
        fields = serializer.inbound_fields()
        # Message ids are unique per sender, not across senders: two SMS gateways may both
        # use "1001", so the id is kept under the client's own prefix.
        fields["external_id"] = f"{client.pk}:{fields['external_id']}"
        try:
            item, created = inbound_receive(
                source=self.source, channel_code=client.channel.code, payload=data, **fields
            )
        except DjangoValidationError as exc:
            # Reported by model field; the sender knows the API's names.
            api_name = {arg: name for name, arg in serializer.INBOUND.items()}
            raise exceptions.ValidationError(
                {api_name.get(k, k): v for k, v in exc.message_dict.items()}
            ) from exc
        return Response(
            ReceiptSerializer(item).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


_RESPONSES = {
    201: OpenApiResponse(ReceiptSerializer, "Stored as a new inbox item."),
    200: OpenApiResponse(
        ReceiptSerializer, "Already received (same sender's id): the same item, nothing new."
    ),
    400: OpenApiResponse(ErrorSerializer, "Malformed JSON or invalid fields (see `errors`)."),
    401: OpenApiResponse(
        ErrorSerializer,
        "No token, a wrong token, an inactive client, or (webhooks) a missing, wrong or "
        "expired signature. Nothing was stored.",
    ),
    403: OpenApiResponse(ErrorSerializer, "The client may not send this kind of message."),
    413: OpenApiResponse(ErrorSerializer, "The body is larger than 64 KiB."),
    503: OpenApiResponse(ErrorSerializer, "Temporarily unavailable; send again later."),
}
_SIGNATURE_PARAMETERS = [
    OpenApiParameter(
        credentials.TIMESTAMP_HEADER,
        str,
        OpenApiParameter.HEADER,
        required=True,
        description="Time of sending, Unix seconds. Refused when more than 5 minutes from "
        "the server's clock.",
    ),
    OpenApiParameter(
        credentials.SIGNATURE_HEADER,
        str,
        OpenApiParameter.HEADER,
        required=True,
        description="`sha256=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` keyed with the "
        "client's webhook secret.",
    ),
]


def _described(summary: str, description: str, serializer, example: dict, signed: bool):
    return extend_schema(
        summary=summary,
        description=description,
        request=serializer,
        responses=_RESPONSES,
        parameters=_SIGNATURE_PARAMETERS if signed else [],
        examples=[OpenApiExample("Example", value=example, request_only=True)],
        tags=["inbound"],
    )


class ContactFormView(InboundView):
    source = Source.WEB_FORM
    serializer_class = ContactFormSerializer

    @_described(
        "The website's contact form",
        "One submission of the contact form. 201 when stored; 200 with the same id when "
        "`submission_id` was already received. Needs a phone or an e-mail to answer on.",
        ContactFormSerializer,
        {
            "submission_id": "web-2025-000123",
            "name": "نورة عبدالله",
            "phone": "0501234567",
            "email": "",
            "subject": "استفسار عن السلة الغذائية",
            "message": "متى يبدأ توزيع السلال في رمضان؟",
        },
        signed=False,
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class SocialWebhookView(InboundView):
    source = Source.SOCIAL
    signed = True
    serializer_class = SocialMessageSerializer

    @_described(
        "A social-media message (webhook)",
        "A direct message or mention relayed from a platform. Signed; idempotent on `message_id`.",
        SocialMessageSerializer,
        {
            "message_id": "1790000000000000001",
            "platform": "x",
            "handle": "@nora_a",
            "name": "نورة",
            "text": "السلام عليكم، كيف أسجل في الوقف؟",
        },
        signed=True,
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class SmsWebhookView(InboundView):
    source = Source.SMS
    signed = True
    serializer_class = PhoneMessageSerializer

    @_described(
        "An SMS reply (webhook)",
        "A text message received by the SMS gateway. Signed; idempotent on `message_id`.",
        PhoneMessageSerializer,
        {"message_id": "sms-88213", "phone": "966501234567", "text": "تم استلام الرسالة، شكراً"},
        signed=True,
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class WhatsAppWebhookView(InboundView):
    source = Source.WHATSAPP
    signed = True
    serializer_class = PhoneMessageSerializer

    @_described(
        "A WhatsApp message (webhook)",
        "A message received on the WhatsApp Business number, relayed by the gateway. "
        "Signed; idempotent on `message_id`.",
        PhoneMessageSerializer,
        {
            "message_id": "wamid.HBgMOTY2NTAxMjM0NTY3FQIAEhgg",
            "phone": "966501234567",
            "name": "Nora",
            "text": "متى موعد الزيارة؟",
        },
        signed=True,
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
