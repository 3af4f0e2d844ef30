"""The OpenAPI schema is valid, and the API, driven by schemathesis from that schema, never
answers with a server error, and answers as documented — signed, unsigned and anonymous."""

import json

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core import NotSet
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from api.tests.conftest import bearer, make_client, signed
from mustafid.wsgi import application

pytestmark = pytest.mark.django_db

SOURCES = {
    "/api/v1/contact-form/": ("web_form", "website"),
    "/api/v1/webhooks/social/": ("social", "social_media"),
    "/api/v1/webhooks/sms/": ("sms", "phone"),
    "/api/v1/webhooks/whatsapp/": ("whatsapp", "social_media"),
}
FUZZ = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Every built-in check (no 5xx, documented status codes and bodies, invalid data refused…)
# except two that cannot hold here: a schema-valid string may still be no phone number (400
# is right), and schemathesis takes the real token the test sends for a generated one.
NOT_APPLICABLE = [positive_data_acceptance, ignored_auth]


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))


def test_the_schema_is_served_and_documents_every_endpoint(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == set(SOURCES)
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    sms = schema["paths"]["/api/v1/webhooks/sms/"]["post"]
    assert {p["name"] for p in sms["parameters"]} == {
        "X-Mustafid-Signature",
        "X-Mustafid-Timestamp",
    }


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go through the real WSGI handler, which closes the database connection after
    each request — and with it the test's transaction. Django's test client avoids that the
    same way: by disconnecting the handler while it runs."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def issued(db):
    return {path: make_client(*source, name=path)[1] for path, source in SOURCES.items()}


# Loaded when the module is collected: the schema view reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def _body(case) -> bytes:
    """The exact bytes to sign: schemathesis also generates raw and non-JSON bodies."""
    if isinstance(case.body, NotSet):
        return b""
    if isinstance(case.body, bytes):
        return case.body
    if isinstance(case.body, str):
        return case.body.encode("utf-8", "surrogatepass")
    return json.dumps(case.body, default=str).encode()


@schema.parametrize()
@FUZZ
def test_signed_requests_never_get_a_server_error(case, issued):
    body = _body(case)
    response = case.call(headers=signed(issued[case.path], body), data=body)
    case.validate_response(response, excluded_checks=NOT_APPLICABLE)


@schema.parametrize()
@FUZZ
def test_requests_with_only_a_token_never_get_a_server_error(case, issued):
    response = case.call(headers=bearer(issued[case.path]))
    case.validate_response(response, excluded_checks=NOT_APPLICABLE)


@schema.parametrize()
@FUZZ
def test_anonymous_requests_never_get_a_server_error(case):
    response = case.call()
    case.validate_response(response, excluded_checks=NOT_APPLICABLE)
