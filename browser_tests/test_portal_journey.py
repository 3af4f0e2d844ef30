"""The beneficiary portal on a 360-pixel phone, in Arabic: every page checked by axe-core and
for sideways scrolling, and the whole apply journey — sign in with a code, consent, the need,
the documents, the declaration signed with a code — ending with the applicant's SMS in the
outbox and the request in the officer's queue."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from assistance.models import Status, SupportRequest
from browser_tests.conftest import assert_accessible, assert_fits_phone, login
from inbox.models import InboundItem
from knowledge import services as kb
from knowledge.models import ArticleCategory
from notify.models import Message
from tests_support.factories import PDF_BYTES, make_beneficiary

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded")]


def check(page) -> None:
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("h1").count() == 1, f"{page.url}: one main heading"
    assert_fits_phone(page)
    assert_accessible(page)


def last_code(beneficiary) -> str:
    """The code as the phone received it: the SMS the gateway (the file backend) delivered.
    The outbox keeps no copy of it once sent."""
    for line in reversed(Path(settings.NOTIFY_FILE_PATH).read_text().splitlines()):
        sms = json.loads(line)
        if sms["template"] == "portal.otp" and sms["to"] == beneficiary.mobile:
            assert not Message.objects.filter(body__contains=sms["body"]).exists()
            return re.search(r"\d{6}", sms["body"]).group(0)
    raise AssertionError("no code was sent")


def test_public_pages_on_a_phone(phone_page, live_server, manager):
    article = kb.article_create(
        actor=manager,
        publish=True,
        title="متى يصدر قرار طلب الدعم؟",
        summary="خلال أسبوعين من تقديم الطلب مكتملًا.",
        body="يصدر القرار خلال أسبوعين من تقديم الطلب مكتملًا، ونبلغك برسالة نصية.",
        kind="faq",
        audience="public",
        category=ArticleCategory.objects.first(),
    )
    page = phone_page
    base = f"{live_server.url}/portal"
    for path in ("/", "/services/", "/kb/", "/policies/", "/reach-us/", "/contact/", "/status/"):
        page.goto(base + path)
        check(page)
    # The board's beneficiary-relations policy, published with its approval.
    page.goto(f"{base}/policies/")
    page.locator("main a[href^='/portal/policies/']").first.click()
    page.wait_for_url(re.compile(r"/portal/policies/[0-9a-f-]{36}/$"))
    assert "161" in page.locator("main").inner_text()  # the board meeting that approved it
    check(page)
    page.goto(f"{base}/kb/?q=قرار")
    page.get_by_role("link", name=article.title).click()
    check(page)

    # The keyboard reaches the content first: the skip link, then the page.
    page.goto(f"{base}/login/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    check(page)


def test_apply_on_a_phone_from_sign_in_to_the_staff_queue(
    phone_page, page, live_server, officer, tmp_path
):
    applicant = make_beneficiary(
        officer, first_name="نورة", gender="female", id_expiry=datetime.date(2031, 1, 1)
    )
    pdf = tmp_path / "مستند.pdf"
    pdf.write_bytes(PDF_BYTES)
    phone = phone_page
    base = f"{live_server.url}/portal"

    # Sign in: the identity number typed with the keyboard, then the code from the SMS.
    phone.goto(f"{base}/me/")
    assert "/portal/login/" in phone.url
    check(phone)
    phone.locator("input[name=identity]").press_sequentially(applicant.id_number)
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/portal/login/[0-9a-f-]{36}/"))
    check(phone)
    phone.locator("input[name=code]").fill("000000")
    phone.keyboard.press("Enter")
    phone.locator(".error").first.wait_for()
    check(phone)  # the wrong code, shown at its field
    phone.locator("input[name=code]").fill(last_code(applicant))
    phone.keyboard.press("Enter")

    # First sign-in: the privacy notice, then home.
    phone.wait_for_url(re.compile(r"/portal/consent/"))
    check(phone)
    phone.check("input[name=agree]")
    phone.locator("main form button").click()
    phone.wait_for_url(re.compile(r"/portal/me/$"))
    check(phone)
    assert applicant.consents.get().recorded_by is None

    # Step 1: the need.
    phone.locator(".portal-tile").nth(1).click()
    phone.wait_for_url(re.compile(r"/portal/me/apply/"))
    check(phone)
    phone.check("text=سلة غذائية")
    phone.fill("textarea[name=need]", "نحتاج سلة غذائية للأسرة هذا الشهر")
    phone.check("input[name=declares_no_income]")
    phone.locator("main form button.btn-primary").click()

    # Step 2: the documents the checklist asks for.
    phone.wait_for_url(re.compile(r"/documents/$"))
    check(phone)
    for _ in range(5):
        forms = phone.locator("#documents form")
        if forms.count() == 0:
            break
        form = forms.first
        form.locator("input[type=file]").set_input_files(str(pdf))
        expiry = form.locator("input[name$=expires_on]")
        if expiry.count():
            expiry.fill("01/01/2030")
        issued = form.locator("input[name$=issued_on]")
        if issued.count():
            issued.fill(datetime.date.today().strftime("%d/%m/%Y"))
        form.locator("button").click()
        phone.wait_for_load_state()
    assert phone.locator("#documents form").count() == 0
    check(phone)

    # Step 3: the declaration, signed with a code.
    phone.locator(".form-actions .btn-primary").click()
    phone.wait_for_url(re.compile(r"/sign/$"))
    check(phone)
    phone.check("input[name=rights_acknowledged]")
    phone.locator("main form button.btn-primary").click()
    phone.wait_for_url(re.compile(r"/sign/[0-9a-f-]{36}/"))
    check(phone)
    phone.fill("input[name=code]", last_code(applicant))
    phone.locator("main form button").first.click()

    # Step 4: the reference and the promised date.
    phone.wait_for_url(re.compile(r"/done/$"))
    check(phone)
    request = SupportRequest.objects.get(beneficiary=applicant)
    assert request.status == Status.SUBMITTED
    assert request.attestation.method == "otp"
    assert request.reference in phone.locator("main").inner_text()
    sms = Message.objects.get(template_code="request.submitted")
    assert sms.recipient == applicant.mobile and request.reference in sms.body

    # My requests, and the request's page.
    phone.goto(f"{base}/me/requests/")
    check(phone)
    phone.get_by_role("link", name=request.reference).click()
    check(phone)

    # A question, written and then followed.
    phone.goto(f"{base}/me/tickets/new/")
    check(phone)
    phone.locator(".portal-tile").first.click()
    check(phone)
    phone.select_option("select[name=category]", index=1)
    phone.fill("input[name=subject]", "موعد صرف المساعدة")
    phone.fill("textarea[name=description]", "متى تصرف المساعدة بعد القرار؟")
    phone.locator("main form button.btn-primary").click()
    phone.wait_for_url(re.compile(r"/portal/me/tickets/[0-9a-f-]{36}/$"))
    check(phone)
    assert "TKT-" in phone.locator("main").inner_text()

    # The status of the request by its reference, as anyone may look it up.
    phone.goto(f"{base}/status/")
    phone.fill("input[name=reference]", request.reference)
    phone.locator("main form button").click()
    phone.wait_for_url(re.compile(r"/portal/status/code/"))
    check(phone)
    phone.fill("input[name=code]", last_code(applicant))
    phone.locator("main form button").click()
    phone.wait_for_url(re.compile(r"/portal/status/request/"))
    check(phone)
    assert request.reference in phone.locator("main").inner_text()

    # The public contact form, into the staff inbox.
    phone.goto(f"{base}/contact/")
    assert phone.input_value("input[name=mobile]")  # prefilled for a signed-in beneficiary
    phone.locator("input[name=kind]").first.check()
    phone.fill("textarea[name=message]", "أرغب في التطوع مع الوقف في توزيع السلال.")
    phone.locator("main form button.btn-primary").click()
    phone.wait_for_url(re.compile(r"/portal/contact/thanks/"))
    check(phone)
    item = InboundItem.objects.get()
    assert item.beneficiary_id == applicant.pk and "التطوع" in item.body

    # The other portal pages, signed in.
    for path in (
        "/me/tickets/",
        "/me/documents/",
        "/me/documents/new/",
        "/me/notifications/",
        "/me/profile/",
        "/me/profile/correction/",
        "/me/data/",
        f"/me/requests/{request.public_id}/withdraw/",
    ):
        phone.goto(base + path)
        check(phone)

    # The relations officer finds it in the queue.
    login(page, live_server, officer.username)
    page.goto(f"{live_server.url}/requests/")
    page.get_by_text(request.reference).wait_for()
