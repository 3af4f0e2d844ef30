"""contact.services.ticket_open: the contract other apps (inbox, portal) call."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import Branch
from contact import services
from contact.models import (
    EventKind,
    Kind,
    ReplyChannel,
    Ticket,
    TicketCategory,
    TicketEvent,
    TicketSequence,
    TicketStatus,
)
from contact.tests.conftest import at, open_ticket
from core.hijri import to_hijri
from core.models import ActivityLog, Channel, Holiday
from notify.models import Message
from tests_support.factories import make_beneficiary


@pytest.fixture
def thursday_evening(monkeypatch):
    moment = at(2025, 9, 18, 20)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_deadlines_are_business_hours_from_the_category(officer, thursday_evening):
    category = TicketCategory.objects.get(code="inquiry_procedures")  # 8 h, then 24 h
    ticket = open_ticket(officer, category=category)
    assert ticket.first_response_due == at(2025, 9, 21, 16)
    assert ticket.resolution_due == at(2025, 9, 23, 16)


def test_deadlines_skip_holidays(officer, thursday_evening):
    Holiday.objects.create(date=at(2025, 9, 23).date(), name_ar="اليوم الوطني")
    ticket = open_ticket(officer)
    assert ticket.resolution_due == at(2025, 9, 24, 16)


def test_deadlines_are_fixed_at_opening(officer, thursday_evening):
    ticket = open_ticket(officer)
    category = ticket.category
    category.first_response_hours = 1
    category.resolution_hours = 2
    category.save()
    ticket.refresh_from_db()
    assert ticket.first_response_due == at(2025, 9, 21, 16)


def test_the_reference_counts_per_hijri_year(officer, thursday_evening):
    year = to_hijri(thursday_evening.date()).year
    first = open_ticket(officer)
    second = open_ticket(officer)
    assert first.reference == f"TKT-{year}-000001"
    assert second.reference == f"TKT-{year}-000002"
    assert TicketSequence.objects.get(hijri_year=year).last == 2


def test_it_writes_history_audit_and_acknowledges_by_sms(officer):
    ticket = open_ticket(officer)
    assert ticket.status == TicketStatus.NEW
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.OPENED).count() == 1
    entry = ActivityLog.objects.get(action="contact.ticket.opened")
    assert entry.actor == officer
    assert entry.data["reference"] == ticket.reference
    message = Message.objects.get(template_code="ticket.received")
    assert message.recipient == "+966551234567"
    assert ticket.reference in message.body
    assert "خالد" not in message.body  # no names in what leaves the system


def test_an_answer_by_email_is_acknowledged_by_email(officer):
    open_ticket(
        officer,
        reply_channel=ReplyChannel.EMAIL,
        person_email="Khalid@Example.COM",
        person_phone="",
    )
    message = Message.objects.get(template_code="ticket.received_email")
    assert message.recipient == "Khalid@example.com"


def test_a_phone_answer_sends_nothing(officer):
    open_ticket(officer, reply_channel=ReplyChannel.PHONE)
    assert not Message.objects.exists()


def test_the_branch_is_the_beneficiary_s(officer, beneficiary, branch):
    ticket = open_ticket(officer, beneficiary=beneficiary, person_name="", person_phone="")
    assert ticket.branch == branch
    # The SMS goes to the file's mobile.
    assert Message.objects.get().recipient == beneficiary.mobile


def test_the_branch_is_the_actor_s_then_the_head_office(representative, officer, branch):
    assert open_ticket(representative).branch == branch
    assert open_ticket(officer).branch == Branch.objects.get(code="head-office")


def test_the_person_can_open_it_themselves(db):
    """actor=None: the portal or the website form, after their own authentication."""
    ticket = open_ticket(None, channel="website", category="inquiry_services")
    assert ticket.created_by is None
    assert ticket.channel.code == "website"
    assert ActivityLog.objects.get(action="contact.ticket.opened").actor is None


def test_links_bring_their_beneficiary(officer, beneficiary):
    interaction = services.interaction_log(
        actor=officer,
        channel="interview",
        subject="مراجعة",
        summary="راجع الفرع",
        beneficiary=beneficiary,
    )
    ticket = open_ticket(officer, interaction=interaction, person_name="", person_phone="")
    assert ticket.beneficiary == beneficiary
    assert ticket.interaction == interaction


def test_links_to_different_people_are_refused(officer, beneficiary):
    other = make_beneficiary(officer)
    interaction = services.interaction_log(
        actor=officer, channel="interview", subject="مراجعة", summary="…", beneficiary=other
    )
    with pytest.raises(ValidationError):
        open_ticket(officer, beneficiary=beneficiary, interaction=interaction)


def test_an_owner_puts_it_in_progress_and_is_told(officer, manager):
    manager.email = "manager@example.org"
    manager.save()
    ticket = open_ticket(officer, owner=manager)
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.owner == manager
    assigned = Message.objects.get(template_code="ticket.assigned")
    assert assigned.recipient == "manager@example.org"
    assert ticket.reference in assigned.body
    assert "خالد" not in assigned.body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "gossip"}, "kind"),
        ({"category": "complaint_delay"}, "category"),  # a complaint category for an inquiry
        ({"person_phone": "12"}, "person_phone"),
        ({"person_email": "not-an-address"}, "person_email"),
        ({"person_phone": "", "reply_channel": ReplyChannel.SMS}, "person_phone"),
        ({"reply_channel": ReplyChannel.EMAIL}, "person_email"),
        ({"person_name": "", "person_phone": "", "reply_channel": "letter"}, "person_name"),
        ({"about_staff": True}, "about_staff"),  # an inquiry cannot be about staff
        ({"subject": ""}, "subject"),
    ],
)
def test_bad_input_is_refused_at_its_field(officer, overrides, field):
    with pytest.raises(ValidationError) as caught:
        open_ticket(officer, **overrides)
    assert field in caught.value.message_dict
    assert not Ticket.objects.exists()
    assert not TicketSequence.objects.filter(last__gt=0).exists()


def test_an_inactive_category_is_refused(officer):
    TicketCategory.objects.filter(code="inquiry_procedures").update(is_active=False)
    with pytest.raises(ValidationError):
        open_ticket(officer)


@pytest.mark.parametrize("role", ["researcher", "committee", "service_officer", "volunteer"])
def test_roles_that_do_not_handle_tickets_cannot_open_them(db, request, role):
    with pytest.raises(PermissionDenied):
        open_ticket(request.getfixturevalue(role))


def test_a_branch_cannot_open_for_another_branch_s_file(other_rep, beneficiary):
    with pytest.raises(PermissionDenied):
        open_ticket(other_rep, beneficiary=beneficiary)


def test_an_owner_must_be_able_to_own(officer, volunteer):
    with pytest.raises(ValidationError) as caught:
        open_ticket(officer, owner=volunteer)
    assert "owner" in caught.value.message_dict


def test_channel_and_category_may_be_given_by_code(officer):
    ticket = open_ticket(officer, channel="social_media", category="other", kind=Kind.PRAISE)
    assert ticket.channel == Channel.objects.get(code="social_media")


def test_a_declined_outcome_needs_a_reason_in_the_database(ticket):
    with pytest.raises(IntegrityError):
        Ticket.objects.filter(pk=ticket.pk).update(kind="suggestion", outcome="declined")
