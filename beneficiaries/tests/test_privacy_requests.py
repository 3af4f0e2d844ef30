"""Data-subject requests (PDPL): 30 days from receipt, extended once by 30 with a reason,
closed with an answer or reasons; every step locked, logged and told to the beneficiary."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from beneficiaries import privacy
from beneficiaries.models import DataSubjectRequest, DsrStatus
from core.models import ActivityLog
from notify.models import Message

pytestmark = pytest.mark.django_db


def _open(actor, beneficiary, kind="access", **kwargs):
    return privacy.dsr_open(
        actor=actor, beneficiary=beneficiary, kind=kind, channel="phone", **kwargs
    )


def test_it_is_due_thirty_days_after_it_was_received(officer, beneficiary):
    received = timezone.now() - datetime.timedelta(days=3)
    dsr = _open(officer, beneficiary, received_at=received)
    assert dsr.due_date == timezone.localdate(received) + datetime.timedelta(days=30)
    assert dsr.deadline == dsr.due_date
    assert dsr.recorded_by == officer
    assert dsr.status == DsrStatus.OPEN


def test_opening_is_logged_and_acknowledged_by_sms_with_the_due_date(officer, beneficiary):
    dsr = _open(officer, beneficiary)
    entry = ActivityLog.objects.get(action="beneficiaries.dsr.opened")
    assert entry.actor == officer
    assert entry.subject_id == str(beneficiary.pk)
    sms = Message.objects.get(template_code="privacy.dsr_received")
    assert sms.recipient == beneficiary.mobile
    assert dsr.due_date.strftime("%d/%m/%Y") in sms.body
    assert beneficiary.id_number not in sms.body


def test_a_portal_request_has_no_recorder_and_says_so(beneficiary):
    dsr = privacy.dsr_open(actor=None, beneficiary=beneficiary, kind="copy", channel="website")
    assert dsr.recorded_by is None
    entry = ActivityLog.objects.get(action="beneficiaries.dsr.opened")
    assert entry.actor is None
    assert entry.data["via"] == "portal"


def test_a_correction_needs_a_proposal_or_a_description(officer, beneficiary):
    with pytest.raises(ValidationError) as exc:
        _open(officer, beneficiary, kind="correction")
    assert "details" in exc.value.error_dict
    assert not DataSubjectRequest.objects.exists()
    dsr = _open(
        officer,
        beneficiary,
        kind="correction",
        proposed_changes={"email": {"label": "e", "current": "", "proposed": "a@b.sa"}},
    )
    assert dsr.proposed_changes["email"]["proposed"] == "a@b.sa"


def test_a_second_open_request_of_the_same_kind_is_refused(officer, beneficiary):
    _open(officer, beneficiary, kind="destruction")
    with pytest.raises(ValidationError) as exc:
        _open(officer, beneficiary, kind="destruction")
    assert "kind" in exc.value.error_dict
    assert DataSubjectRequest.objects.count() == 1
    # Corrections may be several.
    for _ in range(2):
        _open(officer, beneficiary, kind="correction", details="رقم الجوال تغيّر")
    assert DataSubjectRequest.objects.filter(kind="correction").count() == 2


def test_staff_of_another_branch_cannot_record_one(other_rep, beneficiary):
    with pytest.raises(PermissionDenied):
        _open(other_rep, beneficiary)


@pytest.mark.parametrize("persona", ["researcher", "quality", "volunteer", "service_officer"])
def test_roles_that_do_not_keep_files_cannot_record_one(request, persona, beneficiary):
    with pytest.raises(PermissionDenied):
        _open(request.getfixturevalue(persona), beneficiary)


def test_it_is_extended_once_only(officer, beneficiary):
    dsr = _open(officer, beneficiary)
    extended = privacy.dsr_extend(actor=officer, dsr=dsr, reason="نحتاج مراجعة الأرشيف الورقي")
    assert extended.extended_to == dsr.due_date + datetime.timedelta(days=30)
    assert extended.due_date == dsr.due_date  # the original date never moves
    assert extended.deadline == extended.extended_to
    with pytest.raises(ValidationError) as exc:
        privacy.dsr_extend(actor=officer, dsr=dsr, reason="مرة أخرى")
    assert exc.value.code == "extended_twice"
    dsr.refresh_from_db()
    assert dsr.extended_to == extended.extended_to
    assert ActivityLog.objects.filter(action="beneficiaries.dsr.extended").count() == 1
    sms = Message.objects.get(template_code="privacy.dsr_extended")
    assert "الأرشيف" in sms.body


def test_an_extension_needs_a_reason_and_a_deadline_not_yet_passed(officer, beneficiary):
    dsr = _open(officer, beneficiary, received_at=timezone.now() - datetime.timedelta(days=31))
    with pytest.raises(ValidationError) as exc:
        privacy.dsr_extend(actor=officer, dsr=dsr, reason="متأخر")
    assert exc.value.code == "too_late"
    fresh = _open(officer, beneficiary, kind="copy")
    with pytest.raises(ValidationError) as exc:
        privacy.dsr_extend(actor=officer, dsr=fresh, reason="  ")
    assert "reason" in exc.value.error_dict
    fresh.refresh_from_db()
    assert fresh.extended_to is None


def test_it_is_completed_with_an_answer_and_the_beneficiary_is_told(officer, beneficiary):
    dsr = _open(officer, beneficiary)
    with pytest.raises(ValidationError):
        privacy.dsr_complete(actor=officer, dsr=dsr, response="")
    done = privacy.dsr_complete(actor=officer, dsr=dsr, response="أرسلنا نسخة بالبريد")
    assert done.status == DsrStatus.COMPLETED
    assert done.closed_at is not None
    assert done.handled_by == officer
    assert ActivityLog.objects.filter(action="beneficiaries.dsr.completed").count() == 1
    assert Message.objects.filter(template_code="privacy.dsr_completed").count() == 1
    # Closed: nothing more can happen to it.
    for call in (
        lambda: privacy.dsr_refuse(actor=officer, dsr=dsr, reasons="لا"),
        lambda: privacy.dsr_extend(actor=officer, dsr=dsr, reason="لا"),
        lambda: privacy.dsr_complete(actor=officer, dsr=dsr, response="مرة ثانية"),
    ):
        with pytest.raises(ValidationError):
            call()
    assert Message.objects.filter(template_code__startswith="privacy.dsr_").count() == 2


def test_it_is_refused_with_reasons(officer, beneficiary):
    dsr = _open(officer, beneficiary, kind="destruction")
    refused = privacy.dsr_refuse(actor=officer, dsr=dsr, reasons="سجلات الصرف تحفظ عشر سنوات نظامًا")
    assert refused.status == DsrStatus.REFUSED
    assert refused.response.startswith("سجلات")
    assert ActivityLog.objects.filter(action="beneficiaries.dsr.refused").count() == 1
    assert Message.objects.filter(template_code="privacy.dsr_refused").count() == 1


def test_another_branch_cannot_answer_it(representative, other_rep, beneficiary):
    dsr = _open(representative, beneficiary)
    with pytest.raises(PermissionDenied):
        privacy.dsr_complete(actor=other_rep, dsr=dsr, response="تم")
    dsr.refresh_from_db()
    assert dsr.status == DsrStatus.OPEN


def test_the_database_keeps_its_rules(officer, beneficiary):
    dsr = _open(officer, beneficiary)
    with pytest.raises(IntegrityError), transaction.atomic():
        DataSubjectRequest.objects.filter(pk=dsr.pk).update(extended_to=dsr.due_date)
    with pytest.raises(IntegrityError), transaction.atomic():
        DataSubjectRequest.objects.filter(pk=dsr.pk).update(status=DsrStatus.COMPLETED)
    with pytest.raises(IntegrityError), transaction.atomic():
        DataSubjectRequest.objects.filter(pk=dsr.pk).update(closed_at=timezone.now())
