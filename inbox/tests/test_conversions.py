"""Identify the sender, then a ticket, a support request or closed: one service each, the
item locked and checked, the other app's service in the same transaction, an audit row."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from assistance.models import AidType, Status, SupportRequest
from contact.models import Kind, ReplyChannel, Ticket, TicketCategory
from core.models import ActivityLog
from inbox import services
from inbox.models import InboundItem, ItemStatus
from inbox.tests.conftest import receive
from notify.models import Message
from tests_support.factories import make_beneficiary

pytestmark = pytest.mark.django_db


def _to_ticket(actor, item, **overrides):
    fields = {
        "kind": Kind.INQUIRY,
        "category": TicketCategory.objects.get(code="inquiry_services"),
        "subject": "موعد توزيع السلال",
        "description": item.body,
        "priority": "normal",
        "reply_channel": ReplyChannel.SMS,
    }
    fields.update(overrides)
    return services.inbound_to_ticket(actor=actor, item=item, **fields)


# --- Identify ---------------------------------------------------------------------------------


def test_identifying_links_the_file_and_moves_the_item_to_its_branch(officer, item, beneficiary):
    services.inbound_identify(actor=officer, item=item, beneficiary=beneficiary)
    item.refresh_from_db()
    assert item.beneficiary == beneficiary and item.branch == beneficiary.branch
    log = ActivityLog.objects.get(action="inbox.item.identified")
    assert log.actor == officer and log.subject_id == str(beneficiary.pk)


def test_unlinking_a_wrong_match_leaves_the_item_unassigned(officer, branch_item, beneficiary):
    services.inbound_identify(actor=officer, item=branch_item, beneficiary=None)
    branch_item.refresh_from_db()
    assert branch_item.beneficiary is None and branch_item.branch is None
    log = ActivityLog.objects.get(action="inbox.item.unlinked")
    assert log.subject_id == str(beneficiary.pk)  # told on the file it was wrongly linked to


def test_a_representative_cannot_link_a_file_of_another_branch(representative, item, other_rep):
    elsewhere = make_beneficiary(other_rep)
    with pytest.raises(PermissionDenied):
        services.inbound_identify(actor=representative, item=item, beneficiary=elsewhere)
    item.refresh_from_db()
    assert item.beneficiary is None


def test_a_representative_cannot_act_on_another_branchs_item(other_rep, branch_item):
    with pytest.raises(PermissionDenied):
        services.inbound_close(actor=other_rep, item=branch_item, reason="مكرر")


@pytest.mark.parametrize("persona", ["researcher", "volunteer", "quality"])
def test_roles_outside_the_inbox_cannot_act(request, persona, item):
    with pytest.raises(PermissionDenied):
        services.inbound_close(actor=request.getfixturevalue(persona), item=item, reason="مكرر")


# --- Ticket -----------------------------------------------------------------------------------


def test_an_unidentified_message_becomes_a_ticket_for_the_person(officer, item):
    ticket = _to_ticket(officer, item)
    item.refresh_from_db()
    assert item.status == ItemStatus.TICKET and item.ticket == ticket
    assert item.handled_by == officer and item.handled_at is not None
    assert ticket.person_name == "نورة سعد" and ticket.person_phone == "+966591112233"
    assert ticket.channel.code == "website" and ticket.beneficiary is None
    assert ActivityLog.objects.filter(action="inbox.item.ticket").count() == 1
    assert ActivityLog.objects.filter(action="contact.ticket.opened").count() == 1
    # The person is told the ticket's reference on their phone.
    assert Message.objects.filter(recipient="+966591112233", channel="sms").exists()


def test_an_identified_message_becomes_a_ticket_on_the_file(representative, branch_item):
    ticket = _to_ticket(representative, branch_item)
    assert ticket.beneficiary == branch_item.beneficiary
    assert ticket.branch == branch_item.branch


def test_a_refused_ticket_leaves_the_item_new(officer, item):
    social = receive(
        source="social",
        channel_code="social_media",
        sender_phone="",
        sender_name="",
        sender_handle="@someone",
        platform="x",
    )
    with pytest.raises(ValidationError):
        _to_ticket(officer, social)  # an SMS answer needs a mobile number
    social.refresh_from_db()
    assert social.status == ItemStatus.NEW and social.ticket is None
    assert not Ticket.objects.exists()
    assert not ActivityLog.objects.filter(action__startswith="inbox.item.ticket").exists()


# --- Support request --------------------------------------------------------------------------


def test_an_identified_message_becomes_a_draft_request(officer, branch_item):
    request = services.inbound_to_request(
        actor=officer,
        item=branch_item,
        aid_types=[AidType.objects.get(code="food_basket")],
        need=branch_item.body,
    )
    branch_item.refresh_from_db()
    assert branch_item.status == ItemStatus.REQUEST and branch_item.support_request == request
    assert request.status == Status.DRAFT and request.channel.code == "phone"
    assert request.beneficiary == branch_item.beneficiary
    assert ActivityLog.objects.filter(action="inbox.item.request").count() == 1


def test_a_request_needs_the_sender_identified(officer, item):
    with pytest.raises(ValidationError, match=r"Identify the sender|حدّد|حدد"):
        services.inbound_to_request(
            actor=officer,
            item=item,
            aid_types=[AidType.objects.get(code="food_basket")],
            need="سلة",
        )
    assert not SupportRequest.objects.exists()


# --- Close ------------------------------------------------------------------------------------


def test_closing_keeps_the_reason(officer, item):
    services.inbound_close(actor=officer, item=item, reason="  إعلان   تجاري ")
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and item.close_reason == "إعلان تجاري"
    assert ActivityLog.objects.get(action="inbox.item.closed").data["reason"] == "إعلان تجاري"


def test_closing_needs_a_reason(officer, item):
    with pytest.raises(ValidationError) as exc:
        services.inbound_close(actor=officer, item=item, reason=" ")
    assert "close_reason" in exc.value.message_dict
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW


def test_a_handled_item_cannot_be_handled_again(officer, manager, item):
    services.inbound_close(actor=officer, item=item, reason="مكرر")
    with pytest.raises(ValidationError) as exc:
        _to_ticket(manager, item)
    assert officer.display_name in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.inbound_identify(actor=manager, item=item, beneficiary=None)
    assert not Ticket.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_officers_acting_at_once_one_wins(officer, manager):
    from django.db import connections

    item = receive()
    barrier = threading.Barrier(2)
    results = []

    def close(actor):
        try:
            barrier.wait()
            services.inbound_close(actor=actor, item=item, reason=f"by {actor.username}")
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close, args=(u,)) for u in (officer, manager)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1
    assert len(results) == 2
    assert ActivityLog.objects.filter(action="inbox.item.closed").count() == 1
    assert InboundItem.objects.get().status == ItemStatus.CLOSED
