"""The notifications inbox: the messages about me, my requests and my tickets, newest
first — found by what they are about, not by the number they went to — without one-time
codes or notices to staff, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contact import services as contact
from contact.models import Kind, TicketCategory
from core.models import Channel
from notify.services import message_enqueue

pytestmark = pytest.mark.django_db


def _sms(about, recipient, text, key, template=None):
    return message_enqueue(
        channel="sms",
        recipient=recipient,
        body=None if template else text,
        template_code=template,
        context={"code": "123456", "minutes": 5},
        idempotency_key=key,
        about=about,
    )


def _ticket(actor, beneficiary, **kwargs):
    return contact.ticket_open(
        actor=actor,
        kind=Kind.INQUIRY,
        category=TicketCategory.objects.get(code="inquiry_procedures"),
        subject="موعد الصرف",
        description="متى موعد الصرف؟",
        channel=Channel.objects.get(code="phone"),
        beneficiary=beneficiary,
        **kwargs,
    )


def test_it_shows_messages_about_me_and_my_tickets_newest_first(portal_client, officer, applicant):
    _sms(applicant, applicant.mobile, "رسالة أولى عن ملفك", "t1")
    _ticket(officer, applicant)  # acknowledged by SMS "about" the ticket
    page = portal_client.get(reverse("portal:notifications")).content.decode()
    assert "رسالة أولى عن ملفك" in page
    assert "TKT-" in page
    assert page.index("TKT-") < page.index("رسالة أولى عن ملفك")


def test_it_leaves_out_codes_staff_notices_and_other_people_s_messages(
    portal_client, officer, manager, applicant, other_applicant
):
    _sms(applicant, applicant.mobile, "", "otp", template="portal.otp")
    # The same number once belonged to someone else: that person's messages are not mine.
    _sms(other_applicant, applicant.mobile, "رسالة لغيرك", "other")
    # A message to my number about nothing in particular is not found either.
    _sms(None, applicant.mobile, "رسالة بلا موضوع", "loose")
    manager.email = "manager@example.org"
    manager.save()
    ticket = _ticket(officer, applicant, owner=manager)  # the owner is e-mailed about it
    # Any notice to a staff address about my ticket, whatever its template, is not mine.
    message_enqueue(
        channel="email",
        recipient=manager.email,
        subject="متابعة داخلية",
        body="إشعار داخلي للموظف",
        idempotency_key="staff-note",
        about=ticket,
    )
    response = portal_client.get(reverse("portal:notifications"))
    page = response.content.decode()
    assert "123456" not in page
    assert "رسالة لغيرك" not in page
    assert "رسالة بلا موضوع" not in page
    assert "إشعار داخلي للموظف" not in page
    shown = {m.template_code for m in response.context["page"].object_list}
    assert shown == {"ticket.received"}


def test_it_pages_in_a_fixed_number_of_queries(portal_client, officer, applicant, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "PAGE_SIZE": 5}
    url = reverse("portal:notifications")
    _sms(applicant, applicant.mobile, "رسالة", "m0")
    portal_client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as small:
        assert portal_client.get(url).status_code == 200
    for i in range(1, 12):
        _sms(applicant, applicant.mobile, f"رسالة رقم {i}", f"m{i}")
    for _ in range(2):
        _ticket(officer, applicant)
    with CaptureQueriesContext(connection) as large:
        response = portal_client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(response.context["page"].object_list) == 5
    assert response.context["page"].paginator.count == 14
    second = portal_client.get(url + "?page=3")
    assert len(second.context["page"].object_list) == 4


def test_an_empty_inbox_says_so(portal_client):
    response = portal_client.get(reverse("portal:notifications"))
    assert response.status_code == 200
    assert not response.context["page"].object_list
