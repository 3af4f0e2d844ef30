"""The services of intake with `actor=None`: the applicant acting for themself on the portal.
Staff permissions do not apply, but a request that is not theirs is refused; a signature is
confirmed only by a fresh one-time code sent for this very request."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from assistance import committee, services
from assistance.documents import signature_evidence
from assistance.models import AidType, Attestation, AttestationMethod, Status, SupportRequest
from assistance.tests.conftest import make_ready_draft, signature_png
from beneficiaries.models import PrivacyNotice
from beneficiaries.services import consent_record, income_add
from core.activity import describe
from core.models import ActivityLog, Channel
from portal import otp
from portal.models import Purpose
from tests_support.factories import make_beneficiary, make_document

pytestmark = pytest.mark.django_db


def _own_draft(beneficiary):
    return services.request_create(
        actor=None,
        beneficiary=beneficiary,
        channel=Channel.objects.get(code="website"),
        aid_types=[AidType.objects.get(code="food_basket")],
        need="نحتاج سلة غذائية",
    )


@pytest.fixture
def own_draft(officer, beneficiary):
    """The applicant's own draft, complete but for the signature."""
    beneficiary.id_expiry = datetime.date(2031, 1, 1)
    beneficiary.save(update_fields=["id_expiry"])
    consent_record(
        actor=None,
        beneficiary=beneficiary,
        notice=PrivacyNotice.objects.get(version="1.0"),
        channel=Channel.objects.get(code="website"),
    )
    income_add(
        actor=officer, beneficiary=beneficiary, data={"kind": "salary", "monthly_amount": 900}
    )
    make_document(officer, beneficiary, code="national_id")
    make_document(officer, beneficiary, code="family_register", expires_on=None)
    return _own_draft(beneficiary)


def _code_for(request, *, verified=True, purpose=Purpose.SIGN, subject=None):
    row = otp.otp_issue(
        purpose=purpose,
        typed=str(request.public_id),
        beneficiary=request.beneficiary,
        subject_id=subject if subject is not None else str(request.public_id),
        ip_address="10.0.0.7",
    )
    if verified:
        row.verified_at = timezone.now()
        row.save(update_fields=["verified_at"])
    return row


def _sign(request, code, beneficiary=None):
    return services.attestation_sign(
        actor=None,
        beneficiary=beneficiary or request.beneficiary,
        request=request,
        method=AttestationMethod.OTP,
        otp=code,
        ip_address="10.0.0.8",
        rights_acknowledged=True,
    )


def test_it_opens_the_applicant_s_own_draft_with_no_staff_creator(beneficiary):
    draft = _own_draft(beneficiary)
    assert draft.created_by is None and draft.owner is None
    assert draft.branch_id == beneficiary.branch_id
    assert {i.doc_type.code for i in draft.checklist.all()} == {"national_id", "family_register"}
    entry = ActivityLog.objects.get(action="assistance.request.created")
    assert entry.actor is None and entry.data["via"] == "portal"
    with translation.override("en"):
        assert "on the portal" in describe(entry)


def test_it_keeps_one_portal_draft_at_a_time(beneficiary):
    _own_draft(beneficiary)
    with pytest.raises(ValidationError):
        _own_draft(beneficiary)
    assert SupportRequest.objects.filter(beneficiary=beneficiary).count() == 1


def test_it_refuses_another_beneficiary_s_request(officer, beneficiary):
    draft = _own_draft(beneficiary)
    outsider = make_beneficiary(officer)
    with pytest.raises(PermissionDenied):
        services.request_update_draft(
            actor=None, beneficiary=outsider, request=draft, aid_types=[], need="x"
        )
    with pytest.raises(PermissionDenied):
        services.request_submit(actor=None, beneficiary=outsider, request=draft)
    with pytest.raises(PermissionDenied):
        services.request_withdraw(actor=None, beneficiary=outsider, request=draft)
    with pytest.raises(PermissionDenied):
        services.request_withdraw(actor=None, request=draft)  # nobody named at all
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_draft_opened_at_the_desk_is_completed_with_the_officer(officer, beneficiary, draft):
    with pytest.raises(PermissionDenied):
        services.request_update_draft(
            actor=None, beneficiary=beneficiary, request=draft, aid_types=[], need="x"
        )


