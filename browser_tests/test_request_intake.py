"""A relations officer takes a support request at the desk: opens it from the file, attaches
the documents, has the applicant sign on the tablet, submits — and the SMS with the reference
and the promised date is in the outbox."""

import datetime

import pytest

from assistance.models import Status, SupportRequest
from beneficiaries import services as registry
from beneficiaries.models import PrivacyNotice
from browser_tests.conftest import login
from core.models import Channel
from notify.models import Message
from tests_support.factories import make_beneficiary, make_document

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def test_intake_sign_and_submit(page, live_server, officer):
    b = make_beneficiary(officer, id_expiry=datetime.date(2031, 1, 1))
    registry.consent_record(
        actor=officer,
        beneficiary=b,
        notice=PrivacyNotice.objects.get(version="1.0"),
        channel=Channel.objects.get(code="interview"),
    )
    registry.income_add(
        actor=officer, beneficiary=b, data={"kind": "pension", "monthly_amount": 2100}
    )
    make_document(officer, b, code="national_id")
    make_document(officer, b, code="family_register", expires_on=None)

    login(page, live_server, officer.username)
    page.goto(f"{live_server.url}/beneficiaries/{b.public_id}/")
    page.click("#requests >> text=طلب دعم جديد")
    page.select_option("#id_channel", label="المقابلة الشخصية")
    page.check("text=سلة غذائية")
    page.fill("#id_need", "الأسرة بحاجة إلى سلة غذائية هذا الشهر")
    page.click("button[type=submit]")

    # The checklist picked up the documents already in the file; the declaration is missing.
    page.locator("#validation").get_by_text("لم يوقّع مقدم الطلب على الإقرار.").wait_for()
    page.click("#attestation >> text=توقيع الإقرار")
    box = page.locator("#signature-pad").bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 100)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 40 + step * 30, box["y"] + 100 + (-1) ** step * 25)
    page.mouse.up()
    page.check("#id_rights_acknowledged")
    page.click("#sign-form button[type=submit]")

    page.locator("#validation").get_by_text("جميع المتطلبات مستوفاة وسارية.").wait_for()
    page.click("text=تقديم إلى لجنة البحث")
    page.locator(".messages").get_by_text("REQ-").wait_for()

    request = SupportRequest.objects.get()
    assert request.status == Status.SUBMITTED
    assert request.attestation.signature_type == "image/png"
    sms = Message.objects.get(recipient=b.mobile)
    assert request.reference in sms.body
    assert (
        "موعد القرار المتوقع" in page.locator("body").inner_text()
        or "القرار" in page.locator("body").inner_text()
    )
