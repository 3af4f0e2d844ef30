"""The policy registry: the first record loaded by migration, versions, approval records,
supersession with one version in force (a database constraint), PDF files checked by content,
and staff read-acknowledgements."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from core.hijri import format_dual
from core.models import ActivityLog
from knowledge import selectors, services
from knowledge.models import (
    PolicyAcknowledgement,
    PolicyVersion,
    VersionStatus,
)
from tests_support.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


def test_the_relations_policy_is_the_first_record(relations_policy):
    version = relations_policy.versions.get()
    assert relations_policy.title == "سياسة تنظيم العلاقة مع المستفيدين"
    assert relations_policy.audience == "public"
    assert version.status == VersionStatus.APPROVED
    assert version.approving_body == "مجلس الإدارة"
    assert version.meeting_number == "161"
    assert version.approval_date == datetime.date(2025, 9, 15)
    assert version.effective_date == datetime.date(2025, 9, 15)
    assert format_dual(version.approval_date).startswith("23/03/1447")
    assert relations_policy.next_review_date == datetime.date(2026, 9, 15)
    assert "استقبال المستفيد بلباقة واحترام" in version.text
    assert "لا تقل عن أسبوعين" in version.text
    assert "مختل ف" not in version.text  # the PDF extraction's split word is repaired


def test_versions_are_numbered_in_order_and_start_as_drafts(manager, make_policy):
    document = make_policy()
    first = services.policy_version_add(actor=manager, document=document, text="النص الأول")
    second = services.policy_version_add(actor=manager, document=document, text="النص الثاني")
    assert (first.number, second.number) == (1, 2)
    assert first.status == second.status == VersionStatus.DRAFT
    assert ActivityLog.objects.filter(action="knowledge.policy.version_added").count() == 2


def test_only_managers_keep_the_registry(officer, quality, admin_user, make_policy):
    with pytest.raises(PermissionDenied):
        make_policy(actor=officer)
    with pytest.raises(PermissionDenied):
        make_policy(actor=quality)
    document = make_policy(actor=admin_user)
    with pytest.raises(PermissionDenied):
        services.policy_version_add(actor=quality, document=document, text="نص")


def test_a_version_needs_text_or_a_file(manager, make_policy):
    with pytest.raises(ValidationError) as exc:
        services.policy_version_add(actor=manager, document=make_policy(), text="   ")
    assert "text" in exc.value.error_dict


def test_a_pdf_is_stored_privately(manager, make_policy, settings):
    version = services.policy_version_add(
        actor=manager,
        document=make_policy(),
        file=SimpleUploadedFile("policy.pdf", PDF_BYTES),
    )
    assert version.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert version.file_size == len(PDF_BYTES)
    assert len(version.file_sha256) == 64


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [("scan.pdf", _png()), ("policy.pdf", b"not a pdf at all"), ("policy.exe", PDF_BYTES)],
)
def test_only_real_pdfs_are_accepted(manager, make_policy, name, content, settings):
    document = make_policy()
    with pytest.raises(ValidationError) as exc:
        services.policy_version_add(
            actor=manager, document=document, file=SimpleUploadedFile(name, content)
        )
    assert "file" in exc.value.error_dict
    assert not document.versions.exists()


def test_approval_records_the_meeting_and_supersedes(manager, relations_policy, approve):
    old = relations_policy.versions.get()
    new = services.policy_version_add(
        actor=manager, document=relations_policy, text="نص معدّل", changes_summary="تعديل"
    )
    approve(new, on=datetime.date(2025, 10, 1), meeting_number="١٦٥")
    old.refresh_from_db()
    new.refresh_from_db()
    relations_policy.refresh_from_db()
    assert old.status == VersionStatus.SUPERSEDED
    assert new.status == VersionStatus.APPROVED
    assert new.meeting_number == "165"  # Arabic-Indic digits typed, ASCII stored
    assert new.approved_by == manager
    assert relations_policy.next_review_date == datetime.date(2026, 10, 1)
    actions = set(ActivityLog.objects.values_list("action", flat=True))
    assert {"knowledge.policy.version_approved", "knowledge.policy.version_superseded"} <= actions


def test_the_database_allows_one_version_in_force(manager, relations_policy):
    draft = services.policy_version_add(actor=manager, document=relations_policy, text="نص")
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.filter(pk=draft.pk).update(
            status=VersionStatus.APPROVED,
            approving_body="مجلس الإدارة",
            approval_date=datetime.date(2025, 10, 1),
            effective_date=datetime.date(2025, 10, 1),
        )


def test_the_database_requires_an_approval_record(manager, relations_policy):
    draft = services.policy_version_add(actor=manager, document=relations_policy, text="نص")
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.filter(pk=draft.pk).update(status=VersionStatus.SUPERSEDED)


def test_approval_guards(manager, officer, relations_policy, approve):
    first = services.policy_version_add(actor=manager, document=relations_policy, text="أ")
    second = services.policy_version_add(actor=manager, document=relations_policy, text="ب")
    with pytest.raises(PermissionDenied):
        services.policy_version_approve(
            actor=officer,
            version=second,
            approving_body="مجلس الإدارة",
            approval_date=datetime.date(2025, 10, 1),
            effective_date=datetime.date(2025, 10, 1),
        )
    approve(second)
    with pytest.raises(ValidationError, match="أحدث"):
        approve(first)
    with pytest.raises(ValidationError):
        approve(second)  # no longer a draft


def test_approval_dates_are_checked(manager, relations_policy, approve):
    draft = services.policy_version_add(actor=manager, document=relations_policy, text="نص")
    future = datetime.date.today() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        approve(draft, on=future)
    assert "approval_date" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        approve(draft, effective_date=datetime.date(2025, 9, 1))
    assert "effective_date" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        approve(draft, next_review_date=datetime.date(2025, 9, 15))
    assert "next_review_date" in exc.value.error_dict
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_failed_approval_leaves_the_current_version_in_force(
    manager, relations_policy, approve, monkeypatch
):
    current = relations_policy.versions.get()
    draft = services.policy_version_add(actor=manager, document=relations_policy, text="نص")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "format_dual", boom)
    with pytest.raises(RuntimeError):
        approve(draft)
    current.refresh_from_db()
    assert current.status == VersionStatus.APPROVED


def test_the_leap_day_review_falls_on_the_28th():
    assert services.one_year_after(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


# --- Reading ------------------------------------------------------------------------------


def test_drafts_are_for_managers_only(manager, officer, relations_policy):
    draft = services.policy_version_add(actor=manager, document=relations_policy, text="نص")
    assert selectors.version_get(manager, draft.public_id) == draft
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.version_get(officer, draft.public_id)


def test_the_public_sees_public_documents_in_force(manager, make_policy, relations_policy):
    staff_doc = make_policy(audience="staff")
    services.policy_version_add(actor=manager, document=staff_doc, text="نص")
    public_draft_only = make_policy("دليل عام", audience="public")
    services.policy_version_add(actor=manager, document=public_draft_only, text="نص")
    assert list(selectors.documents_for(None)) == [relations_policy]


def test_the_list_reads_in_fixed_queries(manager, officer, make_policy, approve, relations_policy):
    for i in range(3):
        document = make_policy(f"دليل {i}")
        approve(services.policy_version_add(actor=manager, document=document, text="نص"))
    services.policy_acknowledge(actor=officer, version=relations_policy.versions.get())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        documents = selectors.policy_list(officer)
    assert len(queries) == 3
    by_title = {d.title: d for d in documents}
    assert by_title[relations_policy.title].acknowledged
    assert not by_title["دليل 0"].acknowledged


# --- Acknowledgements ---------------------------------------------------------------------


def test_staff_acknowledge_the_version_in_force_once(officer, relations_policy):
    version = relations_policy.versions.get()
    first = services.policy_acknowledge(actor=officer, version=version)
    again = services.policy_acknowledge(actor=officer, version=version)
    assert first.pk == again.pk
    assert ActivityLog.objects.filter(action="knowledge.policy.acknowledged").count() == 1


def test_the_database_keeps_one_acknowledgement_per_reader(officer, relations_policy):
    version = relations_policy.versions.get()
    PolicyAcknowledgement.objects.create(version=version, user=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyAcknowledgement.objects.create(version=version, user=officer)


def test_only_the_version_in_force_can_be_acknowledged(manager, officer, no_role, relations_policy):
    draft = services.policy_version_add(actor=manager, document=relations_policy, text="نص")
    with pytest.raises(ValidationError):
        services.policy_acknowledge(actor=officer, version=draft)
    in_force = relations_policy.versions.get(status=VersionStatus.APPROVED)
    with pytest.raises(PermissionDenied):
        services.policy_acknowledge(actor=no_role, version=in_force)


def test_a_new_version_needs_a_new_acknowledgement(manager, officer, relations_policy, approve):
    services.policy_acknowledge(actor=officer, version=relations_policy.versions.get())
    new = services.policy_version_add(actor=manager, document=relations_policy, text="نص")
    approve(new, on=datetime.date(2025, 10, 1))
    context = selectors.policy_detail(officer, relations_policy)
    assert context["current"] == new
    assert context["acknowledgement"] is None


def test_the_report_groups_readers_by_role(
    manager, officer, researcher, volunteer, no_role, relations_policy
):
    services.policy_acknowledge(actor=officer, version=relations_policy.versions.get())
    current, groups = selectors.acknowledgement_report(manager, relations_policy)
    assert current == relations_policy.versions.get()
    by_role = {g.role: g for g in groups}
    assert [m for m, _when in by_role["officer"].acknowledged] == [officer]
    assert by_role["researcher"].pending == [researcher]
    assert by_role["volunteer"].pending == [volunteer]
    assert by_role["manager"].pending == [manager]
    listed = [m for g in groups for m in g.pending]
    listed += [m for g in groups for m, _when in g.acknowledged]
    assert no_role not in listed
    with pytest.raises(PermissionDenied):
        selectors.acknowledgement_report(officer, relations_policy)


def test_viewing_a_file_is_logged(officer, relations_policy):
    version = relations_policy.versions.get()
    services.policy_file_opened(actor=officer, version=version)
    services.policy_file_opened(actor=officer, version=version, download=True)
    actions = list(
        ActivityLog.objects.filter(actor=officer).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["knowledge.policy.file_viewed", "knowledge.policy.file_downloaded"]
