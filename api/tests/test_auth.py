"""Token authentication: missing, wrong, malformed, inactive; a client posts only its kind."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import ApiClient
from api.tests.conftest import bearer, make_client, post, raw
from core.models import Channel
from inbox.models import InboundItem

pytestmark = pytest.mark.django_db

FORM = {
    "submission_id": "w-1",
    "name": "نورة سعد",
    "phone": "0591112233",
    "message": "متى يبدأ التوزيع؟",
}


def _post(client, headers):
    return post(client, reverse("api:contact_form"), raw(FORM), headers)


def test_no_token_is_401_with_a_json_error(client, website):
    response = _post(client, {})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert (
        set(response.json()) == {"detail", "code"}
        and response.json()["code"] == "not_authenticated"
    )
    assert not InboundItem.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer abcdefghijkl.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Bearer",
        "Bearer a b",
        "Bearer \u00e9\u00e9",
    ],
)
def test_a_wrong_or_malformed_token_is_401(client, website, header):
    response = _post(client, {"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] in {"token_invalid", "token_malformed"}
    assert not InboundItem.objects.exists()


def test_the_right_key_with_a_wrong_secret_is_401(client, website):
    _client, issued = website
    key = issued.token.split(".")[0]
    response = _post(client, {"Authorization": f"Bearer {key}.{'A' * 43}"})
    assert response.status_code == 401


def test_an_inactive_client_is_401(client, website):
    api_client, issued = website
    ApiClient.objects.filter(pk=api_client.pk).update(is_active=False)
    response = _post(client, bearer(issued))
    assert response.status_code == 401 and response.json()["code"] == "client_inactive"
    assert not InboundItem.objects.exists()


def test_the_token_keyword_works_too(client, website):
    _client, issued = website
    response = _post(client, {"Authorization": f"Token {issued.token}"})
    assert response.status_code == 201


def test_a_client_may_not_post_another_kind_of_message(client, sms_gateway):
    _client, issued = sms_gateway
    response = _post(client, bearer(issued))
    assert response.status_code == 403 and response.json()["code"] == "wrong_source"
    assert not InboundItem.objects.exists()


def test_only_a_hash_of_the_token_is_stored(website):
    api_client, issued = website
    api_client.refresh_from_db()
    stored = " ".join(str(v) for v in api_client.__dict__.values())
    assert issued.token not in stored and issued.webhook_secret not in stored
    assert issued.token.startswith(api_client.key + ".")


def test_re_issuing_credentials_revokes_the_old_token(client, website, admin_user):
    api_client, old = website
    new = services.api_client_rotate(actor=admin_user, client=api_client)
    assert _post(client, bearer(old)).status_code == 401
    assert _post(client, bearer(new)).status_code == 201


def test_last_use_is_noted_at_most_every_few_minutes(client, website):
    api_client, issued = website
    _post(client, bearer(issued))
    api_client.refresh_from_db()
    first = api_client.last_used_at
    assert first is not None and timezone.now() - first < timezone.timedelta(minutes=1)
    post(client, reverse("api:contact_form"), raw({**FORM, "submission_id": "w-2"}), bearer(issued))
    api_client.refresh_from_db()
    assert api_client.last_used_at == first


def test_only_the_system_administrator_creates_clients(manager, admin_user):
    def create_as(actor):
        api_client = ApiClient(
            name=f"by {actor.username}", source="sms", channel=Channel.objects.get(code="phone")
        )
        services.api_client_create(actor=actor, client=api_client)
        return api_client

    with pytest.raises(PermissionDenied):
        create_as(manager)
    assert create_as(admin_user).pk


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.post("/api/v1/contact-form", data="{}", content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get("/api/v2/anything/").json()["code"] == "not_found"


def test_make_client_helper_gives_distinct_keys(db):
    a, _ = make_client("sms", "phone", "A")
    b, _ = make_client("sms", "phone", "B")
    assert a.key != b.key
