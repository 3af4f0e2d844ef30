"""Each backend against its counterpart: the fake gateway, a file, Django's test mailbox."""

import io
import json

import pytest

from notify.backends import (
    ConsoleBackend,
    FileBackend,
    PermanentFailure,
    SmtpEmailBackend,
    TaqnyatSmsBackend,
    TemporaryFailure,
    UnifonicSmsBackend,
    mask_recipient,
)
from notify.models import Message

pytestmark = pytest.mark.django_db

ARABIC = "تم استلام طلبك رقم REQ-1447-000123"


def _message(**kwargs):
    defaults = {
        "channel": "sms",
        "recipient": "+966501234567",
        "body": ARABIC,
        "idempotency_key": f"test-{kwargs.get('recipient', 'sms')}",
    }
    defaults.update(kwargs)
    return Message.objects.create(**defaults)


def test_unifonic_posts_the_documented_form(unifonic):
    message = _message()

    provider_id = UnifonicSmsBackend().send(message)

    assert provider_id == "1000"
    [request] = unifonic.requests
    assert request.path == "/rest/SMS/messages"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.form == {
        "AppSid": "test-app-sid",
        "SenderID": "MafatihKhir",
        "Recipient": "966501234567",
        "Body": ARABIC,
        "responseType": "JSON",
        "CorrelationID": str(message.public_id),
    }


def test_taqnyat_posts_json_with_a_bearer_token(taqnyat):
    message = _message()

    provider_id = TaqnyatSmsBackend().send(message)

    assert provider_id == "1000"
    [request] = taqnyat.requests
    assert request.path == "/v1/messages"
    assert request.headers["authorization"] == "Bearer test-bearer-token"
    assert request.headers["content-type"] == "application/json"
    assert request.json == {
        "recipients": ["966501234567"],
        "body": ARABIC,
        "sender": "MafatihKhir",
    }


@pytest.mark.parametrize("backend", [UnifonicSmsBackend, TaqnyatSmsBackend])
def test_it_calls_a_5xx_temporary(unifonic, taqnyat, backend):
    unifonic.default = 500
    with pytest.raises(TemporaryFailure, match="HTTP 500"):
        backend().send(_message())


@pytest.mark.parametrize("backend", [UnifonicSmsBackend, TaqnyatSmsBackend])
def test_it_calls_a_4xx_permanent(unifonic, taqnyat, backend):
    unifonic.default = 400
    with pytest.raises(PermanentFailure, match="HTTP 400"):
        backend().send(_message())


def test_a_hanging_gateway_is_a_temporary_failure(taqnyat):
    taqnyat.default = "hang"
    with pytest.raises(TemporaryFailure, match="timed out"):
        TaqnyatSmsBackend().send(_message())


def test_an_unreachable_gateway_is_a_temporary_failure(settings, unifonic):
    settings.UNIFONIC_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(TemporaryFailure):
        UnifonicSmsBackend().send(_message())


def test_unifonic_refusal_in_a_200_answer_is_permanent(unifonic):
    unifonic.default = "refuse"
    with pytest.raises(PermanentFailure, match="ER-11"):
        UnifonicSmsBackend().send(_message())


def test_missing_credentials_fail_without_calling_out(settings, unifonic):
    settings.UNIFONIC_APP_SID = ""
    with pytest.raises(PermanentFailure, match="UNIFONIC_APP_SID"):
        UnifonicSmsBackend().send(_message())
    assert unifonic.requests == []


def test_file_backend_appends_json_lines(outbox_file):
    first = _message()
    second = _message(recipient="+966551234567", idempotency_key="second")

    FileBackend().send(first)
    FileBackend().send(second)

    text = outbox_file.read_text(encoding="utf-8")
    assert ARABIC in text  # stored as readable Arabic, not \u escapes
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["id"] for line in lines] == [str(first.public_id), str(second.public_id)]
    assert lines[1]["to"] == "+966551234567"
    assert lines[0]["body"] == ARABIC


def test_console_backend_prints_the_message():
    stream = io.StringIO()
    message = Message(channel="sms", recipient="+966501234567", body=ARABIC)
    ConsoleBackend(stream=stream).send(message)
    assert ARABIC in stream.getvalue()


def test_email_backend_uses_djangos_mail_with_a_stable_message_id(mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "mustafid@mafatih.example"
    message = _message(
        channel="email", recipient="manager@mafatih.example", subject="طلبات متأخرة: 3"
    )

    provider_id = SmtpEmailBackend().send(message)

    [email] = mailoutbox
    assert email.to == ["manager@mafatih.example"]
    assert email.subject == "طلبات متأخرة: 3"
    assert email.body == ARABIC
    assert provider_id == f"<{message.public_id}@mafatih.example>"
    assert email.extra_headers["Message-ID"] == provider_id


def test_recipients_are_masked_for_logs():
    assert mask_recipient("+966501234567") == "+9665******67"
    assert mask_recipient("fatimah@example.org") == "f***@example.org"
