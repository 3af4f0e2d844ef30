"""Ticket transitions: each one's guard, history row, audit row and notice."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from contact import services
from contact.models import (
    EventKind,
    Kind,
    ReplyChannel,
    TicketCategory,
    TicketEvent,
    TicketStatus,
)
from contact.tests.conftest import open_ticket
from core.models import ActivityLog
from notify.models import Message
from tests_support.factories import UserFactory


def _actions():
    return list(ActivityLog.objects.order_by("pk").values_list("action", flat=True))


def _sms(template):
    return Message.objects.filter(template_code=template, channel="sms")


# --- Assign and take ----------------------------------------------------------------------


def test_a_supervisor_assigns_and_the_owner_is_told(ticket, manager, representative):
    representative.email = "rep@waqf.sa"
    representative.save()
    ticket = open_ticket(manager, branch=representative.branch)
    services.ticket_assign(actor=manager, ticket=ticket, owner=representative)
    ticket.refresh_from_db()
    assert ticket.owner == representative
    assert ticket.status == TicketStatus.IN_PROGRESS
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.ASSIGNED)
    assert (event.from_status, event.to_status) == ("new", "in_progress")
    assert "contact.ticket.assigned" in _actions()
    assert Message.objects.get(template_code="ticket.assigned").recipient == "rep@waqf.sa"


def test_an_officer_takes_an_unassigned_ticket_without_an_email(ticket, officer):
    officer.email = "officer@waqf.sa"
    officer.save()
    services.ticket_take(actor=officer, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.owner == officer
    assert not Message.objects.filter(template_code="ticket.assigned").exists()


def test_an_officer_cannot_take_someone_else_s_ticket(ticket, manager):
    other = UserFactory(username="officer2", role="officer")
    services.ticket_take(actor=other, ticket=ticket)
    with pytest.raises(PermissionDenied):
        services.ticket_take(actor=UserFactory(username="officer3", role="officer"), ticket=ticket)


def test_an_owner_hands_over_but_an_officer_cannot_assign_others(ticket, officer):
    colleague = UserFactory(username="officer2", role="officer")
    bystander = UserFactory(username="officer3", role="officer")
    with pytest.raises(PermissionDenied):
        services.ticket_assign(actor=bystander, ticket=ticket, owner=colleague)
    services.ticket_take(actor=officer, ticket=ticket)
    services.ticket_assign(actor=officer, ticket=ticket, owner=colleague)
    ticket.refresh_from_db()
    assert ticket.owner == colleague


def test_an_owner_from_another_branch_is_refused(representative, other_rep, manager):
    ticket = open_ticket(representative)
    with pytest.raises(ValidationError) as caught:
        services.ticket_assign(actor=manager, ticket=ticket, owner=other_rep)
    assert "owner" in caught.value.message_dict


# --- Replies ------------------------------------------------------------------------------


def test_the_first_reply_sends_the_sms_and_stops_the_first_response_clock(ticket, officer):
    services.ticket_reply(actor=officer, ticket=ticket, body="نعم، يمكنكم التسجيل من الأحد")
    ticket.refresh_from_db()
    first = ticket.first_responded_at
    assert first is not None
    assert ticket.owner == officer  # unassigned: the one who answers owns it
    assert ticket.status == TicketStatus.IN_PROGRESS
    message = _sms("ticket.reply").get()
    assert "يمكنكم التسجيل" in message.body and ticket.reference in message.body
    services.ticket_reply(actor=officer, ticket=ticket, body="وأيضًا من الإثنين")
    ticket.refresh_from_db()
    assert ticket.first_responded_at == first
    assert _sms("ticket.reply").count() == 2
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.REPLY).count() == 2
    assert _actions().count("contact.ticket.replied") == 2


def test_a_reply_by_email(officer):
    ticket = open_ticket(officer, reply_channel=ReplyChannel.EMAIL, person_email="k@example.org")
    services.ticket_reply(actor=officer, ticket=ticket, body="الرد")
    assert Message.objects.get(template_code="ticket.reply_email").recipient == "k@example.org"


def test_a_reply_by_phone_is_recorded_not_sent(officer):
    ticket = open_ticket(officer, reply_channel=ReplyChannel.PHONE)
    services.ticket_reply(actor=officer, ticket=ticket, body="أُبلغ هاتفيًا بالمواعيد")
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.REPLY)
    assert event.data["channel"] == "phone"
    assert not Message.objects.exists()


def test_a_reply_needs_words_and_an_open_ticket(ticket, officer):
    with pytest.raises(ValidationError) as caught:
        services.ticket_reply(actor=officer, ticket=ticket, body="  ")
    assert "body" in caught.value.message_dict
    services.ticket_resolve(actor=officer, ticket=ticket, resolution="تمت الإجابة")
    with pytest.raises(ValidationError):
        services.ticket_reply(actor=officer, ticket=ticket, body="مرة أخرى")


def test_a_reply_with_an_inserted_article_counts_its_use(ticket, officer, manager):
    from knowledge import services as knowledge
    from knowledge.models import Article, ArticleCategory

    article = knowledge.article_create(
        actor=manager,
        publish=True,
        kind="faq",
        category=ArticleCategory.objects.get(code="applying"),
        audience="public",
        title="مواعيد التسجيل",
        summary="متى يمكن التسجيل",
        body="يمكن التسجيل طوال أيام العمل من الأحد إلى الخميس.",
    )
    services.ticket_reply(actor=officer, ticket=ticket, body=article.body, article=article)
    assert Article.objects.get(pk=article.pk).use_count == 1
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.REPLY)
    assert event.data["article"] == str(article.public_id)


def test_a_researcher_cannot_reply(officer, researcher):
    ticket = open_ticket(officer)
    with pytest.raises(PermissionDenied):
        services.ticket_reply(actor=researcher, ticket=ticket, body="…")


# --- Notes, waiting --------------------------------------------------------------------


def test_a_note_stays_inside(ticket, officer):
    services.ticket_note(actor=officer, ticket=ticket, body="اتصلت ولم يرد")
    assert TicketEvent.objects.get(kind=EventKind.NOTE).body == "اتصلت ولم يرد"
    assert not _sms("ticket.reply").exists()
    assert "contact.ticket.noted" in _actions()
    with pytest.raises(ValidationError):
        services.ticket_note(actor=officer, ticket=ticket, body="")


def test_waiting_and_resuming(ticket, officer):
    with pytest.raises(ValidationError):
        services.ticket_resume(actor=officer, ticket=ticket, note="رد")
    services.ticket_wait(actor=officer, ticket=ticket, note="ننتظر صك الإعالة")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.AWAITING_PERSON
    with pytest.raises(ValidationError):
        services.ticket_wait(actor=officer, ticket=ticket)
    with pytest.raises(ValidationError) as caught:
        services.ticket_resume(actor=officer, ticket=ticket, note="")
    assert "note" in caught.value.message_dict
    services.ticket_resume(actor=officer, ticket=ticket, note="أرسل الصك")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert {"contact.ticket.waiting", "contact.ticket.resumed"} <= set(_actions())


# --- Resolve, close, reopen ------------------------------------------------------------


def test_resolving_tells_the_person(ticket, officer):
    services.ticket_resolve(actor=officer, ticket=ticket, resolution="تم تحديد موعد لكم")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED
    assert ticket.resolved_at and ticket.first_responded_at
    assert ticket.next_escalation_at is None
    assert "تم تحديد موعد لكم" in _sms("ticket.resolved").get().body
    assert "contact.ticket.resolved" in _actions()


def test_resolving_needs_a_resolution(ticket, officer):
    with pytest.raises(ValidationError) as caught:
        services.ticket_resolve(actor=officer, ticket=ticket, resolution="")
    assert "resolution" in caught.value.message_dict


def test_close_only_after_resolving(ticket, officer):
    with pytest.raises(ValidationError):
        services.ticket_close(actor=officer, ticket=ticket)
    services.ticket_resolve(actor=officer, ticket=ticket, resolution="تم")
    services.ticket_close(actor=officer, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED and ticket.closed_at


def test_reopen_counts_and_clears_the_resolution_time(ticket, officer):
    with pytest.raises(ValidationError):
        services.ticket_reopen(actor=officer, ticket=ticket, reason="غير راضٍ")
    services.ticket_resolve(actor=officer, ticket=ticket, resolution="تم")
    services.ticket_close(actor=officer, ticket=ticket)
    with pytest.raises(ValidationError) as caught:
        services.ticket_reopen(actor=officer, ticket=ticket, reason=" ")
    assert "reason" in caught.value.message_dict
    services.ticket_reopen(actor=officer, ticket=ticket, reason="لم يصله الرد")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.reopened_count == 1
    assert ticket.resolved_at is None and ticket.closed_at is None
    # Resolved a second time, the person hears again (a fresh idempotency key).
    services.ticket_resolve(actor=officer, ticket=ticket, resolution="أعيد الإرسال")
    assert _sms("ticket.resolved").count() == 2


# --- Suggestions -----------------------------------------------------------------------


@pytest.fixture
def suggestion(officer):
    return open_ticket(
        officer,
        kind=Kind.SUGGESTION,
        category=TicketCategory.objects.get(code="suggestion_channels"),
        subject="إضافة خدمة واتساب",
        description="أقترح استقبال الطلبات عبر واتساب",
    )


def test_a_suggestion_is_resolved_by_its_outcome(suggestion, officer):
    with pytest.raises(ValidationError):
        services.ticket_resolve(actor=officer, ticket=suggestion, resolution="تم")
    services.ticket_outcome(actor=officer, ticket=suggestion, outcome="accepted")
    suggestion.refresh_from_db()
    assert suggestion.status == TicketStatus.IN_PROGRESS
    assert suggestion.outcome == "accepted"
    services.ticket_outcome(
        actor=officer, ticket=suggestion, outcome="implemented", reason="أطلقنا الخدمة"
    )
    suggestion.refresh_from_db()
    assert suggestion.status == TicketStatus.RESOLVED
    assert suggestion.resolution == "أطلقنا الخدمة"
    bodies = list(_sms("ticket.outcome").values_list("body", flat=True))
    assert len(bodies) == 2
    assert "contact.ticket.outcome" in _actions()


def test_declining_needs_a_reason_told_back(suggestion, officer):
    with pytest.raises(ValidationError) as caught:
        services.ticket_outcome(actor=officer, ticket=suggestion, outcome="declined")
    assert "reason" in caught.value.message_dict
    services.ticket_outcome(
        actor=officer, ticket=suggestion, outcome="declined", reason="لا يتوافق مع اللائحة"
    )
    suggestion.refresh_from_db()
    assert suggestion.status == TicketStatus.RESOLVED
    assert "لا يتوافق مع اللائحة" in _sms("ticket.outcome").get().body


def test_only_suggestions_have_an_outcome(ticket, officer):
    with pytest.raises(ValidationError):
        services.ticket_outcome(actor=officer, ticket=ticket, outcome="accepted")


# --- History ----------------------------------------------------------------------------


def test_history_is_insert_only(ticket):
    event = TicketEvent.objects.get(ticket=ticket)
    event.body = "تعديل"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        TicketEvent.objects.filter(pk=event.pk).update(body="تعديل")
    with pytest.raises(TypeError):
        event.delete()
    # Even raw SQL is refused by the database trigger.
    with pytest.raises(Exception, match="insert-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE contact_ticketevent SET body = 'x' WHERE id = %s", [event.pk])
