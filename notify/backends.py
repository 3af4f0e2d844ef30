"""Sending one message through a provider.

A backend has one method, `send(message) -> provider_message_id`. It raises
`TemporaryFailure` when trying again later may work (network error, timeout, HTTP 5xx, 429) and
`PermanentFailure` when it cannot (HTTP 4xx, a refused number or address). The backend for each
channel is named by `NOTIFY_SMS_BACKEND`, `NOTIFY_WHATSAPP_BACKEND` and `NOTIFY_EMAIL_BACKEND`.

Personal data stays out of the logs: recipients are masked and bodies never logged.

Duplicates and the providers' own features (see `notify.services.message_send`):
- Unifonic: the message's public id is sent as `CorrelationID`, which Unifonic stores with the
  message and returns in its reports, so a rare duplicate can be found and reconciled; Unifonic
  does not refuse a repeated CorrelationID.
- Taqnyat: its send API has no idempotency key or correlation field.
- WhatsApp Cloud API: no idempotency key either; the public id is sent as
  `biz_opaque_callback_data`, which Meta returns in the status webhooks, for reconciliation.
- E-mail: the Message-ID header is derived from the message's public id, so a resent e-mail
  carries the same Message-ID and mail clients that de-duplicate show it once.
"""

from __future__ import annotations

import json
import logging
import smtplib
import sys
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.module_loading import import_string

from core.validators import sms_number
from notify.conf import setting

logger = logging.getLogger("notify")


class DeliveryError(Exception):
    """The provider did not accept the message. The text is stored as the row's last error."""


class TemporaryFailure(DeliveryError):
    """Trying again later may succeed."""


class PermanentFailure(DeliveryError):
    """Trying again will not help: the message stops."""


def mask_recipient(recipient: str) -> str:
    """`+9665******67` or `a***@example.org`: enough to tell messages apart in a log."""
    if "@" in recipient:
        local, domain = recipient.split("@", 1)
        return f"{local[:1]}***@{domain}"
    if len(recipient) <= 6:
        return "*" * len(recipient)
    return recipient[:5] + "*" * (len(recipient) - 7) + recipient[-2:]


class BaseBackend:
    """Subclasses set `name` (stored in Message.provider) and implement `send`."""

    name = "base"

    def send(self, message) -> str:
        raise NotImplementedError


_BACKEND_SETTINGS = {
    "sms": "NOTIFY_SMS_BACKEND",
    "whatsapp": "NOTIFY_WHATSAPP_BACKEND",
    "email": "NOTIFY_EMAIL_BACKEND",
}


def get_backend(channel: str) -> BaseBackend:
    """A new instance of the backend configured for `channel` (sms, whatsapp or email)."""
    try:
        name = _BACKEND_SETTINGS[channel]
    except KeyError:
        raise ValueError(f"unknown channel {channel!r}") from None
    return import_string(setting(name))()


# --- Development backends ------------------------------------------------------------------


class ConsoleBackend(BaseBackend):
    """Prints each message to standard output, like Django's console e-mail backend."""

    name = "console"

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def send(self, message) -> str:
        self.stream.write(
            f"--- {message.get_channel_display()} to {message.recipient}"
            f" [{message.template_code or '-'}] {message.public_id}\n"
        )
        if message.subject:
            self.stream.write(f"{message.subject}\n")
        self.stream.write(f"{message.body}\n")
        self.stream.flush()
        return f"console-{message.public_id}"


