"""The research committee: agenda, quorum and rule, insert-only votes, recusal, decisions
that move the request and tell the applicant, closing the meeting."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from assistance import committee
from assistance.models import Outcome, RejectionReason, Status, Vote
from notify.models import Message
from tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(manager, meeting, researched):
    return committee.agenda_add(actor=manager, meeting=meeting, request=researched)


def test_the_agenda_takes_the_researchers_recommendation(item, researched):
    researched.refresh_from_db()
    assert researched.status == Status.IN_COMMITTEE
    assert (item.aid_type.code, item.amount, item.months) == ("periodic_cash", 800, 12)


def test_majority_approves_and_tells_the_applicant(item, members, researched):
    committee.vote_cast(actor=members[0], item=item, choice="approve")
    researched.refresh_from_db()
    assert researched.status == Status.IN_COMMITTEE  # below quorum: no decision yet
    committee.vote_cast(actor=members[1], item=item, choice="approve")
    committee.vote_cast(actor=members[2], item=item, choice="reject", note="الدخل كاف")
    item.refresh_from_db()
    researched.refresh_from_db()
    assert item.outcome == Outcome.APPROVED and researched.status == Status.APPROVED
    assert Message.objects.filter(template_code="request.decided").count() == 1


def test_rejection_carries_the_reasons(item, members, researched):
    reason = RejectionReason.objects.get(code="income_above_line")
    committee.vote_cast(actor=members[0], item=item, choice="reject", reasons=[reason])
    committee.vote_cast(actor=members[1], item=item, choice="reject", note="دخل ثابت")
    committee.vote_cast(actor=members[2], item=item, choice="approve")
    item.refresh_from_db()
    assert item.outcome == Outcome.REJECTED
    assert list(item.reasons.all()) == [reason] and "دخل ثابت" in item.reason_text


def test_a_split_vote_decides_nothing(item, members):
    committee.vote_cast(actor=members[0], item=item, choice="approve")
    committee.vote_cast(actor=members[1], item=item, choice="reject", note="x")
    committee.vote_cast(actor=members[2], item=item, choice="defer", note="تقرير طبي")
    item.refresh_from_db()
    assert item.outcome == Outcome.PENDING


def test_unanimity_needs_every_vote_alike(manager, members, researched):
    meeting = committee.meeting_create(
        actor=manager,
        number="13/1448",
        day=timezone.localdate(),
        quorum=2,
        rule="unanimity",
        chair=members[0],
        members=members,
    )
    item = committee.agenda_add(actor=manager, meeting=meeting, request=researched)
    committee.vote_cast(actor=members[0], item=item, choice="approve")
    committee.vote_cast(actor=members[1], item=item, choice="approve")
    item.refresh_from_db()
    assert item.outcome == Outcome.PENDING  # the third member has not voted
    committee.vote_cast(actor=members[2], item=item, choice="approve")
    item.refresh_from_db()
    assert item.outcome == Outcome.APPROVED


def test_votes_cannot_change(item, members):
    vote = committee.vote_cast(actor=members[0], item=item, choice="approve")
    with pytest.raises(ValidationError):
        committee.vote_cast(actor=members[0], item=item, choice="reject", note="x")
    with pytest.raises(TypeError):
        vote.save()
    with pytest.raises(TypeError):
        vote.delete()


def test_a_non_member_cannot_vote(item, officer):
    outsider = UserFactory(username="other_member", role="committee")
    with pytest.raises(ValidationError):
        committee.vote_cast(actor=outsider, item=item, choice="approve")
    assert not Vote.objects.exists()


def test_a_recused_member_does_not_vote_and_the_quorum_follows(item, members):
    committee.recuse(actor=members[2], item=item, reason="قريب مقدم الطلب")
    with pytest.raises(ValidationError):
        committee.vote_cast(actor=members[2], item=item, choice="approve")
    committee.vote_cast(actor=members[0], item=item, choice="approve")
    committee.vote_cast(actor=members[1], item=item, choice="approve")
    item.refresh_from_db()
    # Two voters left against a quorum of three: no decision is possible in this meeting.
    assert item.outcome == Outcome.PENDING


def test_closing_defers_what_was_not_decided_and_stops_votes(manager, meeting, item, members):
    committee.meeting_close(actor=manager, meeting=meeting)
    item.refresh_from_db()
    item.request.refresh_from_db()
    assert item.outcome == Outcome.DEFERRED and item.request.status == Status.DEFERRED
    with pytest.raises(ValidationError):
        committee.vote_cast(actor=members[0], item=item, choice="approve")


def test_a_deferred_request_can_go_to_the_next_meeting(manager, meeting, item, members):
    committee.meeting_close(actor=manager, meeting=meeting)
    later = committee.meeting_create(
        actor=manager,
        number="14/1448",
        day=timezone.localdate() + datetime.timedelta(days=7),
        quorum=2,
        rule="majority",
        chair=members[0],
        members=members,
    )
    again = committee.agenda_add(actor=manager, meeting=later, request=item.request)
    assert again.request.status == Status.IN_COMMITTEE


def test_only_organisers_schedule_and_members_must_be_committee(officer, members, researcher):
    with pytest.raises(PermissionDenied):
        committee.meeting_create(
            actor=officer,
            number="1",
            day=timezone.localdate(),
            quorum=1,
            rule="majority",
            chair=members[0],
        )
    with pytest.raises(ValidationError):
        committee.meeting_create(
            actor=members[0],
            number="2",
            day=timezone.localdate(),
            quorum=1,
            rule="majority",
            chair=members[0],
            members=[researcher],
        )


def test_a_request_not_researched_cannot_go_on_the_agenda(manager, meeting, ready_draft):
    with pytest.raises(ValidationError):
        committee.agenda_add(actor=manager, meeting=meeting, request=ready_draft)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_simultaneous_votes_decide_once(item, members):
    from django.db import connections

    committee.vote_cast(actor=members[0], item=item, choice="approve")
    errors = []

    def vote(member):
        try:
            committee.vote_cast(actor=member, item=item, choice="approve")
        except ValidationError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(m,)) for m in members[1:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    item.refresh_from_db()
    assert item.outcome == Outcome.APPROVED
    # The second vote arrives after the decision and is refused, or both count: never two
    # decisions and never a wrong state.
    assert Message.objects.filter(template_code="request.decided").count() == 1
    assert len(errors) <= 1


# --- Screens ----------------------------------------------------------------------------


def test_committee_screens(client, manager, members, researched):
    from django.urls import reverse

    client.force_login(manager)
    assert client.get(reverse("assistance:meetings")).status_code == 200
    response = client.post(
        reverse("assistance:meeting_create"),
        {
            "number": "20/1448",
            "day": "٠١/٠٧/١٤٤٨",
            "quorum": "2",
            "rule": "majority",
            "chair": members[0].pk,
            "members": [m.pk for m in members],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    meeting = committee.Meeting.objects.get(number="20/1448")
    client.post(
        reverse("assistance:agenda_add", args=[meeting.public_id]),
        {"request": researched.public_id},
    )
    item = meeting.agenda.get()
    for member in members[:2]:
        client.force_login(member)
        page = client.get(reverse("assistance:meeting", args=[meeting.public_id]))
        assert page.status_code == 200
        client.post(
            reverse("assistance:vote", args=[meeting.public_id]),
            {"item": item.pk, "choice": "approve"},
        )
    item.refresh_from_db()
    assert item.outcome == Outcome.APPROVED
    client.force_login(manager)
    client.post(reverse("assistance:meeting_close", args=[meeting.public_id]))
    meeting.refresh_from_db()
    assert not meeting.is_open


def test_committee_pages_are_closed_to_roles_without_sensitive_access(
    client, service_officer, meeting
):
    from django.urls import reverse

    client.force_login(service_officer)
    assert client.get(reverse("assistance:meetings")).status_code == 403
    assert client.get(reverse("assistance:meeting", args=[meeting.public_id])).status_code == 403
    assert client.get(reverse("assistance:meeting_create")).status_code == 403


def test_vote_view_rejects_get(client, members, meeting):
    from django.urls import reverse

    client.force_login(members[0])
    assert client.get(reverse("assistance:vote", args=[meeting.public_id])).status_code == 405


def test_the_agenda_page_runs_a_fixed_number_of_queries(
    client, manager, members, meeting, officer, researcher
):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assistance.tests.conftest import make_researched

    url = reverse("assistance:meeting", args=[meeting.public_id])

    def count():
        with CaptureQueriesContext(db) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def add_voted_item():
        request = make_researched(officer, researcher)
        item = committee.agenda_add(actor=manager, meeting=meeting, request=request)
        committee.vote_cast(actor=members[1], item=item, choice="approve")

    client.force_login(members[0])
    add_voted_item()
    small = count()
    for _ in range(4):
        add_voted_item()
    assert count() == small


def test_the_item_page_shows_the_research_and_takes_one_vote(client, members, item):
    from django.urls import reverse

    url = reverse("assistance:agenda_item", args=[item.meeting.public_id, item.position])
    client.force_login(members[0])
    page = client.get(url)
    assert page.status_code == 200 and page.context["can_vote"]
    assert "الأسرة محتاجة" in page.content.decode()
    response = client.post(
        reverse("assistance:vote", args=[item.meeting.public_id]),
        {"item": item.pk, "choice": "approve"},
    )
    assert response.url == url
    assert not client.get(url).context["can_vote"]


# --- The agenda page at the size of a real meeting --------------------------------------------


def _bulk_agenda(meeting, size, *, beneficiary, officer, voters, recused):
    """`size` requests before `meeting`, written in bulk (the services are tested above; here
    only the page's cost matters): every item has one vote, every third a recusal and every
    fifth is decided."""
    from assistance.models import AgendaItem, AidType, Recusal, SupportRequest
    from core.models import Channel

    now = timezone.now()
    requests = SupportRequest.objects.bulk_create(
        SupportRequest(
            beneficiary=beneficiary,
            branch=beneficiary.branch,
            channel=Channel.objects.get(code="interview"),
            need="سلة غذائية",
            status=Status.IN_COMMITTEE,
            reference=f"REQ-1447-{meeting.pk}{i:05d}",
            submitted_at=now,
            expected_decision_date=timezone.localdate(),
            created_by=officer,
        )
        for i in range(size)
    )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            request=request,
            position=i + 1,
            aid_type=AidType.objects.get(code="periodic_cash"),
            amount=800,
            months=12,
            outcome=Outcome.APPROVED if i % 5 == 4 else Outcome.PENDING,
            decided_at=now if i % 5 == 4 else None,
        )
        for i, request in enumerate(requests)
    )
    Vote.objects.bulk_create(
        Vote(item=item, voter=voters[i % len(voters)], choice="approve")
        for i, item in enumerate(items)
    )
    Recusal.objects.bulk_create(
        Recusal(item=item, member=recused, reason="قرابة") for item in items[::3]
    )


@pytest.mark.parametrize("viewer", [0, 2], ids=["chair", "member"])
def test_an_agenda_of_200_runs_the_queries_of_an_agenda_of_20(
    client, manager, members, meeting, officer, beneficiary, viewer
):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    big = committee.meeting_create(
        actor=manager,
        number="14/1448",
        day=timezone.localdate(),
        quorum=3,
        rule="majority",
        chair=members[0],
        members=members,
    )
    for m, size in ((meeting, 20), (big, 200)):
        _bulk_agenda(
            m,
            size,
            beneficiary=beneficiary,
            officer=officer,
            voters=members[:2],
            recused=members[2],
        )
    client.force_login(members[viewer])

    def run(m):
        with CaptureQueriesContext(db) as ctx:
            page = client.get(reverse("assistance:meeting", args=[m.public_id]))
        assert page.status_code == 200
        return len(page.context["items"]), len(ctx.captured_queries)

    (small_rows, small_queries), (big_rows, big_queries) = run(meeting), run(big)
    assert (small_rows, big_rows) == (20, 200)
    assert big_queries == small_queries


def test_each_agenda_row_counts_the_votes_and_shows_my_own(manager, members, meeting, item):
    from assistance import selectors
    from assistance.models import VoteChoice

    committee.vote_cast(actor=members[0], item=item, choice="approve")
    committee.recuse(actor=members[2], item=item, reason="قرابة مع المتقدم")
    seats = {m.pk for m in members}

    [mine] = selectors.agenda_rows(members[0], meeting, seats)
    assert (mine.position, mine.reference) == (1, item.request.reference)
    assert (mine.cast, mine.voters) == (1, 2)
    assert mine.applicant == item.request.beneficiary.full_name
    assert mine.aid_type == str(item.aid_type) and (mine.amount, mine.months) == (800, 12)
    assert mine.my_vote == str(VoteChoice.APPROVE.label) and not mine.awaits_my_vote
    assert mine.outcome == Outcome.PENDING and mine.outcome_label == str(Outcome.PENDING.label)
    # The second member has not voted yet; the third stood aside; a manager is no member.
    assert selectors.agenda_rows(members[1], meeting, seats)[0].awaits_my_vote
    assert not selectors.agenda_rows(members[2], meeting, seats)[0].awaits_my_vote
    assert not selectors.agenda_rows(manager, meeting, seats)[0].awaits_my_vote

    committee.meeting_close(actor=manager, meeting=meeting)
    meeting.refresh_from_db()
    [closed] = selectors.agenda_rows(members[1], meeting, seats)
    assert not closed.awaits_my_vote and closed.outcome == Outcome.DEFERRED


def test_the_agenda_shows_branch_staff_only_their_branch(client, other_rep, meeting, item):
    from django.urls import reverse

    from assistance import selectors

    assert selectors.agenda_rows(other_rep, meeting, set()) == []
    client.force_login(other_rep)
    page = client.get(reverse("assistance:meeting", args=[meeting.public_id]))
    assert page.status_code == 200 and item.request.reference not in page.content.decode()


def test_the_requests_offered_for_the_agenda(officer, representative, other_rep, researched):
    from assistance import selectors
    from assistance.tests.conftest import make_draft
    from tests_support.factories import make_beneficiary

    make_draft(officer, make_beneficiary(representative))  # not researched: not offered

    [(public_id, label)] = selectors.agenda_candidates(representative)
    assert public_id == researched.public_id
    assert label == (
        f"{researched.reference} — {researched.beneficiary.full_name} ({Status.RESEARCHED.label})"
    )
    assert selectors.agenda_candidates(other_rep) == []


def test_the_meeting_list_counts_each_agenda(client, manager, meeting, item):
    from django.urls import reverse

    client.force_login(manager)
    [listed] = client.get(reverse("assistance:meetings")).context["meetings"]
    assert listed == meeting and listed.agenda_count == 1
