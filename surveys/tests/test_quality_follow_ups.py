"""Follow-ups of low scores: the list (open first, by due date, overdue marked), taking and
giving, the call back (never for an anonymous answer), closing with what was done, linking an
improvement action; audited, scoped to the branch, refused to other roles."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import ActivityLog
from surveys import quality as loop
from surveys.models import FollowUpStatus, InvitationStatus
from tests_support.factories import UserFactory
from tests_support.surveys import (
    FollowUpFactory,
    ImprovementActionFactory,
    InvitationFactory,
    ResponseFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(beneficiary):
    """A low score given with the person's name, about a request of theirs."""
    invitation = InvitationFactory(
        beneficiary=beneficiary,
        status=InvitationStatus.ANSWERED,
        subject_reference="REQ-1447-000042",
    )
    response = ResponseFactory(
        version=invitation.version,
        invitation=invitation,
        csat=1,
        comment="اتصلت على 0551234567 ولم يرد أحد",
    )
    return FollowUpFactory(response=response)


@pytest.fixture
def anonymous(db):
    return FollowUpFactory(response=ResponseFactory(csat=2, anonymous=True))


def _url(name, follow_up):
    return reverse(f"surveys:{name}", args=[follow_up.public_id])


# --- Services -----------------------------------------------------------------------------


def test_taking_and_giving_are_audited(quality, manager, named):
    loop.follow_up_assign(actor=quality, follow_up=named, owner=quality)
    loop.follow_up_assign(actor=quality, follow_up=named, owner=manager)
    named.refresh_from_db()
    assert named.owner == manager
    owners = ActivityLog.objects.filter(action="surveys.follow_up.assigned").values_list(
        "data__owner", flat=True
    )
    assert sorted(owners) == sorted([quality.display_name, manager.display_name])


def test_it_is_given_only_to_the_quality_team(quality, officer, named):
    with pytest.raises(ValidationError):
        loop.follow_up_assign(actor=quality, follow_up=named, owner=officer)


def test_the_call_back_is_recorded_with_its_note(quality, named):
    loop.follow_up_contacted(actor=quality, follow_up=named, note="  اعتذرنا وشرحنا التأخير ")
    named.refresh_from_db()
    assert named.status == FollowUpStatus.CONTACTED and named.owner == quality
    entry = ActivityLog.objects.get(action="surveys.follow_up.contacted")
    assert entry.data["note"] == "اعتذرنا وشرحنا التأخير"
    with pytest.raises(ValidationError):
        loop.follow_up_contacted(actor=quality, follow_up=named, note=" ")


def test_nobody_is_called_about_an_anonymous_answer(quality, anonymous):
    with pytest.raises(ValidationError) as exc:
        loop.follow_up_contacted(actor=quality, follow_up=anonymous, note="اتصلت")
    assert exc.value.code == "anonymous"
    anonymous.refresh_from_db()
    assert anonymous.status == FollowUpStatus.OPEN


def test_closing_needs_what_was_done_and_may_link_an_action(quality, named):
    with pytest.raises(ValidationError) as exc:
        loop.follow_up_close(actor=quality, follow_up=named, outcome="  ")
    assert "outcome" in exc.value.message_dict
    action = ImprovementActionFactory()
    loop.follow_up_close(actor=quality, follow_up=named, outcome="أعيد التسليم", action=action)
    named.refresh_from_db()
    assert named.status == FollowUpStatus.CLOSED and named.closed_by == quality
    assert named.closed_at is not None and named.action == action
    assert ActivityLog.objects.filter(action="surveys.follow_up.linked").exists()
    assert ActivityLog.objects.get(action="surveys.follow_up.closed").data["outcome"]
    with pytest.raises(ValidationError):
        loop.follow_up_close(actor=quality, follow_up=named, outcome="مرة أخرى")
    with pytest.raises(ValidationError):
        loop.follow_up_assign(actor=quality, follow_up=named, owner=quality)


def test_an_action_is_linked_and_unlinked(quality, anonymous):
    action = ImprovementActionFactory()
    loop.follow_up_link_action(actor=quality, follow_up=anonymous, action=action)
    loop.follow_up_link_action(actor=quality, follow_up=anonymous, action=None)
    anonymous.refresh_from_db()
    assert anonymous.action is None
    assert ActivityLog.objects.filter(action="surveys.follow_up.unlinked").count() == 1


