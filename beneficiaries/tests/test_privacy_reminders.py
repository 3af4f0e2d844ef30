"""Expiry reminders (P2, reaching people before they are asked): one SMS per document and
expiry date, never twice, none for a document already renewed, in a fixed number of
queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from beneficiaries import reminders
from beneficiaries.tasks import daily_document_expiry_reminders
from core.models import ActivityLog
from notify.models import Message
from tests_support.factories import make_beneficiary, make_document

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 6, 1)


def _in(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


def test_it_sends_one_sms_per_expiring_document_once(officer, applicant, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "DOCUMENT_EXPIRY_WARNING_DAYS": 30}
    expiring = make_document(officer, applicant, expires_on=_in(10))
    make_document(officer, applicant, code="iban_certificate", expires_on=_in(90))  # not yet
    make_document(officer, applicant, code="lease", expires_on=_in(-1))  # already expired
    assert reminders.document_expiry_reminders(today=TODAY) == 1
    assert reminders.document_expiry_reminders(today=TODAY) == 0
    assert reminders.document_expiry_reminders(today=_in(1)) == 0
    sms = Message.objects.get(template_code="documents.expiring")
    assert sms.recipient == applicant.mobile
    assert expiring.doc_type.name_ar in sms.body
    assert "/portal/me/documents/" in sms.body
    assert applicant.id_number not in sms.body
    assert ActivityLog.objects.filter(
        action="notify.message.queued", subject_id=str(applicant.pk)
    ).exists()


def test_a_renewed_document_is_not_reminded(officer, applicant):
    make_document(officer, applicant, expires_on=_in(5))
    make_document(officer, applicant, expires_on=_in(5 + 365 * 5))
    assert reminders.document_expiry_reminders(today=TODAY) == 0


def test_a_member_s_document_is_renewed_only_by_that_member_s(officer, applicant):
    from beneficiaries import services

    member = services.member_save(
        actor=officer,
        beneficiary=applicant,
        data={
            "relation": "spouse",
            "full_name": "زوج",
            "gender": "male",
            "birth_date": datetime.date(1978, 1, 1),
        },
    )
    make_document(officer, applicant, member=member, expires_on=_in(5))
    make_document(officer, applicant, expires_on=_in(2000))  # the applicant's own, not his
    assert reminders.document_expiry_reminders(today=TODAY) == 1


def test_it_runs_in_a_fixed_number_of_queries(officer):
    def run(day):
        with CaptureQueriesContext(connection) as ctx:
            reminders.document_expiry_reminders(today=day)
        return len(ctx.captured_queries)

    make_document(officer, make_beneficiary(officer), expires_on=_in(3))
    small = run(TODAY)
    for _ in range(6):
        make_document(officer, make_beneficiary(officer), expires_on=_in(33))
    assert Message.objects.count() == 1
    assert run(_in(30)) == small
    assert Message.objects.filter(template_code="documents.expiring").count() == 7


def test_the_daily_task_calls_it(officer, applicant):
    make_document(officer, applicant, expires_on=timezone.localdate() + datetime.timedelta(days=3))
    daily_document_expiry_reminders.call_local()
    assert Message.objects.filter(template_code="documents.expiring").count() == 1
