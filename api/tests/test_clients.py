"""Creating clients: the management command and the admin show the token and the webhook
secret once, store neither, and re-issuing revokes the old ones."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.urls import reverse

from api import credentials
from api.models import ApiClient
from api.tests.conftest import bearer, post, raw, signed
from core.models import ActivityLog, Channel
from inbox.models import InboundItem

pytestmark = pytest.mark.django_db


def _secrets_in(text: str) -> tuple[str, str | None]:
    token = re.search(r"token:\s+(\S+)", text).group(1)
    secret = re.search(r"webhook secret:\s+(\S+)", text)
    return token, secret.group(1) if secret else None


def test_the_command_prints_a_working_token_and_secret_once(client):
    out = io.StringIO()
    call_command("api_client_create", "--name", "Unifonic", "--source", "sms", stdout=out)
    token, secret = _secrets_in(out.getvalue())
    api_client = ApiClient.objects.get(name="Unifonic")
    assert api_client.channel.code == "phone" and api_client.created_by is None
    assert token not in str(api_client.__dict__) and secret not in str(api_client.__dict__)
    body = raw({"message_id": "1", "phone": "0591112233", "text": "مرحبا"})
    issued = credentials.Credentials(token=token, webhook_secret=secret)
    assert post(client, "/api/v1/webhooks/sms/", body, signed(issued, body)).status_code == 201
    assert ActivityLog.objects.filter(action="api.client.created").count() == 1


def test_the_command_for_the_website_prints_no_webhook_secret():
    out = io.StringIO()
    call_command("api_client_create", "--name", "Website", "--source", "web_form", stdout=out)
    assert _secrets_in(out.getvalue())[1] is None
    assert ApiClient.objects.get().channel.code == "website"


def test_the_command_refuses_an_unknown_channel_and_a_duplicate_name():
    with pytest.raises(CommandError, match="Unknown channel"):
        call_command("api_client_create", "--name", "X", "--source", "sms", "--channel", "fax")
    call_command("api_client_create", "--name", "X", "--source", "sms", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("api_client_create", "--name", "X", "--source", "sms", stdout=io.StringIO())
    assert ApiClient.objects.count() == 1


def test_the_admin_shows_the_credentials_once_on_add(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:api_apiclient_add"),
        {
            "name": "Relay",
            "source": "social",
            "channel": Channel.objects.get(code="social_media").pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    api_client = ApiClient.objects.get(name="Relay")
    issued = response.context["issued"]
    assert issued.token.startswith(api_client.key + ".")
    assert issued.token in response.content.decode()
    # Afterwards the change page shows the key only.
    page = client.get(reverse("admin:api_apiclient_change", args=[api_client.pk])).content
    assert issued.token.encode() not in page and issued.webhook_secret.encode() not in page
    assert api_client.key.encode() in page


def test_the_admin_action_re_issues_credentials(client, admin_user, website):
    api_client, old = website
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:api_apiclient_changelist"),
        {"action": "reissue_credentials", "_selected_action": [api_client.pk]},
    )
    new = response.context["issued"]
    assert new.token != old.token
    form = raw({"submission_id": "1", "name": "نورة", "phone": "0591112233", "message": "س"})
    assert post(client, "/api/v1/contact-form/", form, bearer(old)).status_code == 401
    assert post(client, "/api/v1/contact-form/", form, bearer(new)).status_code == 201
    assert ActivityLog.objects.filter(action="api.client.rotated").count() == 1


def test_only_the_system_administrator_sees_clients_in_the_admin(client, manager, website):
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    assert client.get(reverse("admin:api_apiclient_changelist")).status_code == 403


def test_a_database_outage_is_a_503_the_sender_retries(client, website, monkeypatch):
    from api import views

    def down(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "inbound_receive", down)
    form = raw({"submission_id": "1", "name": "نورة", "phone": "0591112233", "message": "س"})
    response = post(client, "/api/v1/contact-form/", form, bearer(website[1]))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert response.json()["code"] == "unavailable"
    assert not InboundItem.objects.exists()
