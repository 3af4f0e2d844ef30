"""The whole apply journey on the portal, through the test client: the same rules as staff
intake end with a submitted request, its reference and promised date by SMS, a signature
confirmed by a one-time code, and the request in the officer's queue."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assistance import selectors
from assistance.models import AidType, Attestation, AttestationMethod, Status, SupportRequest
from core.hijri import format_hijri
from core.models import ActivityLog
from notify.models import Message
from tests_support.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


def _pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _code(beneficiary) -> str:
    message = Message.objects.filter(
        recipient=beneficiary.mobile, template_code="portal.otp"
    ).latest("created_at")
    return re.search(r"\d{6}", message.body).group(0)


@pytest.fixture
def ready_applicant(applicant):
    """An applicant whose file the officer registered with the identity's expiry date."""
    applicant.id_expiry = datetime.date(2031, 1, 1)
    applicant.save(update_fields=["id_expiry"])
    return applicant


def test_it_applies_end_to_end_and_lands_in_the_staff_queue(
    portal_client, ready_applicant, officer
):
    client = portal_client
    food = AidType.objects.get(code="food_basket")

    # Step 1: the need, in the applicant's words.
    response = client.post(
        reverse("portal:apply"),
        {"aid_types": [food.pk], "need": "نحتاج سلة غذائية للأسرة", "declares_no_income": "on"},
    )
    assert response.status_code == 302
    draft = SupportRequest.objects.get(beneficiary=ready_applicant)
    assert draft.status == Status.DRAFT and draft.created_by is None and draft.owner is None
    assert draft.channel.code == "website"
    assert response.url == reverse("portal:apply_documents", args=[draft.public_id])

    # Step 2: the checklist, and the two missing documents uploaded.
    page = client.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "سجل الأسرة" in text
    response = client.post(
        response.url,
        {
            "item": "national_id",
            "doc-national_id-upload": _pdf(),
            "doc-national_id-expires_on": "01/01/2030",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("portal:apply_documents", args=[draft.public_id]),
        {"item": "family_register", "doc-family_register-upload": _pdf()},
    )
    assert response.status_code == 302
    assert all(item.document_id for item in draft.checklist.all())

    # Step 3: the declaration, then a code by SMS.
    sign_url = reverse("portal:apply_sign", args=[draft.public_id])
    page = client.get(sign_url).content.decode()
    assert "أقر أنا مقدم الطلب" in page
    response = client.post(sign_url, {"rights_acknowledged": "on"})
    assert response.status_code == 302
    response = client.post(response.url, {"code": _code(ready_applicant)})
    assert response.status_code == 302
    assert response.url == reverse("portal:apply_done", args=[draft.public_id])

    # Step 4: the reference and the promised date.
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert re.fullmatch(r"REQ-\d{4}-\d{6}", draft.reference)
    assert draft.expected_decision_date >= timezone.localdate() + datetime.timedelta(days=14)
    done = client.get(response.url).content.decode()
    assert draft.reference in done
    assert format_hijri(draft.expected_decision_date) in done

    attestation = Attestation.objects.get(request=draft)
    assert attestation.method == AttestationMethod.OTP
    assert attestation.recorded_by is None
    sms = Message.objects.get(template_code="request.submitted")
    assert sms.recipient == ready_applicant.mobile and draft.reference in sms.body

    assert draft in selectors.request_queue(officer)
    submitted = ActivityLog.objects.get(action="assistance.request.submitted")
    assert submitted.actor is None and submitted.data["via"] == "portal"
