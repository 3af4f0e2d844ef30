"""My requests: the beneficiary's own requests only, in plain words, with the expected decision
date in both calendars and what is needed from them; a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assistance import services
from assistance.models import AidType, Status
from assistance.selectors import applicant_status
from assistance.tests.conftest import make_draft, make_ready_draft, signature_png
from core.hijri import format_hijri
from core.models import Channel
from tests_support.portal import portal_sign_in

pytestmark = pytest.mark.django_db


def _submitted(officer, beneficiary):
    return services.request_submit(actor=officer, request=make_ready_draft(officer, beneficiary))


def _another(officer, beneficiary):
    """One more request of a file that is already complete (consent, income, documents)."""
    draft = make_draft(officer, beneficiary)
    services.attestation_sign(
        actor=officer,
        request=draft,
        method="drawn",
        rights_acknowledged=True,
        drawn_png=signature_png(),
    )
    return services.request_submit(actor=officer, request=draft)


def _portal_draft(beneficiary):
    return services.request_create(
        actor=None,
        beneficiary=beneficiary,
        channel=Channel.objects.get(code="website"),
        aid_types=[AidType.objects.get(code="rent")],
        need="إيجار",
    )


def test_it_asks_to_sign_in(client):
    response = client.get(reverse("portal:requests"))
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))


def test_it_is_read_only(portal_client):
    assert portal_client.post(reverse("portal:requests")).status_code == 405


def test_it_says_so_when_there_is_none(portal_client):
    response = portal_client.get(reverse("portal:requests"))
    assert response.status_code == 200
    assert reverse("portal:apply") in response.content.decode()
    assert response.context["requests"] == []


def test_it_lists_my_requests_in_plain_words(client, officer, applicant, other_applicant):
    mine = _submitted(officer, applicant)
    theirs = _submitted(officer, other_applicant)
    portal_sign_in(client, applicant)
    response = client.get(reverse("portal:requests"))
    text = response.content.decode()
    assert mine.reference in text and theirs.reference not in text
    assert AidType.objects.get(code="food_basket").name_ar in text
    assert format_hijri(mine.expected_decision_date) in text  # Hijri …
    assert mine.expected_decision_date.strftime("%d/%m/%Y") in text  # … and Gregorian
    row = response.context["requests"][0]
    assert row.plain_status == applicant_status(Status.SUBMITTED)
    assert f'status-submitted">{row.plain_status}<' in text


def test_it_shows_what_is_needed_from_me(client, officer, applicant):
    request = _submitted(officer, applicant)
    services.verification_start(actor=officer, request=request)
    services.info_request_create(actor=officer, request=request, what="صورة عقد الإيجار")
    portal_sign_in(client, applicant)
    text = client.get(reverse("portal:requests")).content.decode()
    assert "صورة عقد الإيجار" in text
    assert reverse("portal:request", args=[request.public_id]) + "#answer" in text


def test_a_draft_can_be_resumed_from_the_list(portal_client, applicant):
    draft = _portal_draft(applicant)
    text = portal_client.get(reverse("portal:requests")).content.decode()
    assert reverse("portal:apply_documents", args=[draft.public_id]) in text


def test_the_number_of_queries_does_not_grow_with_the_requests(client, officer, applicant):
    _submitted(officer, applicant)
    portal_sign_in(client, applicant)
    client.get(reverse("portal:requests"))  # warm caches (content types, translations)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("portal:requests"))
    for _ in range(3):
        request = _another(officer, applicant)
        services.verification_start(actor=officer, request=request)
    with CaptureQueriesContext(connection) as four:
        response = client.get(reverse("portal:requests"))
    assert len(response.context["requests"]) == 4
    assert len(four) == len(one)
