"""Intake to submission (P6.1–P6.5): checklist, validation at submission, the signed
declaration, the reference number and the promised date told by SMS."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assistance import services
from assistance.models import Attestation, ItemState, Status, SupportRequest
from assistance.tests.conftest import signature_data_url, signature_png
from core.hijri import to_hijri
from core.models import ActivityLog, Channel
from notify.models import Message
from tests_support.factories import make_beneficiary, make_document

pytestmark = pytest.mark.django_db


def test_a_draft_gets_the_checklist_of_its_aid_types_and_categories(draft):
    codes = sorted(i.doc_type.code for i in draft.checklist.all())
    assert codes == ["family_register", "national_id"]
    assert {i.state for i in draft.checklist.all()} == {ItemState.MISSING}


def test_cash_aid_adds_the_iban_certificate_and_members_need_identities(officer, beneficiary):
    from assistance.models import AidType
    from beneficiaries import services as registry

    registry.member_save(
        actor=officer,
        beneficiary=beneficiary,
        data={
            "relation": "son",
            "full_name": "سعد",
            "gender": "male",
            "birth_date": datetime.date(2005, 1, 1),
        },
    )
    request = services.request_create(
        actor=officer,
        beneficiary=beneficiary,
        channel=Channel.objects.get(code="phone"),
        aid_types=[AidType.objects.get(code="one_off_cash")],
        need="سداد دين",
    )
    items = {(i.doc_type.code, bool(i.member_id)) for i in request.checklist.all()}
    assert ("iban_certificate", False) in items
    assert ("national_id", True) in items  # the son is over 15


def test_submission_lists_every_problem_and_changes_nothing(officer, draft):
    with pytest.raises(ValidationError) as exc:
        services.request_submit(actor=officer, request=draft)
    text = " ".join(exc.value.messages)
    assert "تاريخ انتهاء الهوية" in text or "انتهاء" in text
    assert "الدخل" in text
    assert "إشعار الخصوصية" in text
    assert "الإقرار" in text
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.reference is None
    assert not Message.objects.exists()


def test_submit_fixes_reference_and_date_and_queues_the_sms(officer, ready_draft):
    request = services.request_submit(actor=officer, request=ready_draft)
    hijri_year = to_hijri(timezone.localdate()).year
    assert request.reference == f"REQ-{hijri_year}-000001"
    assert request.status == Status.SUBMITTED
    assert request.expected_decision_date >= timezone.localdate() + datetime.timedelta(days=14)
    sms = Message.objects.get()
    assert sms.recipient == request.beneficiary.mobile
    assert request.reference in sms.body and "هـ" in sms.body
    assert ActivityLog.objects.filter(action="assistance.request.submitted").exists()


def test_references_follow_each_other(officer, ready_draft, representative):
    first = services.request_submit(actor=officer, request=ready_draft)
    other = make_beneficiary(representative, first_name="خالد")
    second = services.request_create(
        actor=officer,
        beneficiary=other,
        channel=Channel.objects.get(code="phone"),
        aid_types=list(ready_draft.aid_types.all()),
        need="x",
    )
    second.status = Status.SUBMITTED  # only to exercise the numbering helper directly
    with pytest.raises(ValidationError):
        services.request_submit(actor=officer, request=second)
    assert first.reference.endswith("000001")
    assert services._next_reference(timezone.localdate()).endswith("000002")


def test_an_expired_document_blocks_submission(officer, ready_draft, beneficiary):
    item = ready_draft.checklist.get(doc_type__code="national_id")
    expired = make_document(officer, beneficiary, expires_on=datetime.date(2020, 1, 1))
    services.checklist_attach(actor=officer, item=item, document=expired)
    with pytest.raises(ValidationError) as exc:
        services.request_submit(actor=officer, request=ready_draft)
    assert "منتهي" in " ".join(exc.value.messages) or "قديم" in " ".join(exc.value.messages)


def test_rejecting_a_document_needs_a_reason(officer, ready_draft):
    item = ready_draft.checklist.get(doc_type__code="family_register")
    with pytest.raises(ValidationError):
        services.checklist_check(actor=officer, item=item, verified=False, reason=" ")
    services.checklist_check(actor=officer, item=item, verified=False, reason="صورة غير واضحة")
    item.refresh_from_db()
    assert item.state == ItemState.REJECTED
    with pytest.raises(ValidationError):
        services.request_submit(actor=officer, request=ready_draft)


def test_the_attestation_is_immutable_and_keeps_the_text_signed(ready_draft):
    attestation = Attestation.objects.get(request=ready_draft)
    assert "صحيحة" in attestation.declaration_text
    assert attestation.declaration.version == "1.0"
    assert attestation.signature_sha256 == Attestation.digest(signature_png())
    with pytest.raises(TypeError):
        attestation.save()
    with pytest.raises(TypeError):
        attestation.delete()


def test_cannot_sign_twice(officer, ready_draft):
    with pytest.raises(ValidationError):
        services.attestation_sign(
            actor=officer,
            request=ready_draft,
            method="drawn",
            rights_acknowledged=True,
            drawn_png=signature_png(),
        )


def test_a_transition_out_of_order_is_refused(officer, ready_draft):
    services.request_submit(actor=officer, request=ready_draft)
    with pytest.raises(ValidationError):
        services.request_submit(actor=officer, request=ready_draft)
    assert SupportRequest.objects.get().reference.endswith("000001")


def test_cancel_needs_a_reason_and_is_final(officer, draft):
    with pytest.raises(ValidationError):
        services.request_cancel(actor=officer, request=draft, reason="")
    services.request_cancel(actor=officer, request=draft, reason="طلب مكرر")
    draft.refresh_from_db()
    assert draft.status == Status.CANCELLED
    with pytest.raises(ValidationError):
        services.request_withdraw(actor=officer, request=draft)


def test_roles_without_intake_cannot_create(researcher, beneficiary):
    from assistance.models import AidType

    with pytest.raises(PermissionDenied):
        services.request_create(
            actor=researcher,
            beneficiary=beneficiary,
            channel=Channel.objects.get(code="phone"),
            aid_types=[AidType.objects.get(code="food_basket")],
            need="x",
        )


def test_other_branch_cannot_see_or_act(client, other_rep, draft):
    client.force_login(other_rep)
    assert client.get(reverse("assistance:detail", args=[draft.public_id])).status_code == 404
    assert client.post(reverse("assistance:submit", args=[draft.public_id])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.request_cancel(actor=other_rep, request=draft, reason="x")


# --- Screens ------------------------------------------------------------------------------


def test_intake_screens_end_to_end(client, officer, beneficiary, ready_draft):
    client.force_login(officer)
    page = client.get(reverse("assistance:detail", args=[ready_draft.public_id]))
    assert page.status_code == 200 and page.context["problems"] == []
    response = client.post(reverse("assistance:submit", args=[ready_draft.public_id]))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "REQ-" in page
    assert client.get(reverse("assistance:list")).status_code == 200


def test_create_screen(client, officer, beneficiary):
    from assistance.models import AidType

    client.force_login(officer)
    url = reverse("assistance:create", args=[beneficiary.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"channel": Channel.objects.get(code="phone").pk, "need": ""})
    assert (
        "need" in response.context["form"].errors and "aid_types" in response.context["form"].errors
    )
    response = client.post(
        url,
        {
            "channel": Channel.objects.get(code="phone").pk,
            "need": "إيجار متأخر",
            "aid_types": [AidType.objects.get(code="rent").pk],
            "requested_amount": "٥٠٠٠",
        },
    )
    assert response.status_code == 302
    request = SupportRequest.objects.get()
    assert request.requested_amount == 5000
    assert request.checklist.filter(doc_type__code="lease").exists()


def test_sign_screen_stores_a_drawn_signature(client, officer, draft):
    client.force_login(officer)
    url = reverse("assistance:sign", args=[draft.public_id])
    response = client.post(url, {"method": "drawn", "signature": "", "rights_acknowledged": "on"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        url, {"method": "drawn", "signature": signature_data_url(), "rights_acknowledged": "on"}
    )
    assert response.status_code == 302
    assert Attestation.objects.get().method == "drawn"
    signature = client.get(reverse("assistance:signature", args=[draft.public_id]))
    assert signature["Content-Type"] == "image/png"
    assert ActivityLog.objects.filter(action="assistance.attestation.viewed").exists()


def test_sign_screen_refuses_a_disguised_scan(client, officer, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    response = client.post(
        reverse("assistance:sign", args=[draft.public_id]),
        {
            "method": "paper",
            "rights_acknowledged": "on",
            "scan": SimpleUploadedFile("signed.pdf", b"MZ" + b"\x00" * 200),
        },
    )
    assert response.status_code == 200 and "scan" in response.context["form"].errors
    assert not Attestation.objects.exists()


def test_views_reject_wrong_methods(client, officer, draft):
    client.force_login(officer)
    assert client.get(reverse("assistance:submit", args=[draft.public_id])).status_code == 405
    assert client.post(reverse("assistance:detail", args=[draft.public_id])).status_code == 405


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_desks_submitting_at_once_leave_one_submission(officer, ready_draft):
    from django.db import connections

    results = []

    def submit():
        try:
            services.request_submit(actor=officer, request=ready_draft)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert Message.objects.count() == 1
    assert SupportRequest.objects.get().reference.endswith("000001")
