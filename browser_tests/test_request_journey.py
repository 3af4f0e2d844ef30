"""The whole journey of a support request in the browser, in Arabic: intake, the signed
declaration, submission (the SMS with the promised date), verification and referral, the
home visit and research report, the committee's votes and decision, the decision letter,
enrolment and the first delivery."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Branch
from assistance.models import Status, SupportRequest
from beneficiaries import services as registry
from beneficiaries.models import PrivacyNotice
from browser_tests.conftest import login
from core.models import Channel
from notify.models import Message
from tests_support.factories import UserFactory, make_beneficiary, make_document

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def _as(browser, live_server, user):
    context = browser.new_context(locale="ar-SA", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server, user.username)
    return page


def _submit(page, action_suffix):
    page.click(f"form[action$='{action_suffix}'] button")
    page.wait_for_load_state()


def test_from_intake_to_the_first_delivery(browser, live_server, officer, researcher, manager):
    members = [UserFactory(username=f"member{i}", role="committee") for i in range(2)]
    service = UserFactory(username="service", role="service")
    b = make_beneficiary(
        officer,
        id_expiry=datetime.date(2031, 1, 1),
        iban="SA0380000000608010167519",
        branch=Branch.objects.get(code="head-office"),
    )
    registry.consent_record(
        actor=officer,
        beneficiary=b,
        notice=PrivacyNotice.objects.get(version="1.0"),
        channel=Channel.objects.get(code="interview"),
    )
    registry.income_add(
        actor=officer, beneficiary=b, data={"kind": "pension", "monthly_amount": 900}
    )
    make_document(officer, b, code="national_id")
    make_document(officer, b, code="family_register", expires_on=None)
    make_document(
        officer, b, code="iban_certificate", expires_on=None, issued_on=timezone.localdate()
    )

    # Intake at the desk, in Arabic and right to left.
    page = _as(browser, live_server, officer)
    assert page.get_attribute("html", "dir") == "rtl"
    page.goto(f"{live_server.url}/requests/new/{b.public_id}/")
    page.select_option("#id_channel", label="المقابلة الشخصية")
    page.check(f"input[name=aid_types][value='{_aid('periodic_cash')}']")
    page.fill("#id_need", "الأسرة بلا عائل وتحتاج إلى مساعدة شهرية")
    page.click("button[type=submit]")
    request = SupportRequest.objects.get()
    page.goto(f"{live_server.url}/requests/{request.public_id}/sign/")
    box = page.locator("#signature-pad").bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 90)
    page.mouse.down()
    for step in range(1, 10):
        page.mouse.move(box["x"] + 30 + step * 35, box["y"] + 90 + (-1) ** step * 30)
    page.mouse.up()
    page.check("#id_rights_acknowledged")
    page.click("#sign-form button[type=submit]")
    _submit(page, "/submit/")
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    submitted_sms = Message.objects.get(template_code="request.submitted")
    assert request.reference in submitted_sms.body and "هـ" in submitted_sms.body

    # Verification and referral to the (only) researcher.
    _submit(page, "/verify/")
    page.select_option("#id_reason", "verification")
    _submit(page, "/refer/")
    request.refresh_from_db()
    assert request.status == Status.IN_RESEARCH

    # The researcher books the visit and writes the report.
    page = _as(browser, live_server, researcher)
    page.goto(f"{live_server.url}/requests/{request.public_id}/")
    visit_day = (timezone.localdate() + datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    page.fill("#id_day", visit_day)
    page.fill("#id_time", "10:30")
    _submit(page, "/visit/")
    assert Message.objects.filter(template_code="request.visit_booked").exists()
    page.goto(f"{live_server.url}/requests/{request.public_id}/report/")
    page.fill("#id_housing", "شقة مستأجرة من غرفتين")
    page.fill("#id_assessment", "الأسرة محتاجة ولا دخل ثابت لها سوى معاش قليل")
    page.select_option("#id_recommended_aid_type", str(_aid("periodic_cash")))
    page.fill("#id_recommended_amount", "٨٠٠")
    page.fill("#id_recommended_months", "١٢")
    page.click("button[type=submit]")
    request.refresh_from_db()
    assert request.status == Status.RESEARCHED

    # The manager schedules the meeting and puts the request on its agenda.
    page = _as(browser, live_server, manager)
    page.goto(f"{live_server.url}/requests/committee/new/")
    page.fill("#id_number", "15/1448")
    page.fill("#id_day", timezone.localdate().strftime("%d/%m/%Y"))
    page.fill("#id_quorum", "2")
    page.select_option("#id_chair", str(members[0].pk))
    for m in members:
        page.check(f"input[name=members][value='{m.pk}']")
    page.click("button[type=submit]")
    page.select_option("#agenda-request", str(request.public_id))
    _submit(page, "/agenda/")
    meeting_url = page.url.split("#")[0]

    # Both members vote to approve: the decision takes effect and the applicant is told.
    for member in members:
        page = _as(browser, live_server, member)
        page.goto(meeting_url)
        page.click("#item-1 .actions a")
        page.check("input[name=choice][value=approve]")
        _submit(page, "/vote/")
    request.refresh_from_db()
    assert request.status == Status.APPROVED
    assert Message.objects.filter(template_code="request.decided").count() == 1

    # The decision letter, then enrolment and the first delivery.
    page = _as(browser, live_server, officer)
    letter = page.request.get(f"{live_server.url}/requests/{request.public_id}/decision.pdf")
    assert letter.ok and letter.body().startswith(b"%PDF")
    page.goto(f"{live_server.url}/requests/{request.public_id}/")
    page.fill("#id_starts_on", timezone.localdate().strftime("%d/%m/%Y"))
    _submit(page, "/enrol/")
    page = _as(browser, live_server, service)
    page.goto(f"{live_server.url}/requests/{request.public_id}/")
    page.select_option("#id_method", "bank_transfer")
    page.fill("#id_delivered_on", timezone.localdate().strftime("%d/%m/%Y"))
    page.fill("#id_amount", "800")
    page.fill("#id_transfer_reference", "TRX-2026-0001")
    _submit(page, "/deliver/")
    request.refresh_from_db()
    assert request.status == Status.IN_SERVICE
    assert request.enrolment.deliveries.get().iban == "SA0380000000608010167519"
    assert "TRX-2026-0001" in page.locator("#service").inner_text()


def _aid(code):
    from assistance.models import AidType

    return AidType.objects.get(code=code).pk
