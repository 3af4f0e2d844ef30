"""After the committee: the decision letter to download (each download logged), and appealing
a rejection on the portal — once, within the window, never after."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import committee
from assistance.models import AgendaItem, Appeal, AssistancePolicy, Status
from assistance.tests.conftest import make_ready_draft, make_researched
from core.hijri import format_hijri
from core.models import ActivityLog
from tests_support.factories import UserFactory
from tests_support.portal import portal_sign_in

pytestmark = pytest.mark.django_db


def decide(manager, request, choice, **vote):
    """Put `request` (researched) before a new meeting of three and have them all vote."""
    members = [UserFactory(role="committee") for _ in range(3)]
    meeting = committee.meeting_create(
        actor=manager,
        number=f"{AgendaItem.objects.count() + 1}/1448",
        day=timezone.localdate(),
        quorum=3,
        rule="majority",
        chair=members[0],
        members=members,
    )
    item = committee.agenda_add(actor=manager, meeting=meeting, request=request)
    for member in members:
        committee.vote_cast(actor=member, item=item, choice=choice, **vote)
    request.refresh_from_db()
    item.refresh_from_db()
    return item


@pytest.fixture
def researched(officer, researcher, applicant):
    return make_researched(officer, researcher, make_ready_draft(officer, applicant))


@pytest.fixture
def rejected(manager, researched):
    decide(manager, researched, "reject", note="الدخل يتجاوز حد الكفاية")
    return researched


@pytest.fixture
def me(client, applicant, researched):
    return portal_sign_in(client, applicant)


def _appeal(client, request, grounds="تغير دخل الأسرة بعد فقد العمل"):
    return client.post(
        reverse("portal:request_appeal", args=[request.public_id]), {"grounds": grounds}
    )


def test_a_rejection_is_appealed_on_the_portal(me, rejected):
    page = me.get(reverse("portal:request", args=[rejected.public_id]))
    last_day = page.context["appeal_until"]
    assert last_day == timezone.localdate() + datetime.timedelta(
        days=AssistancePolicy.current().appeal_window_days
    )
    assert format_hijri(last_day) in page.content.decode()
    assert "الدخل يتجاوز حد الكفاية" in page.content.decode()  # the reasons given
    response = _appeal(me, rejected)
    assert response.status_code == 302
    rejected.refresh_from_db()
    assert rejected.status == Status.APPEALED
    appeal = Appeal.objects.get(request=rejected)
    assert appeal.recorded_by is None and appeal.channel.code == "website"
    entry = ActivityLog.objects.get(action="assistance.request.appealed")
    assert entry.actor is None and entry.data["via"] == "portal"


def test_it_is_appealed_once(me, manager, rejected):
    _appeal(me, rejected)
    # The appeal goes back to the committee, which rejects again: no second appeal.
    decide(manager, rejected, "reject", note="لم يتغير شيء")
    assert rejected.status == Status.REJECTED
    page = me.get(reverse("portal:request", args=[rejected.public_id]))
    assert page.context["appeal_until"] is None
    assert 'id="appeal"' not in page.content.decode()
    response = _appeal(me, rejected, "مرة ثانية")
    assert response.status_code == 200
    assert response.context["appeal_form"].non_field_errors()
    assert Appeal.objects.filter(request=rejected).count() == 1


def test_it_is_not_appealed_after_the_window(me, rejected):
    item = rejected.agenda_items.get()
    AgendaItem.objects.filter(pk=item.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=90)
    )
    page = me.get(reverse("portal:request", args=[rejected.public_id]))
    assert page.context["appeal_until"] is None
    response = _appeal(me, rejected)
    assert response.status_code == 200
    assert response.context["appeal_form"].non_field_errors()
    rejected.refresh_from_db()
    assert rejected.status == Status.REJECTED and not Appeal.objects.exists()


def test_an_appeal_needs_its_grounds(me, rejected):
    response = _appeal(me, rejected, "   ")
    assert response.status_code == 200
    assert "grounds" in response.context["appeal_form"].errors
    assert not Appeal.objects.exists()


def test_an_approval_is_not_appealed(me, manager, researched):
    decide(manager, researched, "approve")
    response = _appeal(me, researched)
    assert response.status_code == 200
    assert not Appeal.objects.exists()
    researched.refresh_from_db()
    assert researched.status == Status.APPROVED


def test_the_decision_letter_is_downloaded_and_logged(me, rejected):
    item = rejected.agenda_items.get()
    page = me.get(reverse("portal:request", args=[rejected.public_id])).content.decode()
    url = reverse("portal:request_letter", args=[rejected.public_id, item.meeting.public_id])
    assert url in page
    response = me.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = ActivityLog.objects.get(action="assistance.decision.letter_downloaded")
    assert entry.actor is None and entry.data["via"] == "portal"
    assert entry.data["reference"] == rejected.reference
    assert me.post(url).status_code == 405


def test_no_letter_before_a_decision_nor_for_another_meeting(me, manager, researched, rejected):
    other = decide(manager, make_researched_for_other(manager), "approve")
    url = reverse("portal:request_letter", args=[rejected.public_id, other.meeting.public_id])
    assert me.get(url).status_code == 404
    assert not ActivityLog.objects.filter(action="assistance.decision.letter_downloaded").exists()


def make_researched_for_other(manager):
    from tests_support.factories import make_beneficiary

    officer = UserFactory(role="officer")
    researcher = UserFactory(role="researcher", gender="female")
    return make_researched(
        officer, researcher, make_ready_draft(officer, make_beneficiary(officer))
    )
