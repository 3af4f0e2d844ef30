"""The escalation sweep: levels, the ladder, idempotency, who is told, bounded queries.

Tickets here are opened on Sunday 14 September 2025 at 08:00 in the procedures category:
first response due Sunday 16:00 (8 h), resolution due Tuesday 16:00 (24 h). The default
ladder: level 1 at a deadline (owner and the branch's managers), level 2 eight business hours
later (the quality officer), level 3 — resolution only — 24 hours after it (managers and the
quality officer).
"""

import pytest
from django.utils import timezone

from contact import escalation, services
from contact.models import EscalationLevel, EventKind, TicketCategory, TicketEvent
from contact.tasks import escalate_overdue_tickets
from contact.tests.conftest import at, open_staff_complaint, open_ticket
from core.models import ActivityLog
from notify.models import Message
from tests_support.factories import UserFactory


@pytest.fixture
def opened_at(monkeypatch):
    """Open tickets as if it were Sunday 08:00; returns a function moving the clock."""
    clock = {"now": at(2025, 9, 14, 8)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])

    def move(moment):
        clock["now"] = moment

    return move


@pytest.fixture
def staff(branch, other_branch):
    """A manager of the branch, one of every branch, one of another branch, a quality officer,
    and the ticket's owner — all with e-mail addresses."""
    return {
        "owner": UserFactory(username="owner", role="officer", email="owner@waqf.sa"),
        "branch_manager": UserFactory(
            username="bm", role="manager", branch=branch, email="bm@waqf.sa"
        ),
        "head_manager": UserFactory(username="hm", role="manager", email="hm@waqf.sa"),
        "far_manager": UserFactory(
            username="fm", role="manager", branch=other_branch, email="fm@waqf.sa"
        ),
        "quality": UserFactory(username="q", role="quality", email="q@waqf.sa"),
    }


@pytest.fixture
def ticket(opened_at, representative, staff):
    """A ticket of `branch`, owned by an officer of every branch."""
    return open_ticket(representative, owner=staff["owner"])


def _told(ticket=None):
    return set(
        Message.objects.filter(template_code="ticket.escalated").values_list("recipient", flat=True)
    )


def test_the_first_level_is_scheduled_at_the_first_response_deadline(ticket):
    assert ticket.next_escalation_at == at(2025, 9, 14, 16)


def test_nothing_happens_before_the_deadline(ticket):
    assert escalation.tickets_escalate(now=at(2025, 9, 14, 15, 59)) == 0
    ticket.refresh_from_db()
    assert ticket.escalation_level == 0
    assert not _told()


def test_level_one_tells_the_owner_and_the_branch_s_managers(ticket, staff):
    assert escalation.tickets_escalate(now=at(2025, 9, 14, 16)) == 1
    ticket.refresh_from_db()
    assert ticket.escalation_level == 1
    assert ticket.next_escalation_at == at(2025, 9, 15, 16)
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.ESCALATED)
    assert event.data == {"level": 1, "trigger": "first_response"}
    audit = ActivityLog.objects.get(action="contact.ticket.escalated")
    assert audit.data["level"] == 1
    assert _told() == {"owner@waqf.sa", "bm@waqf.sa", "hm@waqf.sa"}


def test_the_email_carries_references_and_links_only(ticket):
    escalation.tickets_escalate(now=at(2025, 9, 14, 16))
    message = Message.objects.filter(template_code="ticket.escalated").first()
    assert ticket.reference in message.body
    assert str(ticket.public_id) in message.body
    assert "خالد" not in message.body and ticket.subject not in message.body


def test_a_second_run_tells_nobody_again(ticket):
    escalation.tickets_escalate(now=at(2025, 9, 14, 16))
    sent = Message.objects.count()
    assert escalation.tickets_escalate(now=at(2025, 9, 14, 16, 30)) == 0
    assert Message.objects.count() == sent
    assert TicketEvent.objects.filter(kind=EventKind.ESCALATED).count() == 1


def test_level_two_tells_the_quality_officer(ticket):
    escalation.tickets_escalate(now=at(2025, 9, 14, 16))
    Message.objects.all().delete()
    assert escalation.tickets_escalate(now=at(2025, 9, 15, 16)) == 1
    ticket.refresh_from_db()
    assert ticket.escalation_level == 2
    assert _told() == {"owner@waqf.sa", "q@waqf.sa"}


def test_after_an_outage_each_level_due_is_reached_in_turn(ticket):
    assert escalation.tickets_escalate(now=at(2025, 9, 15, 17)) == 1
    ticket.refresh_from_db()
    assert ticket.escalation_level == 2
    levels = TicketEvent.objects.filter(kind=EventKind.ESCALATED).values_list(
        "data__level", flat=True
    )
    assert sorted(levels) == [1, 2]
    # One e-mail per person, naming both levels.
    assert (
        Message.objects.filter(recipient="owner@waqf.sa", template_code="ticket.escalated").count()
        == 1
    )
    assert _told() == {"owner@waqf.sa", "bm@waqf.sa", "hm@waqf.sa", "q@waqf.sa"}


def test_an_answered_ticket_climbs_on_the_resolution_deadline(ticket, opened_at, staff):
    opened_at(at(2025, 9, 14, 10))
    services.ticket_reply(actor=staff["owner"], ticket=ticket, body="نعم، التسجيل متاح يوميًا")
    ticket.refresh_from_db()
    assert ticket.next_escalation_at == at(2025, 9, 16, 16)
    assert escalation.tickets_escalate(now=at(2025, 9, 15, 17)) == 0
    assert escalation.tickets_escalate(now=at(2025, 9, 16, 16)) == 1
    assert TicketEvent.objects.get(kind=EventKind.ESCALATED).data["trigger"] == "resolution"


