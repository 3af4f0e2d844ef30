"""Signed webhooks: the signature covers the timestamp and the raw body; a missing, wrong or
stale signature is 401 with no side effect; a delivery is stored once per message id."""

import threading
import time

import pytest
from django.db import connection

from api import credentials
from api.tests.conftest import bearer, make_client, post, raw, signed
from core.models import ActivityLog
from inbox.models import InboundItem, Source

pytestmark = pytest.mark.django_db

SMS_URL = "/api/v1/webhooks/sms/"
SMS = {"message_id": "sms-88213", "phone": "966591112233", "text": "متى موعد الزيارة؟"}


def _deliver(client, issued, data=None, *, url=SMS_URL, at=None, body=None):
    body = body if body is not None else raw(data or SMS)
    return post(client, url, body, signed(issued, body, at=at))


def test_a_signed_sms_is_stored(client, sms_gateway):
    response = _deliver(client, sms_gateway[1])
    assert response.status_code == 201
    item = InboundItem.objects.get()
    assert item.source == Source.SMS and item.channel.code == "phone"
    assert item.sender_phone == "+966591112233" and item.body == SMS["text"]
    assert response.json()["id"] == str(item.public_id)


def test_the_same_message_id_again_is_200_with_the_same_item(client, sms_gateway):
    first = _deliver(client, sms_gateway[1]).json()
    again = _deliver(client, sms_gateway[1])
    assert again.status_code == 200 and again.json() == first
    assert InboundItem.objects.count() == 1
    assert ActivityLog.objects.filter(action="inbox.item.received").count() == 1


def test_two_gateways_may_use_the_same_message_id(client, sms_gateway):
    _other, other_issued = make_client("sms", "phone", "Second gateway")
    _deliver(client, sms_gateway[1])
    _deliver(client, other_issued)
    assert InboundItem.objects.count() == 2


def test_without_a_signature_it_is_401_and_nothing_is_stored(client, sms_gateway):
    response = post(client, SMS_URL, raw(SMS), bearer(sms_gateway[1]))
    assert response.status_code == 401 and response.json()["code"] == "signature_missing"
    assert "X-Mustafid-Signature" in response.json()["detail"]
    assert not InboundItem.objects.exists()
    assert not ActivityLog.objects.filter(action__startswith="inbox.").exists()


def test_a_wrong_signature_is_401(client, sms_gateway):
    body = raw(SMS)
    headers = signed(sms_gateway[1], body)
    headers[credentials.SIGNATURE_HEADER] = credentials.sign(
        "another-secret", headers[credentials.TIMESTAMP_HEADER], body
    )
    response = post(client, SMS_URL, body, headers)
    assert response.status_code == 401 and response.json()["code"] == "signature_invalid"
    assert not InboundItem.objects.exists()


def test_a_body_changed_after_signing_is_401(client, sms_gateway):
    body = raw(SMS)
    headers = signed(sms_gateway[1], body)
    tampered = raw({**SMS, "text": "نص آخر"})
    assert post(client, SMS_URL, tampered, headers).status_code == 401
    assert not InboundItem.objects.exists()


def test_a_new_timestamp_on_an_old_signature_is_401(client, sms_gateway):
    body = raw(SMS)
    headers = signed(sms_gateway[1], body, at=time.time() - 3600)
    headers[credentials.TIMESTAMP_HEADER] = str(int(time.time()))
    assert post(client, SMS_URL, body, headers).status_code == 401


# A future timestamp shrinks towards the window while the request runs and when it is cut to
# whole seconds, so the future case stands well clear of the edge (301 s failed under load).
@pytest.mark.parametrize("offset", [-301, -3600, 330])
def test_a_timestamp_more_than_five_minutes_off_is_refused_as_a_replay(client, sms_gateway, offset):
    response = _deliver(client, sms_gateway[1], at=time.time() + offset)
    assert response.status_code == 401 and response.json()["code"] == "timestamp_expired"
    assert not InboundItem.objects.exists()


def test_a_timestamp_within_five_minutes_is_accepted(client, sms_gateway):
    assert _deliver(client, sms_gateway[1], at=time.time() - 240).status_code == 201


