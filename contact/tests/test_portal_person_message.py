"""The person's follow-up on their own ticket (contact.services.ticket_person_message) and
what the portal shows of a ticket (contact.selectors.person_ticket_history)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contact import selectors, services
from contact.models import EventKind, TicketStatus
from contact.tests.conftest import open_staff_complaint, open_ticket
from core.models import ActivityLog
from notify.models import Message
from tests_support.factories import make_beneficiary

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(officer):
    return make_beneficiary(officer)


@pytest.fixture
def mine(officer, person):
    return open_ticket(officer, beneficiary=person, person_name="", person_phone="")


def test_it_records_the_message_and_resumes_a_waiting_ticket(officer, person, mine):
    services.ticket_wait(actor=officer, ticket=mine, note="ننتظر صورة العقد")
    event = services.ticket_person_message(beneficiary=person, ticket=mine, text=" أرسلت العقد ")
    mine.refresh_from_db()
    assert mine.status == TicketStatus.IN_PROGRESS
    assert (event.kind, event.actor, event.body) == (EventKind.MESSAGE, None, "أرسلت العقد")
    assert (event.from_status, event.to_status) == (
        TicketStatus.AWAITING_PERSON,
        TicketStatus.IN_PROGRESS,
    )
    assert event.data == {"via": "portal"}
    entry = ActivityLog.objects.get(action="contact.ticket.person_wrote")
    assert entry.actor is None
    assert entry.subject_id == str(person.pk)
    assert "TKT-" in entry.sentence


def test_it_leaves_the_status_of_a_ticket_in_progress(officer, person, mine):
    services.ticket_assign(actor=officer, ticket=mine, owner=officer)
    event = services.ticket_person_message(beneficiary=person, ticket=mine, text="إضافة")
    mine.refresh_from_db()
    assert mine.status == TicketStatus.IN_PROGRESS
    assert event.from_status == event.to_status == ""


def test_it_emails_the_owner_with_the_reference_and_link_only(officer, manager, person, mine):
    manager.email = "manager@example.org"
    manager.save()
    services.ticket_assign(actor=manager, ticket=mine, owner=manager)
    services.ticket_person_message(beneficiary=person, ticket=mine, text="نص خاص بالشخص")
    message = Message.objects.get(template_code="ticket.person_wrote")
    assert message.recipient == "manager@example.org"
    assert mine.reference in message.body
    assert str(mine.public_id) in message.body
    assert "نص خاص بالشخص" not in message.body
    assert person.first_name not in message.body


def test_it_refuses_someone_elses_ticket(officer, mine):
    stranger = make_beneficiary(officer)
    with pytest.raises(PermissionDenied):
        services.ticket_person_message(beneficiary=stranger, ticket=mine, text="مرحبا")
    assert not mine.events.filter(kind=EventKind.MESSAGE).exists()


def test_it_refuses_a_ticket_without_a_beneficiary(officer, person):
    anonymous = open_ticket(officer)
    with pytest.raises(PermissionDenied):
        services.ticket_person_message(beneficiary=person, ticket=anonymous, text="مرحبا")


@pytest.mark.parametrize("text", ["", "   ", "ا" * 5001])
def test_it_refuses_an_empty_or_too_long_message(person, mine, text):
    with pytest.raises(ValidationError) as caught:
        services.ticket_person_message(beneficiary=person, ticket=mine, text=text)
    assert "text" in caught.value.message_dict
    assert not ActivityLog.objects.filter(action="contact.ticket.person_wrote").exists()


def test_it_refuses_a_resolved_ticket(officer, person, mine):
    services.ticket_resolve(actor=officer, ticket=mine, resolution="تمت الإجابة")
    with pytest.raises(ValidationError):
        services.ticket_person_message(beneficiary=person, ticket=mine, text="سؤال آخر")
    mine.refresh_from_db()
    assert mine.status == TicketStatus.RESOLVED


def test_the_persons_history_keeps_out_internal_steps(officer, quality, person):
    ticket = open_staff_complaint(
        officer, staff_member=officer, beneficiary=person, person_name="", person_phone=""
    )
    services.ticket_note(actor=quality, ticket=ticket, body="ملاحظة داخلية")
    services.ticket_assign(actor=quality, ticket=ticket, owner=quality)
    services.ticket_wait(actor=quality, ticket=ticket, note="سبب داخلي للانتظار")
    services.ticket_person_message(beneficiary=person, ticket=ticket, text="هذه إضافتي")
    services.ticket_reply(actor=quality, ticket=ticket, body="ردنا عليك")
    services.ticket_resolve(actor=quality, ticket=ticket, resolution="عولجت الشكوى")
    services.ticket_reopen(actor=quality, ticket=ticket, reason="سبب داخلي لإعادة الفتح")
    history = selectors.person_ticket_history(ticket)
    assert [(e.who, e.kind) for e in history] == [
        ("person", "message"),
        ("us", "reply"),
        ("us", "resolved"),
        ("us", "reopened"),
    ]
    texts = " ".join(e.text for e in history)
    assert "هذه إضافتي" in texts and "ردنا عليك" in texts and "عولجت الشكوى" in texts
    for secret in ("ملاحظة داخلية", "سبب داخلي للانتظار", "سبب داخلي لإعادة الفتح"):
        assert secret not in texts


def test_person_ticket_get_finds_only_the_persons_own(officer, person, mine):
    from django.http import Http404

    assert selectors.person_ticket_get(person, mine.public_id) == mine
    with pytest.raises(Http404):
        selectors.person_ticket_get(make_beneficiary(officer), mine.public_id)
    with pytest.raises(Http404):
        selectors.person_ticket_get(person, "not-a-uuid")
