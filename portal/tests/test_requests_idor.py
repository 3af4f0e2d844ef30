"""Every page of "my requests" and "apply", tried by a signed-in beneficiary with another
beneficiary's request (and its meeting and code): 404, and nothing changes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import committee, services
from assistance.models import AidType, Appeal, Status, SupportRequest
from assistance.tests.conftest import make_ready_draft, make_researched
from core.models import ActivityLog, Channel
from portal import otp
from portal.models import Purpose
from tests_support.factories import UserFactory
from tests_support.portal import portal_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(officer, researcher, manager, other_applicant):
    """Another beneficiary's rejected request, with a letter and a question once answered."""
    request = make_researched(officer, researcher, make_ready_draft(officer, other_applicant))
    members = [UserFactory(role="committee") for _ in range(3)]
    meeting = committee.meeting_create(
        actor=manager,
        number="9/1448",
        day=timezone.localdate(),
        quorum=3,
        rule="majority",
        chair=members[0],
        members=members,
    )
    item = committee.agenda_add(actor=manager, meeting=meeting, request=request)
    for member in members:
        committee.vote_cast(actor=member, item=item, choice="reject", note="سبب")
    request.refresh_from_db()
    assert request.status == Status.REJECTED
    return request, meeting


@pytest.fixture
def their_draft(other_applicant):
    return services.request_create(
        actor=None,
        beneficiary=other_applicant,
        channel=Channel.objects.get(code="website"),
        aid_types=[AidType.objects.get(code="food_basket")],
        need="حاجتي",
    )


def test_every_page_is_404_with_another_beneficiary_s_ids(client, applicant, theirs, their_draft):
    request, meeting = theirs
    challenge = otp.otp_issue(
        purpose=Purpose.SIGN,
        typed=str(their_draft.public_id),
        beneficiary=their_draft.beneficiary,
        subject_id=str(their_draft.public_id),
        ip_address=None,
    )
    portal_sign_in(client, applicant)
    before = ActivityLog.objects.count()
    pages = [
        reverse("portal:request", args=[request.public_id]),
        reverse("portal:request_withdraw", args=[request.public_id]),
        reverse("portal:request_letter", args=[request.public_id, meeting.public_id]),
        reverse("portal:request", args=[their_draft.public_id]),
        reverse("portal:apply_details", args=[their_draft.public_id]),
        reverse("portal:apply_documents", args=[their_draft.public_id]),
        reverse("portal:apply_sign", args=[their_draft.public_id]),
        reverse("portal:apply_code", args=[their_draft.public_id, challenge.public_id]),
        reverse("portal:apply_done", args=[request.public_id]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("portal:request_answer", args=[request.public_id]),
        reverse("portal:request_appeal", args=[request.public_id]),
        reverse("portal:request_withdraw", args=[request.public_id]),
        reverse("portal:apply_details", args=[their_draft.public_id]),
        reverse("portal:apply_documents", args=[their_draft.public_id]),
        reverse("portal:apply_sign", args=[their_draft.public_id]),
        reverse("portal:apply_code", args=[their_draft.public_id, challenge.public_id]),
    ]
    data = {
        "answer": "x",
        "grounds": "x",
        "need": "x",
        "rights_acknowledged": "on",
        "code": "123456",
        "item": "national_id",
    }
    for url in posts:
        assert client.post(url, data).status_code == 404, url
    request.refresh_from_db()
    their_draft.refresh_from_db()
    assert request.status == Status.REJECTED and not Appeal.objects.exists()
    assert their_draft.need == "حاجتي" and their_draft.status == Status.DRAFT
    challenge.refresh_from_db()
    assert challenge.attempts == 0
    # Nothing was written on anyone's file (signing in itself is not logged here).
    assert ActivityLog.objects.count() == before
    assert SupportRequest.objects.filter(beneficiary=applicant).count() == 0
