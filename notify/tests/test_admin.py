"""The admin: templates are editable, messages read-only with actions through the services."""

import pytest
from django.urls import reverse

from notify.models import Message, MessageTemplate, Status

pytestmark = pytest.mark.django_db


def _failed_message():
    return Message.objects.create(
        channel="sms",
        recipient="+966501234567",
        body="رسالة",
        idempotency_key="admin-test",
        status=Status.FAILED,
        attempts=5,
        last_error="unifonic: HTTP 400",
    )


def test_it_lists_templates_and_messages(client, admin_user):
    message = _failed_message()
    client.force_login(admin_user)
    assert client.get(reverse("admin:notify_messagetemplate_changelist")).status_code == 200
    template = MessageTemplate.objects.get(code="request.submitted")
    page = client.get(reverse("admin:notify_messagetemplate_change", args=[template.pk]))
    assert "{reference}" in page.content.decode()
    assert client.get(reverse("admin:notify_message_changelist")).status_code == 200
    page = client.get(reverse("admin:notify_message_change", args=[message.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # read-only


def test_the_retry_action_sends_the_message_again(
    client, admin_user, outbox_file, django_capture_on_commit_callbacks
):
    message = _failed_message()
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notify_message_changelist"),
            {"action": "retry", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert outbox_file.exists()


def test_an_edited_template_with_a_bad_placeholder_is_refused(client, admin_user):
    template = MessageTemplate.objects.get(code="request.submitted")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:notify_messagetemplate_change", args=[template.pk]),
        {
            "code": template.code,
            "channel": "sms",
            "description": "",
            "subject_ar": "",
            "subject_en": "",
            "body_ar": "طلبك {reference",
            "body_en": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    template.refresh_from_db()
    assert template.body_ar.startswith("تم استلام")
