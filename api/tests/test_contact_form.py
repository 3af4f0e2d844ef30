"""The website's contact form: stored once per submission id, clear 4xx for bad input."""

import pytest
from django.urls import reverse

from api.tests.conftest import bearer, post, raw
from inbox.models import InboundItem, ItemStatus, Source

pytestmark = pytest.mark.django_db

URL = "/api/v1/contact-form/"
FORM = {
    "submission_id": "web-000123",
    "name": "نورة سعد",
    "phone": "0591112233",
    "email": "nora@example.com",
    "subject": "استفسار عن السلة الغذائية",
    "message": "متى يبدأ توزيع السلال في رمضان؟",
}


def _post(client, website, data=None, body=None, **headers):
    return post(
        client,
        URL,
        body if body is not None else raw(data or FORM),
        {**bearer(website[1]), **headers},
    )


def test_the_url_is_the_documented_one():
    assert reverse("api:contact_form") == URL


def test_a_submission_is_stored_as_a_new_inbox_item(client, website):
    response = _post(client, website)
    assert response.status_code == 201
    item = InboundItem.objects.get()
    assert response.json() == {
        "id": str(item.public_id),
        "received_at": response.json()["received_at"],
    }
    assert item.source == Source.WEB_FORM and item.channel.code == "website"
    assert item.status == ItemStatus.NEW
    assert item.sender_phone == "+966591112233" and item.sender_email == "nora@example.com"
    assert item.subject == FORM["subject"] and item.body == FORM["message"]
    assert item.payload == FORM
    assert item.external_id.endswith(":web-000123")


def test_the_same_submission_again_answers_200_with_the_same_item(client, website):
    first = _post(client, website).json()
    again = _post(client, website, {**FORM, "message": "نص مختلف"})
    assert again.status_code == 200 and again.json() == first
    assert InboundItem.objects.count() == 1
    assert InboundItem.objects.get().body == FORM["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"message": ""}, "message"),
        ({"name": None}, "name"),
        ({"submission_id": "x" * 101}, "submission_id"),
        ({"phone": "12345"}, "phone"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "", "email": ""}, "phone"),
        ({"message": "م" * 5001}, "message"),
        ({"name": 42.5, "message": ["a"]}, "message"),
    ],
)
def test_invalid_fields_are_400_with_errors_at_each_field(client, website, change, field):
    data = {k: v for k, v in {**FORM, **change}.items() if v is not None}
    response = _post(client, website, data)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] and body["detail"] and field in body["errors"]
    assert all(isinstance(m, str) for m in body["errors"][field])
    assert not InboundItem.objects.exists()


def test_errors_are_in_arabic_by_default_and_english_on_request(client, website):
    arabic = _post(client, website, {"name": "x"}).json()
    english = _post(client, website, {"name": "x"}, **{"Accept-Language": "en"}).json()
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic["errors"]["message"][0])
    assert english["errors"]["message"] == ["This field is required."]


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"[1, 2]",
        b'"a string"',
        b'{"a": NaN}',
        b'{"a": 1e999}',
        b'{"message": "\\u0000"}',
        b'{"message": "\\ud800"}',
        b"\xff\xfe{}",
        b"[" * 5000 + b"]" * 5000,
        b'{"a":' * 30 + b"1" + b"}" * 30,
    ],
)
def test_a_malformed_body_is_400_with_a_clear_error(client, website, body):
    response = _post(client, website, body=body)
    assert response.status_code == 400
    assert response.json()["code"] in {"malformed_json", "not_an_object", "unstorable"}
    assert not InboundItem.objects.exists()


def test_an_oversized_body_is_413_and_stores_nothing(client, website):
    response = _post(client, website, {**FORM, "message": "م" * 40_000})
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert not InboundItem.objects.exists()


def test_other_methods_are_405_in_json(client, website):
    response = client.get(URL, headers=bearer(website[1]))
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_the_sender_is_identified_by_the_mobile_of_their_file(client, website, beneficiary):
    _post(client, website, {**FORM, "phone": beneficiary.mobile})
    item = InboundItem.objects.get()
    assert item.beneficiary == beneficiary and item.branch == beneficiary.branch


def test_the_answer_does_not_reveal_whether_the_sender_is_a_beneficiary(
    client, website, beneficiary
):
    known = _post(client, website, {**FORM, "phone": beneficiary.mobile}).json()
    unknown = _post(client, website, {**FORM, "submission_id": "w-9"}).json()
    assert set(known) == set(unknown) == {"id", "received_at"}


def test_storing_a_submission_takes_a_handful_of_queries(
    client, website, django_assert_max_num_queries
):
    _post(client, website, {**FORM, "submission_id": "warm"})  # last_used_at written once
    with django_assert_max_num_queries(8):
        assert _post(client, website).status_code == 201