def test_it_signs_with_a_verified_code_and_keeps_the_evidence(own_draft):
    code = _code_for(own_draft)
    attestation = _sign(own_draft, code)
    assert attestation.method == AttestationMethod.OTP and attestation.recorded_by is None
    with attestation.signature.open("rb") as handle:
        content = handle.read()
    assert Attestation.digest(content) == attestation.signature_sha256
    record = json.loads(content)
    assert record["one_time_code"] == str(code.public_id)
    assert record["declaration_version"] == "1.0"
    assert record["signed_from"] == "10.0.0.8"
    assert own_draft.beneficiary.mobile not in content.decode()  # masked
    assert record["mobile"].endswith(own_draft.beneficiary.mobile[-2:])
    lines = " ".join(signature_evidence(attestation))
    assert record["mobile"] in lines and attestation.signature_sha256 in lines
    entry = ActivityLog.objects.get(action="assistance.attestation.signed")
    assert entry.actor is None and entry.data["via"] == "portal"


@pytest.mark.parametrize(
    "make_code",
    [
        lambda r: _code_for(r, verified=False),
        lambda r: _code_for(r, purpose=Purpose.STATUS),
        lambda r: _code_for(r, subject="another-request"),
        lambda r: None,
    ],
    ids=["not-verified", "other-purpose", "other-request", "no-code"],
)
def test_it_refuses_a_code_that_cannot_sign(own_draft, make_code):
    with pytest.raises(ValidationError) as exc:
        _sign(own_draft, make_code(own_draft))
    assert "code" in exc.value.message_dict
    assert not Attestation.objects.exists()


def test_it_refuses_a_code_confirmed_too_long_ago(own_draft):
    code = _code_for(own_draft)
    code.verified_at = timezone.now() - datetime.timedelta(hours=1)
    code.save(update_fields=["verified_at"])
    with pytest.raises(ValidationError):
        _sign(own_draft, code)
    assert not Attestation.objects.exists()


def test_it_refuses_a_code_sent_to_someone_else(officer, own_draft):
    outsider = make_beneficiary(officer)
    code = otp.otp_issue(
        purpose=Purpose.SIGN,
        typed=str(own_draft.public_id),
        beneficiary=outsider,
        subject_id=str(own_draft.public_id),
        ip_address=None,
    )
    code.verified_at = timezone.now()
    code.save(update_fields=["verified_at"])
    with pytest.raises(ValidationError):
        _sign(own_draft, code)


def test_a_code_that_has_signed_cannot_sign_again(own_draft):
    code = _code_for(own_draft)
    _sign(own_draft, code)
    with pytest.raises(ValidationError):
        _sign(own_draft, code)
    assert Attestation.objects.count() == 1


def test_only_the_applicant_signs_with_a_code_and_only_staff_record_a_drawing(
    officer, own_draft, draft
):
    with pytest.raises(ValidationError):
        services.attestation_sign(
            actor=officer,
            request=draft,
            method=AttestationMethod.OTP,
            otp=_code_for(draft),
            rights_acknowledged=True,
        )
    with pytest.raises(ValidationError):
        services.attestation_sign(
            actor=None,
            beneficiary=own_draft.beneficiary,
            request=own_draft,
            method=AttestationMethod.DRAWN,
            drawn_png=signature_png(),
            rights_acknowledged=True,
        )
    assert not Attestation.objects.exists()


def test_sign_and_submit_is_all_or_nothing(own_draft):
    own_draft.beneficiary.id_expiry = datetime.date(2020, 1, 1)  # expired: cannot be submitted
    own_draft.beneficiary.save(update_fields=["id_expiry"])
    with pytest.raises(ValidationError):
        services.request_sign_and_submit(
            actor=None,
            beneficiary=own_draft.beneficiary,
            request=own_draft,
            otp=_code_for(own_draft),
            ip_address=None,
            rights_acknowledged=True,
        )
    own_draft.refresh_from_db()
    assert own_draft.status == Status.DRAFT and not Attestation.objects.exists()


def test_sign_and_submit_sends_the_request(own_draft):
    request = services.request_sign_and_submit(
        actor=None,
        beneficiary=own_draft.beneficiary,
        request=own_draft,
        otp=_code_for(own_draft),
        ip_address=None,
        rights_acknowledged=True,
    )
    assert request.status == Status.SUBMITTED and request.reference
    entry = ActivityLog.objects.get(action="assistance.request.submitted")
    assert entry.actor is None and entry.data["via"] == "portal"