class FileBackend(BaseBackend):
    """Appends one JSON object per message to a file (`MUSTAFID_VAR_DIR/outbox.jsonl`).

    The default in development: the messages can be read, and nothing leaves the machine.
    """

    name = "file"
    _lock = threading.Lock()

    def __init__(self, path: str | Path | None = None) -> None:
        configured = path or setting("NOTIFY_FILE_PATH")
        self.path = Path(configured) if configured else Path(settings.VAR_DIR) / "outbox.jsonl"

    def send(self, message) -> str:
        record = {
            "id": str(message.public_id),
            "at": timezone.now().isoformat(),
            "channel": message.channel,
            "to": message.recipient,
            "template": message.template_code,
            "subject": message.subject,
            "body": message.body,
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
        except OSError as exc:
            raise TemporaryFailure(f"cannot write {self.path.name}: {exc.strerror}") from exc
        return f"file-{message.public_id}"


# --- E-mail ----------------------------------------------------------------------------------


class SmtpEmailBackend(BaseBackend):
    """Sends through Django's mail API, so EMAIL_BACKEND and EMAIL_HOST… apply as usual."""

    name = "email"

    def send(self, message) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        message_id = f"<{message.public_id}@{domain}>"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id},
            connection=get_connection(fail_silently=False),
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [answer[0] for answer in exc.recipients.values()]
            error = f"recipient refused ({', '.join(str(c) for c in codes)})"
            if all(400 <= code < 500 for code in codes):
                raise TemporaryFailure(error) from exc
            raise PermanentFailure(error) from exc
        except smtplib.SMTPResponseException as exc:
            error = f"SMTP {exc.smtp_code}"
            if 500 <= exc.smtp_code < 600:
                raise PermanentFailure(error) from exc
            raise TemporaryFailure(error) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"SMTP: {type(exc).__name__}") from exc
        return message_id


# --- HTTP gateways (SMS, WhatsApp) ---------------------------------------------------------


