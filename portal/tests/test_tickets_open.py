"""Opening an inquiry, complaint, suggestion or praise on the portal, and the list of mine."""

import pytest
from django.urls import reverse

from contact.models import Ticket, TicketCategory, TicketStatus
from contact.services import ticket_open
from core.models import ActivityLog, Channel
from notify.models import Message
from tests_support.portal import portal_sign_in

pytestmark = pytest.mark.django_db

NEW = "/portal/me/tickets/new/"


def _form(**overrides):
    data = {
        "category": TicketCategory.objects.get(code="complaint_delay").pk,
        "subject": "تأخر الرد على طلبي",
        "description": "قدمت طلبي منذ شهر ولم يصلني رد.",
        "reply_channel": "sms",
    }
    data.update(overrides)
    return data


def test_it_is_the_url_named_ticket_new():
    assert reverse("portal:ticket_new") == NEW


def test_it_asks_what_kind_of_message_first(portal_client):
    response = portal_client.get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ("inquiry", "complaint", "suggestion", "praise"):
        assert f'href="?kind={kind}"' in html


def test_it_offers_only_the_categories_of_the_kind(portal_client):
    response = portal_client.get(NEW, {"kind": "complaint"})
    offered = set(
        response.context["form"].fields["category"].queryset.values_list("code", flat=True)
    )
    assert "complaint_delay" in offered and "other" in offered
    assert "inquiry_procedures" not in offered and "praise" not in offered


def test_it_opens_a_ticket_on_the_website_channel_with_an_sms_acknowledgement(
    portal_client, applicant
):
    response = portal_client.post(f"{NEW}?kind=complaint", _form())
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:ticket", args=[ticket.public_id])
    assert ticket.beneficiary == applicant
    assert ticket.channel.code == "website"
    assert ticket.kind == "complaint"
    assert ticket.status == TicketStatus.NEW
    assert ticket.created_by is None
    sms = Message.objects.get(template_code="ticket.received")
    assert sms.recipient == applicant.mobile
    assert ticket.reference in sms.body
    entry = ActivityLog.objects.get(action="contact.ticket.opened")
    assert entry.actor is None
    assert entry.data["via"] == "portal"
    assert entry.subject_id == str(applicant.pk)


def test_it_answers_by_email_only_when_an_address_is_on_file(portal_client, applicant):
    response = portal_client.get(NEW, {"kind": "inquiry"})
    assert "email" not in dict(response.context["form"].fields["reply_channel"].choices)
    response = portal_client.post(
        f"{NEW}?kind=inquiry",
        _form(
            category=TicketCategory.objects.get(code="inquiry_services").pk, reply_channel="email"
        ),
    )
    assert response.status_code == 200
    assert "reply_channel" in response.context["form"].errors
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", ""),
        ("description", ""),
        ("category", ""),
        ("reply_channel", "carrier-pigeon"),
    ],
)
def test_it_refuses_bad_input_at_the_field_and_saves_nothing(portal_client, field, value):
    response = portal_client.post(f"{NEW}?kind=complaint", _form(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Ticket.objects.exists()
    assert not Message.objects.filter(template_code="ticket.received").exists()


def test_it_refuses_a_category_of_another_kind(portal_client):
    praise = TicketCategory.objects.get(code="praise")
    response = portal_client.post(f"{NEW}?kind=complaint", _form(category=praise.pk))
    assert "category" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_it_refuses_an_inactive_category(portal_client):
    TicketCategory.objects.filter(code="complaint_delay").update(is_active=False)
    response = portal_client.post(f"{NEW}?kind=complaint", _form())
    assert "category" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_a_complaint_about_staff_is_confidential(portal_client):
    staff = TicketCategory.objects.get(code="complaint_staff")
    portal_client.post(f"{NEW}?kind=complaint", _form(category=staff.pk))
    ticket = Ticket.objects.get()
    assert ticket.about_staff
    # Logged against the ticket, so no beneficiary timeline shows it.
    entry = ActivityLog.objects.get(action="contact.ticket.opened")
    assert entry.subject_id == str(ticket.pk)


def test_it_lists_my_tickets_whatever_their_channel_and_not_others(
    portal_client, applicant, other_applicant, officer
):
    category = TicketCategory.objects.get(code="inquiry_services")
    mine = ticket_open(
        actor=officer,
        kind="inquiry",
        category=category,
        subject="سؤال بالهاتف",
        description="سأل عن السلال",
        channel=Channel.objects.get(code="phone"),
        beneficiary=applicant,
    )
    theirs = ticket_open(
        actor=officer,
        kind="inquiry",
        category=category,
        subject="سؤال شخص آخر",
        description="سؤال",
        channel="phone",
        beneficiary=other_applicant,
    )
    response = portal_client.get(reverse("portal:tickets"))
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.reference in html and mine.subject in html
    assert theirs.reference not in html and theirs.subject not in html
    assert reverse("portal:ticket", args=[mine.public_id]) in html


@pytest.mark.parametrize("url", ["/portal/me/tickets/", NEW])
def test_it_sends_a_signed_out_visitor_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_it_asks_for_consent_first(client, applicant):
    portal_sign_in(client, applicant, consent=False)
    response = client.get(reverse("portal:tickets"))
    assert response.url.startswith(reverse("portal:consent"))


def test_it_rejects_other_methods(portal_client):
    assert portal_client.post(reverse("portal:tickets")).status_code == 405
    assert portal_client.put(NEW).status_code == 405
