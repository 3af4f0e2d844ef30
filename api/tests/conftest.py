import json
import time

import pytest

from api import credentials, services
from api.models import ApiClient
from core.models import Channel


def make_client(source: str, channel: str, name: str | None = None):
    """An integration client through the service; returns (client, credentials)."""
    client = ApiClient(
        name=name or f"{source} client", source=source, channel=Channel.objects.get(code=channel)
    )
    return client, services.api_client_create(actor=None, client=client)


@pytest.fixture
def website(db):
    return make_client("web_form", "website", "The waqf's website")


@pytest.fixture
def sms_gateway(db):
    return make_client("sms", "phone", "SMS gateway")


def raw(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def bearer(issued) -> dict:
    return {"Authorization": f"Bearer {issued.token}"}


def signed(issued, body: bytes, *, at: float | None = None) -> dict:
    """The headers a well-behaved sender computes for `body`."""
    timestamp = str(int(time.time() if at is None else at))
    return {
        **bearer(issued),
        credentials.TIMESTAMP_HEADER: timestamp,
        credentials.SIGNATURE_HEADER: credentials.sign(issued.webhook_secret, timestamp, body),
    }


def post(client, url: str, body: bytes, headers: dict):
    return client.post(url, data=body, content_type="application/json", headers=headers)
