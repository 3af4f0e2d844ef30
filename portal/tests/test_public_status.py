"""A request's status by its reference, without signing in: a code to the applicant's mobile,
the same answer for a reference nobody holds, and a page open only to that one request for a
few minutes."""

import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import services as assistance
from assistance.tests.conftest import make_ready_draft
from core.hijri import format_gregorian, format_hijri
from notify.models import Message
from portal.models import OneTimeCode, Purpose
from portal.session import STATUS_KEY
from tests_support.factories import make_beneficiary

pytestmark = pytest.mark.django_db

LOOKUP = "/portal/status/"


@pytest.fixture
def submitted(officer, applicant):
    return assistance.request_submit(actor=officer, request=make_ready_draft(officer, applicant))


@pytest.fixture
def other_submitted(officer, other_applicant):
    return assistance.request_submit(
        actor=officer, request=make_ready_draft(officer, other_applicant)
    )


def _code_sent_to(beneficiary) -> str:
    message = Message.objects.filter(
        recipient=beneficiary.mobile, template_code="portal.otp"
    ).latest("created_at")
    return re.search(r"\d{6}", message.body).group(0)


def _look_up(client, submitted, applicant):
    response = client.post(LOOKUP, {"reference": submitted.reference})
    assert response.status_code == 302
    return client.post(response.url, {"code": _code_sent_to(applicant)})


def test_it_is_the_url_named_status():
    assert reverse("portal:status") == LOOKUP


def test_it_shows_the_status_after_the_code_sent_to_the_applicant(client, submitted, applicant):
    response = _look_up(client, submitted, applicant)
    assert response.status_code == 302
    assert response.url == reverse("portal:status_request", args=[submitted.public_id])
    grant = client.session[STATUS_KEY]
    assert grant["request"] == str(submitted.public_id)
    assert grant["until"] > time.time()
    page = client.get(response.url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert submitted.reference in html
    assert 'class="status status-submitted"' in html
    assert page.context["timeline"]  # the applicant's timeline, as on "My requests"
    # The submission and the promised decision date, Hijri and Gregorian.
    due = submitted.expected_decision_date
    assert format_hijri(due) in html and format_gregorian(due) in html
    assert format_gregorian(timezone.localdate(submitted.submitted_at)) in html


def test_it_shows_nothing_personal_beyond_the_first_name(client, submitted, applicant):
    html = client.get(_look_up(client, submitted, applicant).url).content.decode()
    assert applicant.first_name in html
    for private in (applicant.father_name, applicant.family_name, applicant.id_number):
        assert private not in html
    assert applicant.id_number[-2:] + "<" not in html
    assert applicant.mobile not in html


def test_it_answers_the_same_for_a_reference_nobody_holds(client, submitted, applicant):
    known = client.post(LOOKUP, {"reference": submitted.reference})
    unknown = client.post(LOOKUP, {"reference": "REQ-1447-999999"})
    assert known.status_code == unknown.status_code == 302

    def strip(html: str) -> str:
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r"/status/code/[0-9a-f-]{36}/", "/status/code/<id>/", html)

    assert strip(client.get(known.url).content.decode()) == strip(
        client.get(unknown.url).content.decode()
    )
    assert Message.objects.filter(template_code="portal.otp").count() == 1
    rows = OneTimeCode.objects.filter(purpose=Purpose.STATUS)
    assert rows.count() == 2
    assert set(rows.values_list("subject_id", flat=True)) == {"", str(submitted.public_id)}


def test_it_never_opens_a_status_for_a_reference_nobody_holds(client, submitted):
    response = client.post(LOOKUP, {"reference": "REQ-1447-999999"})
    page = client.post(response.url, {"code": "123456"})
    assert page.status_code == 200
    assert "code" in page.context["form"].errors
    assert STATUS_KEY not in client.session


def test_it_refuses_a_wrong_code(client, submitted, applicant):
    response = client.post(LOOKUP, {"reference": submitted.reference})
    right = _code_sent_to(applicant)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    page = client.post(response.url, {"code": wrong})
    assert page.status_code == 200
    assert "code" in page.context["form"].errors
    assert STATUS_KEY not in client.session


@pytest.mark.parametrize("typed", ["", "123", "REQ-1447-12", "1000000008"])
def test_it_refuses_a_malformed_reference_at_the_field(client, typed):
    response = client.post(LOOKUP, {"reference": typed})
    assert response.status_code == 200
    assert "reference" in response.context["form"].errors
    assert not OneTimeCode.objects.exists()


def test_it_opens_only_the_request_the_code_was_for(client, submitted, other_submitted, applicant):
    _look_up(client, submitted, applicant)
    url = reverse("portal:status_request", args=[other_submitted.public_id])
    assert client.get(url).status_code == 404


def test_it_sends_back_to_the_lookup_after_the_grant_expires(client, submitted, applicant):
    url = _look_up(client, submitted, applicant).url
    session = client.session
    session[STATUS_KEY] = {**session[STATUS_KEY], "until": int(time.time()) - 1}
    session.save()
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == LOOKUP
    assert STATUS_KEY not in client.session


def test_it_sends_back_to_the_lookup_without_a_grant(client, submitted):
    response = client.get(reverse("portal:status_request", args=[submitted.public_id]))
    assert response.status_code == 302
    assert response.url == LOOKUP


def test_a_code_cannot_be_used_twice(client, submitted, applicant):
    response = client.post(LOOKUP, {"reference": submitted.reference})
    code = _code_sent_to(applicant)
    assert client.post(response.url, {"code": code}).status_code == 302
    assert client.get(response.url).status_code == 404


def test_a_sign_in_code_does_not_open_a_status(client, submitted, applicant):
    login = client.post(reverse("portal:login"), {"identity": applicant.id_number})
    challenge_id = login.url.rstrip("/").split("/")[-1]
    url = reverse("portal:status_code", args=[challenge_id])
    assert client.get(url).status_code == 404


def test_it_refuses_after_too_many_codes_for_one_reference(client, submitted, settings):
    settings.MUSTAFID = {
        **settings.MUSTAFID,
        "PORTAL": {**settings.MUSTAFID["PORTAL"], "OTP_PER_NUMBER_PER_HOUR": 2},
    }
    for _ in range(2):
        assert client.post(LOOKUP, {"reference": submitted.reference}).status_code == 302
    response = client.post(LOOKUP, {"reference": submitted.reference})
    assert response.status_code == 200
    assert "reference" in response.context["form"].errors


def test_it_rejects_other_methods(client, submitted):
    assert client.put(LOOKUP).status_code == 405
    url = reverse("portal:status_request", args=[submitted.public_id])
    assert client.post(url).status_code == 405


def test_a_draft_has_no_status_page(client, officer):
    # A draft has no reference: nothing to look up, and its id opens nothing.
    draft = make_ready_draft(officer, make_beneficiary(officer))
    session = client.session
    session[STATUS_KEY] = {"request": str(draft.public_id), "until": int(time.time()) + 60}
    session.save()
    assert client.get(reverse("portal:status_request", args=[draft.public_id])).status_code == 404
