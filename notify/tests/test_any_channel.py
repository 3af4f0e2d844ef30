"""A template's channel is its default: any template may be sent by SMS, WhatsApp or e-mail."""

import pytest
from django.utils import translation

from core.activity import describe
from core.models import ActivityLog
from notify import services
from notify.models import Channel, Status

pytestmark = pytest.mark.django_db

SUBMITTED = {"reference": "REQ-1447-000123", "decision_date": "1447/06/20هـ"}
BODY = "تم استلام طلبك رقم REQ-1447-000123، وموعد الرد المتوقع 1447/06/20هـ. وقف مفاتيح الخير"


def _submitted(channel, recipient, key):
    return services.message_enqueue(
        channel=channel,
        recipient=recipient,
        template_code="request.submitted",  # an SMS template
        context=SUBMITTED,
        idempotency_key=key,
    )


def test_an_sms_template_is_sent_on_whatsapp(outbox_file, quiet_hours_off):
    message = _submitted("whatsapp", "0501234567", "k1")
    assert (message.channel, message.recipient, message.body) == ("whatsapp", "+966501234567", BODY)
    assert message.status == Status.QUEUED


def test_an_sms_template_sent_by_email_is_titled_with_the_organisation(
    outbox_file, quiet_hours_off, settings
):
    settings.MUSTAFID = {**settings.MUSTAFID, "ORGANISATION_NAME": "Waqf Example"}
    message = _submitted("email", "Person@Example.ORG", "k2")
    assert message.recipient == "Person@example.org"
    assert message.subject == "Waqf Example"
    assert message.body == BODY


def test_the_arabic_organisation_name_setting_wins(outbox_file, quiet_hours_off, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "ORGANISATION_NAME_AR": "وقف تجريبي"}
    assert _submitted("email", "person@example.org", "k3").subject == "وقف تجريبي"


def test_an_email_template_keeps_its_own_subject_and_can_go_by_sms(outbox_file, quiet_hours_off):
    context = {"count": 3, "date": "1447/06/01", "items": "REQ-1447-000001", "url": "/r/"}
    email = services.message_enqueue(
        channel="email",
        recipient="manager@mafatih.example",
        template_code="digest.overdue",
        context=context,
        idempotency_key="k4",
    )
    sms = services.message_enqueue(
        channel="sms",
        recipient="0501234567",
        template_code="digest.overdue",
        context=context,
        idempotency_key="k5",
    )
    assert email.subject == "طلبات تجاوزت موعد القرار: 3"
    assert sms.channel == "sms"
    assert "REQ-1447-000001" in sms.body
    assert sms.status == Status.QUEUED


def test_a_whatsapp_message_without_a_valid_mobile_is_recorded_as_failed(outbox_file):
    message = _submitted("whatsapp", "person@example.org", "k6")
    assert message.status == Status.FAILED
    assert message.last_error == "no valid recipient"


def test_the_timeline_names_the_channel_in_the_readers_language(
    outbox_file, quiet_hours_off, beneficiary
):
    message = services.message_enqueue(
        channel="whatsapp",
        recipient=beneficiary.mobile,
        template_code="request.submitted",
        context=SUBMITTED,
        idempotency_key="k7",
        about=beneficiary,
    )
    entry = ActivityLog.objects.get(action="notify.message.queued", target_id=str(message.pk))
    assert entry.data["channel_code"] == Channel.WHATSAPP
    assert entry.data["channel_en"] == "WhatsApp"
    with translation.override("ar"):
        assert entry.data["channel"] == str(Channel.WHATSAPP.label)  # واتساب
    with translation.override("en"):
        assert describe(entry) == "The system queued a message (WhatsApp, request.submitted)."
