import re

import pytest
from django.urls import reverse

from notify.models import Message
from portal.models import OneTimeCode

pytestmark = pytest.mark.django_db


def _code_from_outbox(beneficiary) -> str:
    message = Message.objects.filter(
        recipient=beneficiary.mobile, template_code="portal.otp"
    ).latest("created_at")
    return re.search(r"\d{6}", message.body).group(0)


def test_it_signs_in_with_the_code_sent_to_the_mobile_on_file(client, applicant):
    response = client.post(reverse("portal:login"), {"identity": applicant.id_number})
    assert response.status_code == 302
    code = _code_from_outbox(applicant)
    response = client.post(response.url, {"code": code})
    assert response.status_code == 302
    assert response.url == reverse("portal:home")
    response = client.get(reverse("portal:home"))
    # First sign-in: the privacy notice comes first.
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:consent"))


def test_it_answers_the_same_for_an_unregistered_number(client, applicant):
    known = client.post(reverse("portal:login"), {"identity": applicant.id_number})
    unknown = client.post(reverse("portal:login"), {"identity": "1000000008"})
    assert known.status_code == unknown.status_code == 302
    page_known = client.get(known.url).content.decode()
    page_unknown = client.get(unknown.url).content.decode()

    def strip(html: str) -> str:
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r"/login/[0-9a-f-]{36}/", "/login/<id>/", html)

    assert strip(page_known) == strip(page_unknown)
    assert Message.objects.filter(template_code="portal.otp").count() == 1
    assert OneTimeCode.objects.count() == 2


def test_home_shows_what_needs_attention(portal_client, applicant, officer):
    from datetime import timedelta

    from django.utils import timezone

    from tests_support.factories import make_document

    make_document(
        officer, applicant, code="national_id", expires_on=timezone.localdate() + timedelta(days=5)
    )
    page = portal_client.get(reverse("portal:home"))
    html = page.content.decode()
    assert page.context["renew"] and "type=national_id" in html
    assert not page.context["questions"] and not page.context["appealable"]


def test_home_runs_a_fixed_number_of_queries(portal_client, applicant, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assistance.tests.conftest import make_draft

    make_draft(officer, applicant)
    with CaptureQueriesContext(connection) as one:
        portal_client.get(reverse("portal:home"))
    for _ in range(3):
        make_draft(officer, applicant)
    with CaptureQueriesContext(connection) as many:
        portal_client.get(reverse("portal:home"))
    assert len(many) == len(one)