def test_the_ladder_never_goes_down(ticket, opened_at, staff):
    escalation.tickets_escalate(now=at(2025, 9, 15, 16))  # levels 1 and 2 on first response
    opened_at(at(2025, 9, 15, 16, 30))
    services.ticket_reply(actor=staff["owner"], ticket=ticket, body="نعم")
    ticket.refresh_from_db()
    # Level 3 exists only on the resolution rows: 24 business hours after Tuesday 16:00.
    assert ticket.escalation_level == 2
    assert ticket.next_escalation_at == at(2025, 9, 21, 16)


def test_the_last_level_leaves_nothing_scheduled(ticket):
    escalation.tickets_escalate(now=at(2025, 9, 30, 12))
    ticket.refresh_from_db()
    assert ticket.escalation_level == 3
    assert ticket.next_escalation_at is None


def test_resolved_and_waiting_tickets_do_not_escalate(ticket, opened_at, staff):
    opened_at(at(2025, 9, 14, 9))
    services.ticket_wait(actor=staff["owner"], ticket=ticket, note="ننتظر صورة الهوية")
    ticket.refresh_from_db()
    assert ticket.next_escalation_at is None
    assert escalation.tickets_escalate(now=at(2025, 9, 20, 12)) == 0
    # The person answers after the deadline: the escalation resumes at the next sweep.
    opened_at(at(2025, 9, 15, 9))
    services.ticket_resume(actor=staff["owner"], ticket=ticket, note="أرسل الصورة")
    ticket.refresh_from_db()
    assert ticket.next_escalation_at == at(2025, 9, 14, 16)
    services.ticket_resolve(actor=staff["owner"], ticket=ticket, resolution="تم التسجيل")
    ticket.refresh_from_db()
    assert ticket.next_escalation_at is None
    assert escalation.tickets_escalate(now=at(2025, 9, 30, 12)) == 0


def test_a_category_s_own_rows_replace_the_default(opened_at, representative, staff):
    category = TicketCategory.objects.get(code="inquiry_procedures")
    EscalationLevel.objects.create(
        category=category,
        trigger="first_response",
        level=1,
        hours_after=2,
        notify_roles=["quality"],
        notify_owner=False,
    )
    ticket = open_ticket(representative, owner=staff["owner"], category=category)
    assert ticket.next_escalation_at == at(2025, 9, 15, 10)
    escalation.tickets_escalate(now=at(2025, 9, 15, 10))
    assert _told() == {"q@waqf.sa"}


def test_a_complaint_about_staff_is_told_to_quality_and_managers_only(
    opened_at, officer, staff, branch
):
    accused = staff["branch_manager"]
    # Even a ladder that names relations officers tells them nothing about it.
    EscalationLevel.objects.filter(category=None, trigger="first_response", level=1).update(
        notify_roles=["manager", "officer"]
    )
    UserFactory(username="officer2", role="officer", email="o2@waqf.sa")
    complaint = open_staff_complaint(officer, staff_member=accused, branch=branch)
    escalation.tickets_escalate(now=at(2025, 9, 14, 20))
    assert _told() == {"hm@waqf.sa"}  # not the accused manager, not the officers
    audit = ActivityLog.objects.get(action="contact.ticket.escalated")
    assert audit.subject_id == str(complaint.pk)  # never on a beneficiary's timeline


def test_the_sweep_s_queries_do_not_grow_with_the_tickets(
    opened_at, representative, staff, django_assert_max_num_queries
):
    for _ in range(3):
        open_ticket(representative, owner=staff["owner"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        escalation.tickets_escalate(now=at(2025, 9, 14, 16))
    for _ in range(30):
        open_ticket(representative, owner=staff["owner"])
    with CaptureQueriesContext(connection) as many:
        assert escalation.tickets_escalate(now=at(2025, 9, 14, 16)) == 30
    # The same people are told (one e-mail each), so the same number of queries.
    assert len(many) == len(few)


def test_the_sweep_s_queries_do_not_grow_with_the_people_told(opened_at, representative, staff):
    """Each ticket has its own owner, so each adds one e-mail: still the same queries, and
    every owner is told of exactly their ticket, with its link."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def open_owned(count, prefix):
        owners = [
            UserFactory(username=f"{prefix}{i}", role="officer", email=f"{prefix}{i}@waqf.sa")
            for i in range(count)
        ]
        return [open_ticket(representative, owner=owner) for owner in owners]

    open_owned(2, "a")
    with CaptureQueriesContext(connection) as few:
        assert escalation.tickets_escalate(now=at(2025, 9, 14, 16)) == 2
    tickets = open_owned(20, "b")
    with CaptureQueriesContext(connection) as many:
        assert escalation.tickets_escalate(now=at(2025, 9, 14, 16)) == 20
    assert len(many) == len(few)
    for i, ticket in enumerate(tickets):
        mail = Message.objects.get(template_code="ticket.escalated", recipient=f"b{i}@waqf.sa")
        assert ticket.reference in mail.body
        assert escalation.ticket_url(ticket) in mail.body


def test_the_periodic_task_runs_the_sweep(ticket, opened_at):
    opened_at(at(2025, 9, 14, 16, 5))
    assert escalate_overdue_tickets.call_local() == 1
