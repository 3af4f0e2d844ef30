"""Attachments: checked on their content, stored privately (no URL), all or none stored,
served only to the roles that see sensitive data, every view logged on the letter and on the
beneficiary's timeline."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.activity import entries_for
from core.models import ActivityLog
from correspondence import services
from correspondence.models import Letter, LetterAttachment, LetterSequence
from correspondence.tests.conftest import register
from tests_support.factories import PDF_BYTES, pdf_upload

pytestmark = pytest.mark.django_db


def disguised(name="خطاب.pdf"):
    """A Windows program named like a PDF."""
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 400, content_type="application/pdf")


def test_files_are_checked_on_content_and_stored_privately(officer, incoming):
    [attachment] = services.attachment_add(
        actor=officer, letter=incoming, uploads=[pdf_upload("scan.pdf")], description="الخطاب"
    )
    assert attachment.content_type == "application/pdf" and attachment.extension == "pdf"
    assert attachment.original_name == "scan.pdf" and attachment.size == len(PDF_BYTES)
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018  (private storage has no URL at all)
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES


def test_a_disguised_file_is_refused_and_nothing_is_stored(officer, incoming):
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            actor=officer, letter=incoming, uploads=[pdf_upload("ok.pdf"), disguised()]
        )
    assert set(exc.value.message_dict) == {"attachments"}
    assert "خطاب.pdf" in exc.value.message_dict["attachments"][0]
    assert not LetterAttachment.objects.exists()


def test_registering_with_a_bad_file_registers_nothing(officer):
    with pytest.raises(ValidationError):
        register(officer, attachments=[pdf_upload(), disguised()])
    assert not Letter.objects.exists() and not LetterSequence.objects.exists()
    assert not LetterAttachment.objects.exists()


def test_registering_with_the_scan_attaches_it(officer, beneficiary):
    letter = register(officer, beneficiary=beneficiary, attachments=[pdf_upload("scan.pdf")])
    assert [a.original_name for a in letter.attachments.all()] == ["scan.pdf"]
    actions = [e.action for e in entries_for(beneficiary)]
    assert "correspondence.attachment.added" in actions


def test_viewing_an_attachment_is_logged_on_the_letter_and_the_timeline(
    client, officer, incoming, beneficiary
):
    [attachment] = services.attachment_add(actor=officer, letter=incoming, uploads=[pdf_upload()])
    client.force_login(officer)
    url = reverse("correspondence:attachment", args=[incoming.public_id, attachment.public_id])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    entry = ActivityLog.objects.get(action="correspondence.attachment.viewed")
    assert entry.actor == officer and entry.subject_id == str(beneficiary.pk)
    assert entry.target_id == str(incoming.pk)


def test_roles_without_sensitive_data_cannot_open_attachments(
    client, officer, service_officer, incoming
):
    [attachment] = services.attachment_add(actor=officer, letter=incoming, uploads=[pdf_upload()])
    url = reverse("correspondence:attachment", args=[incoming.public_id, attachment.public_id])
    client.force_login(service_officer)
    assert client.get(url).status_code == 403
    # …but they read the register and the letter itself.
    assert (
        client.get(reverse("correspondence:detail", args=[incoming.public_id])).status_code == 200
    )
    assert not ActivityLog.objects.filter(action="correspondence.attachment.viewed").exists()


def test_an_attachment_of_another_letter_or_branch_is_not_found(
    client, officer, other_rep, incoming
):
    [attachment] = services.attachment_add(actor=officer, letter=incoming, uploads=[pdf_upload()])
    other = register(officer)
    client.force_login(officer)
    wrong_letter = reverse(
        "correspondence:attachment", args=[other.public_id, attachment.public_id]
    )
    assert client.get(wrong_letter).status_code == 404
    client.force_login(other_rep)
    url = reverse("correspondence:attachment", args=[incoming.public_id, attachment.public_id])
    assert client.get(url).status_code == 404
    assert not ActivityLog.objects.filter(action="correspondence.attachment.viewed").exists()


def test_the_attach_screen_stores_several_files(client, representative, incoming):
    client.force_login(representative)
    response = client.post(
        reverse("correspondence:attach", args=[incoming.public_id]),
        {"attachments": [pdf_upload("a.pdf"), pdf_upload("b.pdf")], "description": "مرفقات"},
    )
    assert response.status_code == 302
    assert sorted(incoming.attachments.values_list("original_name", flat=True)) == [
        "a.pdf",
        "b.pdf",
    ]


def test_the_attach_screen_reports_a_bad_file(client, representative, incoming):
    client.force_login(representative)
    response = client.post(
        reverse("correspondence:attach", args=[incoming.public_id]),
        {"attachments": [disguised()]},
        follow=True,
    )
    assert response.status_code == 200
    assert not incoming.attachments.exists()
    assert list(response.context["messages"])  # the refusal is shown on the letter page
