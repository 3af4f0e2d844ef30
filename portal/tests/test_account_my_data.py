"""My data (PDPL): a copy of everything held, as JSON and as an Arabic PDF, each download
logged; requests about my data with their 30-day clock; the list of my requests."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries import privacy
from beneficiaries.models import DataSubjectRequest, DsrKind
from core.hijri import format_hijri
from core.models import ActivityLog
from notify.models import Message

pytestmark = pytest.mark.django_db


def test_the_json_copy_holds_my_data_and_is_logged(portal_client, applicant, other_applicant):
    response = portal_client.get(reverse("portal:my_data_json"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["full_name"] == applicant.full_name
    assert other_applicant.full_name not in response.content.decode()
    entry = ActivityLog.objects.get(action="beneficiaries.data.exported")
    assert entry.actor is None
    assert entry.subject_id == str(applicant.pk)
    assert entry.data["format"] == "JSON"


def test_the_pdf_copy_is_a_pdf_and_is_logged(portal_client, applicant):
    response = portal_client.get(reverse("portal:my_data_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = ActivityLog.objects.get(action="beneficiaries.data.exported")
    assert entry.data["format"] == "PDF"


def test_the_page_shows_the_thirty_day_clock_in_both_calendars(portal_client):
    page = portal_client.get(reverse("portal:my_data")).content.decode()
    due = timezone.localdate() + datetime.timedelta(days=30)
    assert format_hijri(due) in page
    assert due.strftime("%d/%m/%Y") in page


def test_i_ask_for_the_destruction_of_my_data(portal_client, applicant):
    response = portal_client.post(
        reverse("portal:my_data"), {"kind": "destruction", "details": "لم أعد بحاجة للخدمة"}
    )
    assert response.status_code == 302
    dsr = DataSubjectRequest.objects.get()
    assert dsr.kind == DsrKind.DESTRUCTION
    assert dsr.beneficiary == applicant
    assert dsr.channel.code == "website"
    assert dsr.due_date == timezone.localdate() + datetime.timedelta(days=30)
    assert ActivityLog.objects.filter(action="beneficiaries.dsr.opened").count() == 1
    assert Message.objects.filter(template_code="privacy.dsr_received").count() == 1
    page = portal_client.get(reverse("portal:my_data")).content.decode()
    assert format_hijri(dsr.due_date) in page


def test_bad_input_is_refused_at_the_field(portal_client):
    response = portal_client.post(reverse("portal:my_data"), {"kind": "everything"})
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    response = portal_client.post(reverse("portal:my_data"), {"kind": "correction"})
    assert response.context["form"].errors["details"]
    assert not DataSubjectRequest.objects.exists()


def test_a_second_open_request_of_the_same_kind_is_refused_at_the_field(portal_client):
    portal_client.post(reverse("portal:my_data"), {"kind": "copy"})
    response = portal_client.post(reverse("portal:my_data"), {"kind": "copy"})
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert DataSubjectRequest.objects.count() == 1


def test_it_lists_my_requests_and_not_another_beneficiary_s(
    portal_client, officer, applicant, other_applicant
):
    mine = privacy.dsr_open(actor=officer, beneficiary=applicant, kind="access", channel="phone")
    privacy.dsr_complete(actor=officer, dsr=mine, response="أرسلنا لك نسخة ورقية")
    theirs = privacy.dsr_open(
        actor=officer, beneficiary=other_applicant, kind="access", channel="phone"
    )
    privacy.dsr_refuse(actor=officer, dsr=theirs, reasons="سبب يخص غيرك")
    page = portal_client.get(reverse("portal:my_data")).content.decode()
    assert "أرسلنا لك نسخة ورقية" in page
    assert "سبب يخص غيرك" not in page
