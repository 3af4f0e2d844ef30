"""A ticket's page on the portal: only what its person may see, and their follow-up."""

import pytest
from django.urls import reverse

from contact import services
from contact.models import EventKind, Ticket, TicketCategory, TicketStatus
from core.models import ActivityLog

pytestmark = pytest.mark.django_db


def _open(actor, beneficiary, code="complaint_service", kind="complaint", **kw):
    return services.ticket_open(
        actor=actor,
        kind=kind,
        category=TicketCategory.objects.get(code=code),
        subject=kw.pop("subject", "السلة الغذائية ناقصة"),
        description=kw.pop("description", "وصلتني السلة وفيها نقص في الأرز."),
        channel="website",
        beneficiary=beneficiary,
        **kw,
    )


@pytest.fixture
def ticket(applicant):
    return _open(None, applicant)


def _url(ticket, name="portal:ticket"):
    return reverse(name, args=[ticket.public_id])


def test_it_shows_my_text_the_answers_and_the_resolution(portal_client, ticket, officer):
    services.ticket_reply(actor=officer, ticket=ticket, body="نعتذر، سنرسل الأرز غدًا.")
    services.ticket_resolve(actor=officer, ticket=ticket, resolution="أُرسل الأرز إلى منزلكم.")
    response = portal_client.get(_url(ticket))
    assert response.status_code == 200
    html = response.content.decode()
    assert ticket.reference in html
    assert "وصلتني السلة وفيها نقص في الأرز." in html
    assert "نعتذر، سنرسل الأرز غدًا." in html
    assert "أُرسل الأرز إلى منزلكم." in html
    assert html.count("<h1") == 1
    assert "no-store" in response["Cache-Control"]


def test_it_never_shows_internal_handling_or_staff_names(
    portal_client, applicant, officer, manager, quality
):
    ticket = _open(None, applicant, code="complaint_staff")
    services.ticket_note(actor=quality, ticket=ticket, body="ملاحظة داخلية سرية عن الموظف")
    services.ticket_assign(actor=quality, ticket=ticket, owner=quality)
    services.ticket_wait(actor=quality, ticket=ticket, note="ننتظر رد الموظف المعني داخليًا")
    services.ticket_resume(actor=quality, ticket=ticket, note="راجعنا سجل المناوبة")
    services.ticket_reply(actor=quality, ticket=ticket, body="نشكرك، نتابع شكواك.")
    ticket.refresh_from_db()
    html = portal_client.get(_url(ticket)).content.decode()
    assert "نشكرك، نتابع شكواك." in html
    for secret in (
        "ملاحظة داخلية سرية عن الموظف",
        "ننتظر رد الموظف المعني داخليًا",
        "راجعنا سجل المناوبة",
        quality.display_name,
        quality.username,
        officer.display_name,
    ):
        assert secret not in html
    assert ticket.events.filter(kind=EventKind.NOTE).exists()


def test_it_shows_the_outcome_of_a_suggestion(portal_client, applicant, manager):
    ticket = _open(None, applicant, code="suggestion_services", kind="suggestion")
    services.ticket_outcome(
        actor=manager, ticket=ticket, outcome="declined", reason="لا تسمح الميزانية هذا العام."
    )
    html = portal_client.get(_url(ticket)).content.decode()
    assert "لا تسمح الميزانية هذا العام." in html
    assert 'id="write"' not in html  # resolved: no more messages


def test_it_answers_404_for_another_beneficiarys_ticket(portal_client, other_applicant):
    theirs = _open(None, other_applicant)
    assert portal_client.get(_url(theirs)).status_code == 404
    response = portal_client.post(_url(theirs, "portal:ticket_message"), {"text": "مرحبا"})
    assert response.status_code == 404
    assert not theirs.events.filter(kind=EventKind.MESSAGE).exists()


def test_it_answers_404_for_an_unknown_or_unlinked_ticket(portal_client, officer):
    unlinked = services.ticket_open(
        actor=officer,
        kind="inquiry",
        category=TicketCategory.objects.get(code="inquiry_services"),
        subject="سؤال",
        description="سؤال من متصل",
        channel="phone",
        person_name="متصل",
        person_phone="0551234567",
    )
    assert portal_client.get(_url(unlinked)).status_code == 404
    url = reverse("portal:ticket", args=["00000000-0000-4000-8000-000000000000"])
    assert portal_client.get(url).status_code == 404


def test_my_message_resumes_a_ticket_waiting_for_me(portal_client, ticket, officer):
    services.ticket_wait(actor=officer, ticket=ticket, note="نحتاج صورة الفاتورة")
    response = portal_client.post(
        _url(ticket, "portal:ticket_message"), {"text": "أرفقت الفاتورة في مستنداتي."}
    )
    assert response.status_code == 302
    assert response.url == _url(ticket)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS
    event = ticket.events.order_by("-pk").first()
    assert event.kind == EventKind.MESSAGE
    assert event.actor is None
    assert event.body == "أرفقت الفاتورة في مستنداتي."
    assert event.data["via"] == "portal"
    entry = ActivityLog.objects.get(action="contact.ticket.person_wrote")
    assert entry.actor is None and entry.data["via"] == "portal"
    html = portal_client.get(_url(ticket)).content.decode()
    assert "أرفقت الفاتورة في مستنداتي." in html
    assert "نحتاج صورة الفاتورة" not in html


def test_it_refuses_an_empty_message_at_the_field(portal_client, ticket):
    response = portal_client.post(_url(ticket, "portal:ticket_message"), {"text": "   "})
    assert response.status_code == 200
    assert "text" in response.context["message_form"].errors
    assert not ActivityLog.objects.filter(action="contact.ticket.person_wrote").exists()


def test_it_refuses_a_message_on_a_closed_ticket(portal_client, ticket, officer):
    services.ticket_resolve(actor=officer, ticket=ticket, resolution="تم الحل.")
    services.ticket_close(actor=officer, ticket=ticket)
    before = ticket.events.count()
    response = portal_client.post(
        _url(ticket, "portal:ticket_message"), {"text": "ما زالت المشكلة"}
    )
    assert response.status_code == 200
    assert "text" in response.context["message_form"].errors
    assert ticket.events.count() == before
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.CLOSED


def test_it_sends_a_signed_out_visitor_to_sign_in(client, ticket):
    for url in (_url(ticket), _url(ticket, "portal:ticket_message")):
        response = client.get(url) if url == _url(ticket) else client.post(url, {"text": "x"})
        assert response.status_code == 302
        assert response.url.startswith(reverse("portal:login"))
    assert not ActivityLog.objects.filter(action="contact.ticket.person_wrote").exists()


def test_it_rejects_other_methods(portal_client, ticket):
    assert portal_client.post(_url(ticket)).status_code == 405
    assert portal_client.get(_url(ticket, "portal:ticket_message")).status_code == 405