@pytest.mark.parametrize(
    ("timestamp", "signature", "code"),
    [
        ("yesterday", "sha256=" + "0" * 64, "timestamp_invalid"),
        ("1" * 13, "sha256=" + "0" * 64, "timestamp_invalid"),
        (None, "sha256=" + "0" * 64, "signature_missing"),
        ("NOW", None, "signature_missing"),
        ("NOW", "md5=abc", "signature_invalid"),
        ("NOW", "sha256=" + "é" * 64, "signature_invalid"),
        ("NOW", "sha256=" + "G" * 64, "signature_invalid"),
    ],
)
def test_malformed_signature_headers_are_401(client, sms_gateway, timestamp, signature, code):
    headers = bearer(sms_gateway[1])
    if timestamp is not None:
        headers[credentials.TIMESTAMP_HEADER] = (
            str(int(time.time())) if timestamp == "NOW" else timestamp
        )
    if signature is not None:
        headers[credentials.SIGNATURE_HEADER] = signature
    response = post(client, SMS_URL, raw(SMS), headers)
    assert response.status_code == 401 and response.json()["code"] == code


def test_the_signature_is_checked_before_the_body_is_parsed(client, sms_gateway):
    response = post(client, SMS_URL, b"{not json", bearer(sms_gateway[1]))
    assert response.status_code == 401


def test_a_signed_malformed_body_is_400(client, sms_gateway):
    response = _deliver(client, sms_gateway[1], body=b"{not json")
    assert response.status_code == 400 and response.json()["code"] == "malformed_json"


def test_a_signed_body_with_missing_fields_is_400_with_field_errors(client, sms_gateway):
    response = _deliver(client, sms_gateway[1], {"message_id": "x"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"phone", "text"}


def test_an_oversized_webhook_is_413_before_anything_else(client, sms_gateway):
    body = raw({**SMS, "text": "x" * (64 * 1024)})
    response = post(client, SMS_URL, body, {})
    assert response.status_code == 413
    assert not InboundItem.objects.exists()


def test_a_secret_signed_under_the_previous_secret_key_still_works(client, settings, sms_gateway):
    issued = sms_gateway[1]
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-after-rotation-0123456789abcdef"
    assert _deliver(client, issued).status_code == 201


def test_social_and_whatsapp_messages(client, db):
    _social, social = make_client("social", "social_media")
    _wa, whatsapp = make_client("whatsapp", "social_media")
    message = {"message_id": "1", "platform": "x", "handle": "@nora", "text": "كيف أسجل؟"}
    assert _deliver(client, social, message, url="/api/v1/webhooks/social/").status_code == 201
    wa = {"message_id": "wamid.1", "phone": "966591112233", "name": "Nora", "text": "مرحبا"}
    assert _deliver(client, whatsapp, wa, url="/api/v1/webhooks/whatsapp/").status_code == 201
    social_item = InboundItem.objects.get(source=Source.SOCIAL)
    assert social_item.platform == "x" and social_item.sender_handle == "@nora"
    assert InboundItem.objects.get(source=Source.WHATSAPP).sender_name == "Nora"
    bad = {**message, "message_id": "2", "platform": "myspace"}
    response = _deliver(client, social, bad, url="/api/v1/webhooks/social/")
    assert response.status_code == 400 and "platform" in response.json()["errors"]


def test_a_webhook_is_a_few_indexed_queries(client, sms_gateway, django_assert_max_num_queries):
    _deliver(client, sms_gateway[1], {**SMS, "message_id": "warm"})
    with django_assert_max_num_queries(8) as captured:
        assert _deliver(client, sms_gateway[1]).status_code == 201
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 2  # the item and its audit row
    assert not [q for q in captured.captured_queries if q["sql"].startswith("UPDATE")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real race needs PostgreSQL")
def test_the_same_webhook_delivered_concurrently_is_stored_once():
    from django.db import connections
    from django.test import Client

    _gateway, issued = make_client("sms", "phone", "Racing gateway")
    body = raw(SMS)
    barrier = threading.Barrier(4)
    statuses = []

    def deliver():
        try:
            barrier.wait()
            statuses.append(post(Client(), SMS_URL, body, signed(issued, body)).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 200, 200, 201]
    assert InboundItem.objects.count() == 1
