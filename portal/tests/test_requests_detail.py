"""A request's page on the portal: its story, the question waiting for an answer (text and/or
a document), and withdrawing it; bad input at the field with nothing saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistance import services
from assistance.models import InfoRequest, Status
from assistance.tests.conftest import make_ready_draft
from beneficiaries.models import Document, DocumentType
from core.models import ActivityLog
from notify.models import Message
from tests_support.factories import PDF_BYTES
from tests_support.portal import portal_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(officer, applicant):
    return services.request_submit(actor=officer, request=make_ready_draft(officer, applicant))


@pytest.fixture
def waiting(officer, submitted):
    """A request waiting for the applicant: a question about the lease."""
    services.verification_start(actor=officer, request=submitted)
    info = services.info_request_create(actor=officer, request=submitted, what="صورة عقد الإيجار")
    submitted.refresh_from_db()
    return info


@pytest.fixture
def me(client, applicant, submitted):
    """The applicant signed in after the officer took their file (consent included)."""
    return portal_sign_in(client, applicant)


def _url(request, name="portal:request"):
    return reverse(name, args=[request.public_id])


def test_it_shows_the_request_and_its_story(me, submitted):
    response = me.get(_url(submitted))
    assert response.status_code == 200
    text = response.content.decode()
    assert submitted.reference in text
    assert '<ol class="timeline story">' in text and 'aria-current="step"' in text
    assert response.context["timeline"][0]["state"] == "done"


def test_it_asks_to_sign_in_and_refuses_other_methods(client, applicant, submitted):
    response = client.get(_url(submitted))
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))
    portal_sign_in(client, applicant)
    assert client.post(_url(submitted)).status_code == 405
    assert client.get(_url(submitted, "portal:request_answer")).status_code == 405
    assert client.get(_url(submitted, "portal:request_appeal")).status_code == 405
    assert client.put(_url(submitted, "portal:request_withdraw")).status_code == 405


def test_it_answers_a_question_in_words(me, submitted, waiting):
    page = me.get(_url(submitted)).content.decode()
    assert "صورة عقد الإيجار" in page and 'id="answer"' in page
    response = me.post(_url(submitted, "portal:request_answer"), {"answer": "سأرسله غداً"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    submitted.refresh_from_db()
    assert waiting.answer == "سأرسله غداً" and waiting.answered_by is None
    assert submitted.status == Status.VERIFYING
    entry = ActivityLog.objects.get(action="assistance.info.answered")
    assert entry.actor is None and entry.data["via"] == "portal"


def test_it_answers_a_question_with_a_document(me, submitted, waiting, applicant):
    lease = DocumentType.objects.get(code="lease")
    response = me.post(
        _url(submitted, "portal:request_answer"),
        {
            "doc_type": lease.pk,
            "upload": SimpleUploadedFile("lease.pdf", PDF_BYTES, content_type="application/pdf"),
            "expires_on": "01/01/2030",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(beneficiary=applicant, doc_type=lease)
    assert document.uploaded_by is None
    waiting.refresh_from_db()
    assert waiting.answered_at is not None
    assert (
        ActivityLog.objects.get(action="assistance.info.answered").data["type_en"]
        == "Lease contract"
    )


def test_an_empty_answer_is_refused_at_the_field(me, submitted, waiting):
    response = me.post(_url(submitted, "portal:request_answer"), {"answer": "  "})
    assert response.status_code == 200
    assert "answer" in response.context["answer_form"].errors
    assert 'id="id_answer_error"' in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.answered_at is None


def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_saved(me, submitted, waiting):
    response = me.post(
        _url(submitted, "portal:request_answer"),
        {
            "answer": "مرفق",
            "doc_type": DocumentType.objects.get(code="lease").pk,
            "upload": SimpleUploadedFile("x.pdf", b"#!/bin/sh\necho hi\n"),
            "expires_on": "01/01/2030",
        },
    )
    assert response.status_code == 200
    assert "upload" in response.context["answer_form"].errors
    waiting.refresh_from_db()
    assert waiting.answered_at is None and not waiting.answer
    assert not Document.objects.filter(doc_type__code="lease").exists()


def test_a_document_with_an_expiry_needs_its_date(me, submitted, waiting):
    response = me.post(
        _url(submitted, "portal:request_answer"),
        {
            "doc_type": DocumentType.objects.get(code="lease").pk,
            "upload": SimpleUploadedFile("lease.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    assert "expires_on" in response.context["answer_form"].errors
    assert not Document.objects.filter(doc_type__code="lease").exists()


def test_a_document_needs_its_kind(me, submitted, waiting):
    response = me.post(
        _url(submitted, "portal:request_answer"),
        {"upload": SimpleUploadedFile("lease.pdf", PDF_BYTES, content_type="application/pdf")},
    )
    assert "doc_type" in response.context["answer_form"].errors
    assert not InfoRequest.objects.filter(answered_at__isnull=False).exists()


def test_there_is_nothing_to_answer_without_a_question(me, submitted):
    response = me.post(_url(submitted, "portal:request_answer"), {"answer": "مرحبا"})
    assert response.status_code == 404


def test_it_withdraws_after_a_confirmation(me, submitted):
    page = me.get(_url(submitted, "portal:request_withdraw"))
    assert page.status_code == 200 and submitted.reference in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED  # asking is not withdrawing
    response = me.post(_url(submitted, "portal:request_withdraw"))
    assert response.url == _url(submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN
    entry = ActivityLog.objects.get(action="assistance.request.withdrawn")
    assert entry.actor is None and entry.data["via"] == "portal"
    # Withdrawn: nothing more to withdraw.
    assert me.get(_url(submitted, "portal:request_withdraw")).url == _url(submitted)
    assert Message.objects.filter(template_code="request.submitted").count() == 1
