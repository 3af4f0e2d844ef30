"""My documents: their state, a download of my own file (logged), and uploading a new or
renewed one through the registry's own service, with its checks shown at the field."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beneficiaries import services
from beneficiaries.models import Document
from core.models import ActivityLog
from tests_support.factories import PDF_BYTES, make_document

pytestmark = pytest.mark.django_db


def test_it_lists_my_documents_with_their_state(portal_client, officer, applicant, other_applicant):
    make_document(officer, applicant, expires_on=datetime.date(2001, 1, 1))
    make_document(officer, other_applicant, code="lease", expires_on=datetime.date(2031, 1, 1))
    page = portal_client.get(reverse("portal:documents")).content.decode()
    assert "state-expired" in page
    assert "عقد الإيجار" not in page  # the other beneficiary's lease
    assert "?type=national_id" in page  # a link to upload the renewed one


def test_downloading_my_document_is_logged(portal_client, officer, applicant):
    document = make_document(officer, applicant)
    response = portal_client.get(reverse("portal:document_file", args=[document.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]
    entry = ActivityLog.objects.get(action="beneficiaries.document.downloaded")
    assert entry.actor is None
    assert entry.subject_id == str(applicant.pk)


def _post(client, upload, **extra):
    data = {"doc_type": "national_id", "upload": upload, "expires_on": "01/01/1455", **extra}
    return client.post(reverse("portal:document_new"), data)


def test_i_upload_a_renewed_document_with_a_hijri_expiry(portal_client, applicant):
    response = _post(portal_client, SimpleUploadedFile("هويتي.pdf", PDF_BYTES))
    assert response.status_code == 302, response.context["form"].errors
    document = Document.objects.get(beneficiary=applicant)
    assert document.uploaded_by is None
    assert document.expires_on.year == 2033  # 01/01/1455 AH
    assert document.member is None
    entry = ActivityLog.objects.get(action="beneficiaries.document.uploaded")
    assert entry.actor is None


def test_i_upload_a_document_of_a_family_member(portal_client, officer, applicant):
    member = services.member_save(
        actor=officer,
        beneficiary=applicant,
        data={
            "relation": "son",
            "full_name": "سعد",
            "gender": "male",
            "birth_date": datetime.date(2009, 1, 1),
        },
    )
    response = _post(
        portal_client, SimpleUploadedFile("a.pdf", PDF_BYTES), member=str(member.public_id)
    )
    assert response.status_code == 302
    assert Document.objects.get().member == member


def test_a_file_that_is_not_a_document_is_refused_at_the_field(portal_client):
    response = _post(portal_client, SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>"))
    assert response.status_code == 200
    assert response.context["form"].errors["upload"]
    assert not Document.objects.exists()
    assert not ActivityLog.objects.filter(action="beneficiaries.document.uploaded").exists()


def test_a_type_that_expires_needs_its_expiry_date(portal_client):
    response = _post(portal_client, SimpleUploadedFile("a.pdf", PDF_BYTES), expires_on="")
    assert response.context["form"].errors["expires_on"]
    assert not Document.objects.exists()


def test_another_beneficiary_s_member_is_not_a_choice(portal_client, officer, other_applicant):
    theirs = services.member_save(
        actor=officer,
        beneficiary=other_applicant,
        data={
            "relation": "son",
            "full_name": "ابنها",
            "gender": "male",
            "birth_date": datetime.date(2010, 1, 1),
        },
    )
    response = _post(
        portal_client, SimpleUploadedFile("a.pdf", PDF_BYTES), member=str(theirs.public_id)
    )
    assert response.context["form"].errors["member"]
    assert not Document.objects.exists()


def test_the_upload_page_loads_no_script(portal_client):
    page = portal_client.get(reverse("portal:document_new") + "?type=lease").content.decode()
    assert "hx-get" not in page
    assert "<script" not in page
    assert 'value="lease" selected' in page
