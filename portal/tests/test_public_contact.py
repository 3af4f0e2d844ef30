"""The public contact form: a message lands in the staff inbox; a honeypot and a per-address
hourly limit keep programs out."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import ActivityLog
from inbox.models import InboundItem, ItemStatus, Source
from tests_support.portal import portal_sign_in

pytestmark = pytest.mark.django_db

URL = "/portal/contact/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The hourly limit is counted in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def _form(**overrides):
    data = {
        "name": "خالد الزهراني",
        "mobile": "٠٥٥١٢٣٤٥٦٧",
        "email": "",
        "kind": "inquiry",
        "message": "متى يبدأ توزيع السلال في رمضان؟",
        "website": "",
    }
    data.update(overrides)
    return data


def test_it_is_the_url_named_contact():
    assert reverse("portal:contact") == URL


def test_it_stores_the_message_in_the_staff_inbox(client):
    response = client.post(URL, _form(email="Khalid@Example.COM"))
    assert response.status_code == 302
    assert response.url == reverse("portal:contact_thanks")
    item = InboundItem.objects.get()
    assert item.source == Source.WEB_FORM
    assert item.channel.code == "website"
    assert item.status == ItemStatus.NEW
    assert item.sender_phone == "+966551234567"
    assert item.sender_email == "Khalid@example.com"
    assert item.sender_name == "خالد الزهراني"
    assert item.body == "متى يبدأ توزيع السلال في رمضان؟"
    assert item.payload["kind"] == "inquiry"
    assert len(item.external_id) == 36  # a new uuid4 per message
    assert ActivityLog.objects.filter(action="inbox.item.received").count() == 1
    assert client.get(response.url).status_code == 200


def test_it_links_the_message_to_the_file_whose_mobile_it_is(client, applicant):
    client.post(URL, _form(mobile=applicant.mobile))
    assert InboundItem.objects.get().beneficiary == applicant


def test_it_prefills_the_form_for_a_signed_in_beneficiary(client, applicant):
    portal_sign_in(client, applicant)
    response = client.get(URL)
    html = response.content.decode()
    assert f'value="0{applicant.mobile.removeprefix("+966")}"' in html
    assert applicant.first_name in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mobile", "0521234567"),  # 052 is not a mobile prefix
        ("mobile", ""),
        ("name", ""),
        ("name", "خالد 2"),
        ("message", "   "),
        ("kind", "gossip"),
        ("email", "not-an-address"),
    ],
)
def test_it_refuses_bad_input_at_the_field_and_stores_nothing(client, field, value):
    response = client.post(URL, _form(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not InboundItem.objects.exists()


def test_it_stores_nothing_when_the_honeypot_is_filled(client):
    response = client.post(URL, _form(website="http://spam.example"))
    # Answered like a success, so the program learns nothing.
    assert response.status_code == 302
    assert response.url == reverse("portal:contact_thanks")
    assert not InboundItem.objects.exists()


def test_it_hides_the_honeypot_from_people(client):
    html = client.get(URL).content.decode()
    assert re.search(r'<div hidden>\s*<div class="field[^"]*">\s*<label for="id_website">', html)


def test_it_refuses_more_than_the_hourly_limit_from_one_address(client, settings):
    settings.MUSTAFID = {
        **settings.MUSTAFID,
        "PORTAL": {**settings.MUSTAFID["PORTAL"], "CONTACT_PER_ADDRESS_PER_HOUR": 2},
    }
    assert client.post(URL, _form()).status_code == 302
    assert client.post(URL, _form(message="رسالة ثانية")).status_code == 302
    response = client.post(URL, _form(message="رسالة ثالثة"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert InboundItem.objects.count() == 2
    # Another address is not affected.
    other = client.post(URL, _form(message="من عنوان آخر"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
    assert InboundItem.objects.count() == 3


def test_it_does_not_count_refused_messages_against_the_limit(client, settings):
    settings.MUSTAFID = {
        **settings.MUSTAFID,
        "PORTAL": {**settings.MUSTAFID["PORTAL"], "CONTACT_PER_ADDRESS_PER_HOUR": 1},
    }
    client.post(URL, _form(mobile="123"))
    assert client.post(URL, _form()).status_code == 302


def test_it_rejects_other_methods(client):
    assert client.put(URL).status_code == 405
    assert client.post(reverse("portal:contact_thanks")).status_code == 405
