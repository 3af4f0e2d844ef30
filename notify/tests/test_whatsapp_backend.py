"""The WhatsApp Cloud API backend against a fake Graph API on 127.0.0.1."""

import pytest

from notify import services
from notify.backends import (
    FileBackend,
    PermanentFailure,
    TemporaryFailure,
    WhatsAppCloudBackend,
    get_backend,
)
from notify.models import Message, Status

pytestmark = pytest.mark.django_db

ARABIC = "تم استلام طلبك رقم REQ-1447-000123"


def _message(**kwargs):
    defaults = {
        "channel": "whatsapp",
        "recipient": "+966501234567",
        "body": ARABIC,
        "idempotency_key": "whatsapp-test",
    }
    defaults.update(kwargs)
    return Message.objects.create(**defaults)


def test_it_posts_the_generic_template_with_the_text_as_its_variable(whatsapp):
    message = _message()

    provider_id = WhatsAppCloudBackend().send(message)

    assert provider_id == "wamid.HBgM1000"
    [request] = whatsapp.requests
    assert request.path == "/v22.0/106540352242922/messages"
    assert request.headers["authorization"] == "Bearer test-whatsapp-token"
    assert request.headers["content-type"] == "application/json"
    assert request.json == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "966501234567",
        "type": "template",
        "template": {
            "name": "mustafid_notice",
            "language": {"code": "ar"},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": ARABIC}]},
            ],
        },
        "biz_opaque_callback_data": str(message.public_id),
    }


def test_line_breaks_are_folded_because_a_template_variable_cannot_hold_them(whatsapp):
    WhatsAppCloudBackend().send(_message(body="سطر أول\n\nسطر\tثانٍ      ثالث"))
    [request] = whatsapp.requests
    parameter = request.json["template"]["components"][0]["parameters"][0]["text"]
    assert parameter == "سطر أول سطر ثانٍ ثالث"


def test_a_refused_message_is_a_permanent_failure(whatsapp):
    whatsapp.default = 400
    with pytest.raises(PermanentFailure, match="code 131026 Message undeliverable"):
        WhatsAppCloudBackend().send(_message())


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(500, "HTTP 500 code 131000"), (429, "HTTP 429 code 131056"), ("throttle", "code 130429")],
)
def test_server_errors_and_rate_limits_are_temporary(whatsapp, answer, expected):
    # Meta's throughput limit comes with HTTP 400: its code, not the status, says "later".
    whatsapp.default = answer
    with pytest.raises(TemporaryFailure, match=expected):
        WhatsAppCloudBackend().send(_message())


def test_a_hanging_api_is_a_temporary_failure(whatsapp):
    whatsapp.default = "hang"
    with pytest.raises(TemporaryFailure, match="timed out"):
        WhatsAppCloudBackend().send(_message())


def test_a_number_that_is_not_a_phone_fails_without_calling_out(whatsapp):
    with pytest.raises(PermanentFailure, match="not a valid phone number"):
        WhatsAppCloudBackend().send(_message(recipient="someone@example.org"))
    assert whatsapp.requests == []


@pytest.mark.parametrize(
    "name", ["WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_TOKEN", "WHATSAPP_TEMPLATE_NAME"]
)
def test_missing_configuration_fails_without_calling_out(settings, whatsapp, name):
    setattr(settings, name, "")
    with pytest.raises(PermanentFailure, match=name):
        WhatsAppCloudBackend().send(_message())
    assert whatsapp.requests == []


def test_get_backend_dispatches_each_channel(settings):
    settings.NOTIFY_SMS_BACKEND = "notify.backends.ConsoleBackend"
    settings.NOTIFY_EMAIL_BACKEND = "notify.backends.SmtpEmailBackend"
    settings.NOTIFY_WHATSAPP_BACKEND = "notify.backends.FileBackend"
    assert get_backend("sms").name == "console"
    assert get_backend("email").name == "email"
    assert isinstance(get_backend("whatsapp"), FileBackend)
    settings.NOTIFY_WHATSAPP_BACKEND = "notify.backends.WhatsAppCloudBackend"
    assert isinstance(get_backend("whatsapp"), WhatsAppCloudBackend)
    with pytest.raises(ValueError, match="telegram"):
        get_backend("telegram")


def test_a_whatsapp_message_travels_from_outbox_to_api(
    whatsapp, quiet_hours_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_enqueue(
            channel="whatsapp",
            recipient="0501234567",
            template_code="request.submitted",
            context={"reference": "REQ-1447-000123", "decision_date": "1447/06/20هـ"},
            idempotency_key="request.submitted:REQ-1447-000123:whatsapp",
        )

    message.refresh_from_db()
    assert message.recipient == "+966501234567"  # stored in E.164, like an SMS
    assert message.status == Status.SENT
    assert message.provider == "whatsapp"
    assert message.provider_message_id == "wamid.HBgM1000"
    [request] = whatsapp.requests
    assert request.json["to"] == "966501234567"
    text = request.json["template"]["components"][0]["parameters"][0]["text"]
    assert text.startswith("تم استلام طلبك رقم REQ-1447-000123")


def test_a_refused_whatsapp_message_stops_at_once(
    whatsapp, quiet_hours_off, django_capture_on_commit_callbacks
):
    whatsapp.default = 400
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_enqueue(
            channel="whatsapp", recipient="0501234567", body=ARABIC, idempotency_key="refused"
        )
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert not message.will_retry
    assert "131026" in message.last_error