def test_other_roles_and_other_branches_are_refused(officer, named, other_branch):
    with pytest.raises(PermissionDenied):
        loop.follow_up_close(actor=officer, follow_up=named, outcome="تم")
    dammam_manager = UserFactory(role=Role.MANAGER, branch=other_branch)
    with pytest.raises(Http404):
        loop.follow_up_close(actor=dammam_manager, follow_up=named, outcome="تم")


def test_the_list_puts_open_first_by_due_date(quality, named, anonymous):
    today = timezone.localdate()
    late = FollowUpFactory(due_on=today - timedelta(days=2))
    closed = FollowUpFactory(
        status=FollowUpStatus.CLOSED, outcome="تم", closed_at=timezone.now(), due_on=today
    )
    contacted = FollowUpFactory(status=FollowUpStatus.CONTACTED, due_on=today - timedelta(days=9))
    order = list(loop.follow_ups_for(quality))
    assert order[0] == late and order[-1] == closed
    assert order.index(contacted) > order.index(named)
    assert loop.follow_up_is_overdue(late) and not loop.follow_up_is_overdue(named)


# --- Pages --------------------------------------------------------------------------------


def test_the_list_marks_overdue_ones(client, quality, named):
    FollowUpFactory(due_on=timezone.localdate() - timedelta(days=1))
    client.force_login(quality)
    response = client.get(reverse("surveys:follow_ups"))
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [f.overdue for f in rows] == [True, False]
    response = client.get(reverse("surveys:follow_ups"), {"view": "overdue"})
    assert len(response.context["page"].object_list) == 1


def test_the_page_links_to_the_file_and_masks_the_comment(client, quality, named, beneficiary):
    client.force_login(quality)
    response = client.get(_url("follow_up_detail", named))
    assert response.status_code == 200
    assert reverse("beneficiaries:detail", args=[beneficiary.public_id]) in response.text
    assert "REQ-1447-000042" in response.text
    assert "0551234567" not in response.text and "********67" in response.text


def test_an_anonymous_answer_leads_to_nobody(client, quality, anonymous):
    client.force_login(quality)
    response = client.get(_url("follow_up_detail", anonymous))
    assert response.status_code == 200
    assert response.context["beneficiary"] is None and response.context["contacted_form"] is None
    assert not re.search(r"/beneficiaries/[0-9a-f-]{36}/", response.text)


def test_the_follow_up_is_handled_through_the_page(client, quality, named):
    client.force_login(quality)
    client.post(_url("follow_up_assign", named), {"take": "1"})
    client.post(_url("follow_up_contacted", named), {"note": "شكرنا المستفيد"})
    action = ImprovementActionFactory()
    client.post(_url("follow_up_close", named), {"outcome": "", "action": action.pk})
    named.refresh_from_db()
    assert named.status == FollowUpStatus.CONTACTED  # no outcome, not closed
    response = client.post(_url("follow_up_close", named), {"outcome": "تم", "action": action.pk})
    assert response.status_code == 302
    named.refresh_from_db()
    assert (named.status, named.owner, named.action) == (FollowUpStatus.CLOSED, quality, action)


def test_follow_up_pages_refuse_wrong_method_role_scope_and_strangers(
    client, quality, officer, named, other_branch
):
    detail = _url("follow_up_detail", named)
    assert client.get(detail).status_code == 302
    client.force_login(quality)
    for name in ("follow_up_assign", "follow_up_contacted", "follow_up_close", "follow_up_link"):
        assert client.get(_url(name, named)).status_code == 405
    client.force_login(officer)
    assert client.get(detail).status_code == 403
    assert client.get(reverse("surveys:follow_ups")).status_code == 403
    assert client.post(_url("follow_up_close", named), {"outcome": "تم"}).status_code == 403
    client.force_login(UserFactory(role=Role.MANAGER, branch=other_branch))
    assert client.get(detail).status_code == 404
    assert client.post(_url("follow_up_close", named), {"outcome": "تم"}).status_code == 404
    named.refresh_from_db()
    assert named.status == FollowUpStatus.OPEN