def test_the_applicant_answers_with_a_document_that_fills_its_checklist_item(officer, ready_draft):
    request = services.request_submit(actor=officer, request=ready_draft)
    services.verification_start(actor=officer, request=request)
    info = services.info_request_create(actor=officer, request=request, what="صورة سجل الأسرة")
    document = make_document(officer, request.beneficiary, code="family_register", expires_on=None)
    with pytest.raises(ValidationError) as exc:
        services.info_request_answer(
            actor=None, beneficiary=request.beneficiary, info=info, answer="  "
        )
    assert "answer" in exc.value.message_dict
    services.info_request_answer(
        actor=None, beneficiary=request.beneficiary, info=info, answer="", document=document
    )
    request.refresh_from_db()
    info.refresh_from_db()
    assert request.status == Status.VERIFYING
    assert info.answered_at and info.answered_by is None
    assert request.checklist.get(doc_type__code="family_register").document_id == document.pk
    entry = ActivityLog.objects.get(action="assistance.info.answered")
    assert entry.actor is None and entry.data["type"] == "سجل الأسرة"


def test_the_applicant_cannot_answer_with_someone_else_s_document(officer, ready_draft):
    request = services.request_submit(actor=officer, request=ready_draft)
    services.verification_start(actor=officer, request=request)
    info = services.info_request_create(actor=officer, request=request, what="مستند")
    foreign = make_document(officer, make_beneficiary(officer), code="family_register")
    with pytest.raises(PermissionDenied):
        services.info_request_answer(
            actor=None, beneficiary=request.beneficiary, info=info, answer="", document=foreign
        )


def test_withdrawing_on_the_portal_reads_well_on_the_staff_timeline(officer, beneficiary):
    request = services.request_submit(actor=officer, request=make_ready_draft(officer, beneficiary))
    services.request_withdraw(actor=None, beneficiary=beneficiary, request=request)
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    entry = ActivityLog.objects.get(action="assistance.request.withdrawn")
    assert entry.data["via"] == "portal"
    with translation.override("en"):
        assert describe(entry).startswith("The applicant withdrew")


def test_staff_may_appeal_only_once(officer, manager, researched):
    from assistance.models import Meeting
    from tests_support.factories import UserFactory

    members = [UserFactory(username=f"m{i}", role="committee") for i in range(3)]

    def meeting(number):
        return committee.meeting_create(
            actor=manager,
            number=number,
            day=timezone.localdate(),
            quorum=3,
            rule="majority",
            chair=members[0],
            members=members,
        )

    def reject(request, at: Meeting):
        item = committee.agenda_add(actor=manager, meeting=at, request=request)
        for member in members:
            committee.vote_cast(actor=member, item=item, choice="reject", note="الدخل كاف")
        request.refresh_from_db()

    reject(researched, meeting("1/1448"))
    committee.appeal_lodge(
        actor=officer, request=researched, grounds="تغير الدخل", channel=Channel.objects.first()
    )
    researched.refresh_from_db()
    reject(researched, meeting("2/1448"))
    assert researched.status == Status.REJECTED
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        committee.appeal_lodge(
            actor=officer, request=researched, grounds="مرة أخرى", channel=Channel.objects.first()
        )
    assert "already been appealed" in " ".join(exc.value.messages)
    assert committee.appeal_window(researched) is None


def test_staff_open_print_and_read_the_timeline_of_a_portal_request(client, officer, own_draft):
    from django.urls import reverse

    from assistance.documents import request_form_pdf

    request = services.request_sign_and_submit(
        actor=None,
        beneficiary=own_draft.beneficiary,
        request=own_draft,
        otp=_code_for(own_draft),
        ip_address=None,
        rights_acknowledged=True,
    )
    client.force_login(officer)
    response = client.get(reverse("assistance:detail", args=[request.public_id]))
    assert response.status_code == 200
    assert request.reference in response.content.decode()
    assert request_form_pdf(request).startswith(b"%PDF")
    signature = client.get(reverse("assistance:signature", args=[request.public_id]))
    assert signature.status_code == 200 and signature["Content-Type"] == "application/json"


def test_the_receipt_of_a_portal_request_prints(own_draft):
    from assistance.documents import receipt_pdf

    request = services.request_sign_and_submit(
        actor=None,
        beneficiary=own_draft.beneficiary,
        request=own_draft,
        otp=_code_for(own_draft),
        ip_address=None,
        rights_acknowledged=True,
    )
    assert receipt_pdf(request).startswith(b"%PDF")
