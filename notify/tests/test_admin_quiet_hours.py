"""The admin shows the quiet-hours flag and names the WhatsApp channel."""

import pytest
from django.urls import reverse
from django.utils import translation

from notify.models import Channel, Message, MessageTemplate

pytestmark = pytest.mark.django_db


def test_the_template_page_offers_keep_to_daytime_hours(client, admin_user):
    template = MessageTemplate.objects.get(code="request.submitted")
    client.force_login(admin_user)
    page = client.get(reverse("admin:notify_messagetemplate_change", args=[template.pk]))
    assert 'name="quiet_hours"' in page.content.decode()
    listing = client.get(reverse("admin:notify_messagetemplate_changelist"))
    assert "column-quiet_hours" in listing.content.decode()


def test_a_template_can_be_marked_to_keep_to_daytime_hours(client, admin_user):
    template = MessageTemplate.objects.get(code="request.submitted")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:notify_messagetemplate_change", args=[template.pk]),
        {
            "code": template.code,
            "channel": "whatsapp",
            "description": template.description,
            "subject_ar": "",
            "subject_en": "",
            "body_ar": template.body_ar,
            "body_en": template.body_en,
            "is_active": "on",
            "quiet_hours": "on",
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.channel, template.quiet_hours) == ("whatsapp", True)


def test_whatsapp_messages_are_named_in_the_outbox(client, admin_user):
    Message.objects.create(
        channel="whatsapp", recipient="+966501234567", body="رسالة", idempotency_key="wa"
    )
    client.force_login(admin_user)
    page = client.get(reverse("admin:notify_message_changelist"), {"channel": "whatsapp"})
    assert page.status_code == 200
    with translation.override("ar"):
        assert f'<td class="field-channel">{Channel.WHATSAPP.label}</td>' in page.content.decode()
