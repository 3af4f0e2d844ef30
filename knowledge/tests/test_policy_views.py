"""Policy-registry screens: each view's happy path, wrong method (405), wrong role (403),
what a reader may not see (404); the private file served only through a logged view."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ActivityLog
from knowledge import services
from knowledge.models import PolicyDocument, PolicyVersion, VersionStatus
from tests_support.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


def _url(name, obj=None):
    return reverse(f"knowledge:{name}", args=[obj.public_id] if obj else [])


def _unknown(name):
    return reverse(f"knowledge:{name}", args=[uuid.uuid4()])


@pytest.fixture
def in_force(relations_policy):
    return relations_policy.versions.get(status=VersionStatus.APPROVED)


@pytest.fixture
def draft(manager, relations_policy):
    return services.policy_version_add(
        actor=manager,
        document=relations_policy,
        text="نص الإصدار الثاني",
        file=SimpleUploadedFile("policy.pdf", PDF_BYTES),
    )


# --- List ---------------------------------------------------------------------------------


def test_the_registry_lists_documents(client, volunteer, relations_policy):
    client.force_login(volunteer)
    response = client.get(_url("policy_list"))
    assert response.status_code == 200
    assert relations_policy.title in response.text
    assert "1447" in response.text  # the approval date in Hijri
    assert "2025" in response.text  # and in Gregorian


def test_the_registry_refuses_post_and_no_role(client, officer, no_role):
    client.force_login(officer)
    assert client.post(_url("policy_list")).status_code == 405
    client.force_login(no_role)
    assert client.get(_url("policy_list")).status_code == 403


# --- Document page ------------------------------------------------------------------------


def test_the_document_page_shows_the_version_in_force(client, officer, relations_policy, draft):
    client.force_login(officer)
    response = client.get(relations_policy.get_absolute_url())
    assert response.status_code == 200
    assert response.context["current"].number == 1
    assert "استقبال المستفيد بلباقة واحترام" in response.text
    assert "23/03/1447" in response.text and "15/09/2025" in response.text
    assert draft not in response.context["versions"]  # drafts are for managers


def test_managers_see_drafts_and_history(client, manager, relations_policy, draft):
    client.force_login(manager)
    response = client.get(relations_policy.get_absolute_url())
    assert draft in response.context["versions"]
    assert response.context["timeline"]


def test_the_document_page_refuses_post_no_role_and_unknown(
    client, officer, no_role, relations_policy
):
    client.force_login(officer)
    assert client.post(relations_policy.get_absolute_url()).status_code == 405
    assert client.get(_unknown("policy_detail")).status_code == 404
    client.force_login(no_role)
    assert client.get(relations_policy.get_absolute_url()).status_code == 403


# --- Create and edit documents ------------------------------------------------------------


def test_a_manager_adds_a_document(client, manager):
    client.force_login(manager)
    assert client.get(_url("policy_create")).status_code == 200
    response = client.post(
        _url("policy_create"),
        {
            "title": "دليل سياسة الدعم للمستفيدين",
            "kind": "support_policy",
            "audience": "public",
            "description": "",
            "next_review_date": "",
        },
    )
    document = PolicyDocument.objects.get(kind="support_policy")
    assert response.status_code == 302
    assert response["Location"] == _url("version_add", document)


def test_create_refuses_other_methods_and_roles(client, manager, quality):
    client.force_login(manager)
    assert client.put(_url("policy_create")).status_code == 405
    client.force_login(quality)
    assert client.get(_url("policy_create")).status_code == 403


def test_a_manager_sets_the_review_date_in_hijri(client, manager, relations_policy):
    client.force_login(manager)
    response = client.post(
        _url("policy_edit", relations_policy),
        {
            "title": relations_policy.title,
            "kind": relations_policy.kind,
            "audience": relations_policy.audience,
            "description": relations_policy.description,
            "next_review_date": "01/03/1448",
        },
    )
    assert response.status_code == 302
    relations_policy.refresh_from_db()
    assert relations_policy.next_review_date.year == 2026
    assert ActivityLog.objects.filter(action="knowledge.policy.updated").exists()


def test_edit_refuses_other_methods_roles_and_unknown(client, manager, officer, relations_policy):
    client.force_login(manager)
    assert client.delete(_url("policy_edit", relations_policy)).status_code == 405
    assert client.get(_unknown("policy_edit")).status_code == 404
    client.force_login(officer)
    assert client.get(_url("policy_edit", relations_policy)).status_code == 403


# --- Versions -----------------------------------------------------------------------------


def test_a_manager_adds_a_version_with_a_pdf(client, manager, relations_policy):
    client.force_login(manager)
    assert client.get(_url("version_add", relations_policy)).status_code == 200
    response = client.post(
        _url("version_add", relations_policy),
        {
            "label": "الإصدار الثاني",
            "text": "",
            "file": SimpleUploadedFile("policy.pdf", PDF_BYTES),
            "changes_summary": "تحديث القنوات",
        },
    )
    assert response.status_code == 302
    version = relations_policy.versions.get(number=2)
    assert version.status == VersionStatus.DRAFT
    assert version.file


def test_a_photo_is_refused_at_the_file_field(client, manager, relations_policy):
    client.force_login(manager)
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
        b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd"
        b"\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    response = client.post(
        _url("version_add", relations_policy),
        {"text": "", "file": SimpleUploadedFile("scan.png", png), "changes_summary": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert relations_policy.versions.count() == 1


def test_an_empty_version_is_refused_at_the_text_field(client, manager, relations_policy):
    client.force_login(manager)
    response = client.post(_url("version_add", relations_policy), {"text": "  "})
    assert response.context["form"].errors["text"]


def test_version_add_refuses_other_methods_roles_and_unknown(
    client, manager, quality, relations_policy
):
    client.force_login(manager)
    assert client.put(_url("version_add", relations_policy)).status_code == 405
    assert client.get(_unknown("version_add")).status_code == 404
    client.force_login(quality)
    assert client.get(_url("version_add", relations_policy)).status_code == 403


def test_the_version_page(client, officer, in_force):
    client.force_login(officer)
    response = client.get(_url("version_detail", in_force))
    assert response.status_code == 200
    assert "مجلس الإدارة" in response.text


def test_the_version_page_hides_drafts_and_refuses_post(client, officer, no_role, draft):
    client.force_login(officer)
    assert client.get(_url("version_detail", draft)).status_code == 404
    assert client.post(_url("version_detail", draft)).status_code == 405
    client.force_login(no_role)
    assert client.get(_url("version_detail", draft)).status_code == 403


# --- Approval -----------------------------------------------------------------------------


def test_a_manager_records_the_approval_in_hijri(client, manager, in_force, draft):
    client.force_login(manager)
    assert client.get(_url("version_approve", draft)).status_code == 200
    response = client.post(
        _url("version_approve", draft),
        {
            "approving_body": "مجلس الإدارة",
            "meeting_number": "١٦٢",
            "approval_date": "08/04/1447هـ",
            "effective_date": "08/04/1447",
            "next_review_date": "",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    in_force.refresh_from_db()
    assert draft.status == VersionStatus.APPROVED
    assert draft.meeting_number == "162"
    assert draft.approval_date.isoformat() == "2025-09-30"
    assert in_force.status == VersionStatus.SUPERSEDED


def test_approval_errors_show_at_their_fields(client, manager, draft):
    client.force_login(manager)
    response = client.post(
        _url("version_approve", draft),
        {
            "approving_body": "مجلس الإدارة",
            "approval_date": "20/09/2025",
            "effective_date": "01/09/2025",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["effective_date"]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_approving_twice_shows_the_service_refusal(client, manager, in_force):
    client.force_login(manager)
    response = client.post(
        _url("version_approve", in_force),
        {
            "approving_body": "مجلس الإدارة",
            "approval_date": "20/09/2025",
            "effective_date": "20/09/2025",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_approve_refuses_other_methods_roles_and_unknown(client, manager, officer, draft):
    client.force_login(manager)
    assert client.put(_url("version_approve", draft)).status_code == 405
    assert client.get(_unknown("version_approve")).status_code == 404
    client.force_login(officer)
    assert client.get(_url("version_approve", draft)).status_code == 403


# --- The file -----------------------------------------------------------------------------


def test_the_file_is_served_and_each_view_logged(client, manager, officer, relations_policy, draft):
    services.policy_version_approve(
        actor=manager,
        version=draft,
        approving_body="مجلس الإدارة",
        approval_date=draft.created_at.date(),
        effective_date=draft.created_at.date(),
    )
    client.force_login(officer)
    response = client.get(_url("version_file", draft))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF_BYTES
    response = client.get(_url("version_file", draft), {"download": "1"})
    assert response["Content-Disposition"].startswith("attachment")
    actions = list(
        ActivityLog.objects.filter(actor=officer).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["knowledge.policy.file_viewed", "knowledge.policy.file_downloaded"]


def test_a_draft_file_is_hidden_from_staff(client, officer, draft):
    client.force_login(officer)
    assert client.get(_url("version_file", draft)).status_code == 404
    assert not ActivityLog.objects.filter(actor=officer).exists()


def test_a_version_without_file_is_404(client, officer, in_force):
    client.force_login(officer)
    assert client.get(_url("version_file", in_force)).status_code == 404


def test_the_file_refuses_post_and_no_role(client, manager, no_role, draft):
    client.force_login(manager)
    assert client.post(_url("version_file", draft)).status_code == 405
    client.force_login(no_role)
    assert client.get(_url("version_file", draft)).status_code == 403


# --- Acknowledgements ---------------------------------------------------------------------


def test_staff_acknowledge_reading(client, researcher, relations_policy, in_force):
    client.force_login(researcher)
    response = client.post(_url("version_acknowledge", in_force))
    assert response.status_code == 302
    assert in_force.acknowledgements.filter(user=researcher).exists()
    page = client.get(relations_policy.get_absolute_url())
    assert page.context["acknowledgement"] is not None


def test_a_superseded_version_cannot_be_acknowledged(client, manager, officer, in_force, draft):
    services.policy_version_approve(
        actor=manager,
        version=draft,
        approving_body="مجلس الإدارة",
        approval_date=draft.created_at.date(),
        effective_date=draft.created_at.date(),
    )
    client.force_login(officer)
    response = client.post(_url("version_acknowledge", in_force))
    assert response.status_code == 302
    assert not in_force.acknowledgements.exists()


def test_acknowledge_refuses_get_no_role_and_drafts(client, officer, no_role, in_force, draft):
    client.force_login(officer)
    assert client.get(_url("version_acknowledge", in_force)).status_code == 405
    assert client.post(_url("version_acknowledge", draft)).status_code == 404
    client.force_login(no_role)
    assert client.post(_url("version_acknowledge", in_force)).status_code == 403


def test_the_manager_sees_who_has_read(client, manager, officer, researcher, relations_policy):
    services.policy_acknowledge(
        actor=officer, version=relations_policy.versions.get(status=VersionStatus.APPROVED)
    )
    client.force_login(manager)
    response = client.get(_url("policy_acknowledgements", relations_policy))
    assert response.status_code == 200
    groups = {g.role: g for g in response.context["groups"]}
    assert [m for m, _when in groups["officer"].acknowledged] == [officer]
    assert groups["researcher"].pending == [researcher]
    assert researcher.display_name in response.text


def test_the_report_refuses_post_roles_and_unknown(client, manager, officer, relations_policy):
    client.force_login(manager)
    assert client.post(_url("policy_acknowledgements", relations_policy)).status_code == 405
    assert client.get(_unknown("policy_acknowledgements")).status_code == 404
    client.force_login(officer)
    assert client.get(_url("policy_acknowledgements", relations_policy)).status_code == 403


def test_a_document_without_version_in_force(client, manager, make_policy):
    document = make_policy()
    client.force_login(manager)
    assert client.get(document.get_absolute_url()).status_code == 200
    response = client.get(_url("policy_acknowledgements", document))
    assert response.status_code == 200
    assert response.context["current"] is None
    assert PolicyVersion.objects.filter(document=document).count() == 0
