"""Documents: checked on content and size, stored with no public URL, served only through a
permission-checked view that logs each access; expiry and maximum-age states."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from beneficiaries.models import Document, DocumentState, DocumentType
from core.models import ActivityLog
from tests_support.factories import PDF_BYTES, make_document

pytestmark = pytest.mark.django_db


def _upload(client, b, upload, code="national_id", **extra):
    data = {
        "doc_type": DocumentType.objects.get(code=code).pk,
        "upload": upload,
        "expires_on": "01/01/2031",
        **extra,
    }
    return client.post(reverse("beneficiaries:document_add", args=[b.public_id]), data)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_uploads_a_pdf_privately(client, officer, beneficiary, settings):
    client.force_login(officer)
    response = _upload(client, beneficiary, SimpleUploadedFile("هوية.pdf", PDF_BYTES))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    assert document.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not document.file.path.startswith(str(settings.MEDIA_ROOT))
    assert "هوية" not in document.file.name  # stored under a random name
    assert ActivityLog.objects.filter(action="beneficiaries.document.uploaded").count() == 1


def test_a_photo_named_pdf_is_stored_as_what_it_is(client, officer, beneficiary):
    client.force_login(officer)
    _upload(client, beneficiary, SimpleUploadedFile("scan.pdf", _png()))
    assert Document.objects.get().extension == "png"


@pytest.mark.parametrize(
    ("name", "content", "arabic"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "محتوى الملف"),
        ("script.pdf", b"<script>alert(1)</script>", "محتوى الملف"),
        ("virus.exe", PDF_BYTES, "PDF"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "تالف"),
    ],
)
def test_disguised_or_broken_files_are_refused(client, officer, beneficiary, name, content, arabic):
    client.force_login(officer)
    response = _upload(client, beneficiary, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert arabic in " ".join(response.context["form"].errors["upload"])
    assert not Document.objects.exists()


def test_oversize_file_is_refused(client, officer, beneficiary, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    client.force_login(officer)
    response = _upload(client, beneficiary, SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048))
    assert "حجم الملف" in " ".join(response.context["form"].errors["upload"])
    assert not Document.objects.exists()


def test_expiry_is_required_for_types_that_expire(client, officer, beneficiary):
    client.force_login(officer)
    response = _upload(client, beneficiary, SimpleUploadedFile("id.pdf", PDF_BYTES), expires_on="")
    assert "expires_on" in response.context["form"].errors


def test_viewing_and_downloading_are_logged(client, officer, researcher, beneficiary):
    document = make_document(officer, beneficiary)
    client.force_login(researcher)
    url = reverse("beneficiaries:document_file", args=[document.public_id])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(url + "?download=1")["Content-Disposition"].startswith("attachment")
    actions = list(ActivityLog.objects.filter(actor=researcher).values_list("action", flat=True))
    assert sorted(actions) == ["beneficiaries.document.downloaded", "beneficiaries.document.viewed"]


def test_states_follow_expiry_and_maximum_age(officer, beneficiary):
    today = datetime.date(2026, 1, 1)
    expired = make_document(officer, beneficiary, expires_on=datetime.date(2025, 12, 31))
    expiring = make_document(officer, beneficiary, expires_on=datetime.date(2026, 1, 20))
    valid = make_document(officer, beneficiary, expires_on=datetime.date(2027, 1, 1))
    old_income = make_document(
        officer,
        beneficiary,
        code="salary_letter",
        expires_on=None,
        issued_on=datetime.date(2025, 9, 1),  # more than 90 days before `today`
    )
    assert expired.state_on(today) == DocumentState.EXPIRED
    assert expiring.state_on(today) == DocumentState.EXPIRING
    assert valid.state_on(today) == DocumentState.VALID
    assert old_income.state_on(today) == DocumentState.TOO_OLD


def test_page_warns_about_expired_documents(client, officer, beneficiary):
    make_document(officer, beneficiary, expires_on=datetime.date(2020, 1, 1), issued_on=None)
    client.force_login(officer)
    html = client.get(reverse("beneficiaries:detail", args=[beneficiary.public_id])).content
    assert b"state-expired" in html