class HttpBackend(BaseBackend):
    """Shared HTTP handling: timeouts, 5xx, 408 and 429 are temporary, other 4xx permanent.

    A read timeout is ambiguous (the gateway may have accepted the message before the answer
    was lost); it is treated as temporary, preferring a rare duplicate to a lost notice.
    """

    def __init__(self) -> None:
        self.timeout = float(setting("NOTIFY_HTTP_TIMEOUT"))

    def post(self, url: str, **kwargs: Any) -> dict[str, Any]:
        import httpx

        try:
            response = httpx.post(url, timeout=self.timeout, **kwargs)
        except httpx.TimeoutException as exc:
            raise TemporaryFailure(f"{self.name}: timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise TemporaryFailure(f"{self.name}: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise self.failure(response)
        try:
            data = response.json()
        except ValueError:
            data = {}
        return data if isinstance(data, dict) else {}

    def failure(self, response) -> DeliveryError:
        """The exception for an HTTP error answer; subclasses refine it from the body."""
        detail = response.text[:300]
        error = f"{self.name}: HTTP {response.status_code} {detail}"
        if response.status_code >= 500 or response.status_code in {408, 429}:
            return TemporaryFailure(error)
        return PermanentFailure(error)

    def number(self, message) -> str:
        try:
            return sms_number(message.recipient)
        except ValidationError as exc:
            raise PermanentFailure(f"{self.name}: not a valid phone number") from exc

    def accepted_without_id(self, message) -> str:
        # The gateway said yes: resending would duplicate, so the message counts as sent.
        logger.warning("%s accepted message %s without an id", self.name, message.public_id)
        return ""


class HttpSmsBackend(HttpBackend):
    """An SMS gateway: sends from the registered sender name NOTIFY_SMS_SENDER."""

    def __init__(self) -> None:
        super().__init__()
        self.sender = setting("NOTIFY_SMS_SENDER")


class UnifonicSmsBackend(HttpSmsBackend):
    """Unifonic REST: POST {base}/rest/SMS/messages, form-encoded, answer in JSON."""

    name = "unifonic"

    def __init__(self) -> None:
        super().__init__()
        self.base_url = setting("UNIFONIC_BASE_URL").rstrip("/")
        self.app_sid = setting("UNIFONIC_APP_SID")

    def send(self, message) -> str:
        if not self.app_sid:
            raise PermanentFailure("unifonic: UNIFONIC_APP_SID is not set")
        data = self.post(
            f"{self.base_url}/rest/SMS/messages",
            data={
                "AppSid": self.app_sid,
                "SenderID": self.sender,
                "Recipient": self.number(message),
                "Body": message.body,
                "responseType": "JSON",
                "CorrelationID": str(message.public_id),
            },
            headers={"Accept": "application/json"},
        )
        if data.get("success") is False or str(data.get("success")).lower() == "false":
            code = data.get("errorCode", "")
            raise PermanentFailure(f"unifonic: {code} {data.get('message', '')}".strip())
        message_id = (data.get("data") or {}).get("MessageID")
        return str(message_id) if message_id else self.accepted_without_id(message)


class TaqnyatSmsBackend(HttpSmsBackend):
    """Taqnyat: POST {base}/v1/messages with a bearer token and a JSON body."""

    name = "taqnyat"

    def __init__(self) -> None:
        super().__init__()
        self.base_url = setting("TAQNYAT_BASE_URL").rstrip("/")
        self.token = setting("TAQNYAT_TOKEN")

    def send(self, message) -> str:
        if not self.token:
            raise PermanentFailure("taqnyat: TAQNYAT_TOKEN is not set")
        data = self.post(
            f"{self.base_url}/v1/messages",
            json={
                "recipients": [self.number(message)],
                "body": message.body,
                "sender": self.sender,
            },
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
        )
        message_id = data.get("messageId")
        return str(message_id) if message_id else self.accepted_without_id(message)


# --- WhatsApp ----------------------------------------------------------------------------------


class WhatsAppCloudBackend(HttpBackend):
    """Meta's WhatsApp Cloud API: POST {base}/{version}/{phone number id}/messages.

    A business may write first only with an approved template (DOMAIN.md §7), so every message
    goes out as one generic template, WHATSAPP_TEMPLATE_NAME, whose single body variable
    ({{1}}) carries the message's text; the texts themselves stay editable in Mustafid.

    Meta asks for errors to be judged by the `code` in the answer, not the HTTP status: its
    throttling and outage codes are retried even when they come with a 4xx status.
    """

    name = "whatsapp"

    # Throttling (4, 80007, 130429 throughput, 131056 pair rate) and service trouble
    # (1, 2, 131000, 131016, 133004): trying again later may work.
    TEMPORARY_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004})

    def __init__(self) -> None:
        super().__init__()
        self.base_url = setting("WHATSAPP_BASE_URL").rstrip("/")
        self.version = setting("WHATSAPP_API_VERSION").strip("/")
        self.phone_number_id = setting("WHATSAPP_PHONE_NUMBER_ID")
        self.token = setting("WHATSAPP_TOKEN")
        self.template = setting("WHATSAPP_TEMPLATE_NAME")
        self.language = setting("WHATSAPP_TEMPLATE_LANGUAGE")

    def send(self, message) -> str:
        for name in ("WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_TOKEN", "WHATSAPP_TEMPLATE_NAME"):
            if not setting(name):
                raise PermanentFailure(f"whatsapp: {name} is not set")
        data = self.post(
            f"{self.base_url}/{self.version}/{self.phone_number_id}/messages",
            json=self.payload(message),
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
        )
        messages = data.get("messages")
        message_id = messages[0].get("id") if messages and isinstance(messages[0], dict) else None
        return str(message_id) if message_id else self.accepted_without_id(message)

    def payload(self, message) -> dict[str, Any]:
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": self.number(message),
            "type": "template",
            "template": {
                "name": self.template,
                "language": {"code": self.language},
                "components": [
                    {
                        "type": "body",
                        "parameters": [{"type": "text", "text": self.parameter(message.body)}],
                    }
                ],
            },
            "biz_opaque_callback_data": str(message.public_id),
        }

    @staticmethod
    def parameter(text: str) -> str:
        """The text as a template variable: Meta refuses new lines, tabs and runs of more
        than four spaces in one, so all white space is folded to single spaces."""
        return " ".join(text.split())

    def failure(self, response) -> DeliveryError:
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            error = {}
        code = error.get("code") if isinstance(error, dict) else None
        if code is None:
            return super().failure(response)
        error_data = error.get("error_data")
        details = (error_data.get("details") if isinstance(error_data, dict) else None) or (
            error.get("message") or ""
        )
        text = f"whatsapp: HTTP {response.status_code} code {code} {details}"[:400].strip()
        try:
            temporary = int(code) in self.TEMPORARY_CODES
        except (TypeError, ValueError):
            temporary = False
        if temporary or response.status_code >= 500 or response.status_code in {408, 429}:
            return TemporaryFailure(text)
        return PermanentFailure(text)
