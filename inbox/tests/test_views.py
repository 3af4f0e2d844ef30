"""The inbox screens: each view's happy path, wrong method, outsider, wrong role, htmx."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contact.models import Ticket, TicketCategory
from inbox.models import InboundItem, ItemStatus, Source
from inbox.tests.conftest import receive
from tests_support.factories import make_beneficiary

pytestmark = pytest.mark.django_db


def _url(name, item=None):
    return reverse(f"inbox:{name}", args=[item.public_id] if item else [])


# --- List -------------------------------------------------------------------------------------


def test_the_inbox_lists_new_items_newest_first_with_the_count(client, officer):
    older = receive(received_at=timezone.now() - datetime.timedelta(hours=2))
    newer = receive(source=Source.SMS, channel_code="phone")
    closed = receive()
    InboundItem.objects.filter(pk=closed.pk).update(status=ItemStatus.CLOSED, close_reason="x")
    client.force_login(officer)
    response = client.get(_url("list"))
    assert response.status_code == 200
    assert response.context["page"].items == [newer, older]
    assert response.context["total"] == 2
    assert response.context["counts"][Source.SMS] == 1


def test_a_representative_sees_their_branch_and_unassigned_items(
    client, representative, other_rep, item, branch_item
):
    elsewhere = receive(sender_phone=make_beneficiary(other_rep).mobile)
    client.force_login(representative)
    items = client.get(_url("list")).context["page"].items
    assert set(items) == {item, branch_item}
    assert elsewhere not in items


def test_filters_by_source_channel_and_unassigned(client, officer, item, branch_item):
    client.force_login(officer)
    assert client.get(_url("list"), {"source": "sms"}).context["page"].items == [branch_item]
    website = client.get(_url("list"), {"channel": item.channel_id}).context["page"].items
    assert website == [item]
    assert client.get(_url("list"), {"branch": "none"}).context["page"].items == [item]
    by_branch = client.get(_url("list"), {"branch": branch_item.branch_id}).context["page"].items
    assert by_branch == [branch_item]


def test_keyset_pages_go_older_and_back_newer(client, officer):
    now = timezone.now()
    items = [receive(received_at=now - datetime.timedelta(minutes=i)) for i in range(30)]
    client.force_login(officer)
    first = client.get(_url("list")).context["page"]
    assert first.items == items[:25] and first.newer is None and first.older
    second = client.get(_url("list"), {"after": first.older.encode()}).context["page"]
    assert second.items == items[25:] and second.older is None and second.newer
    back = client.get(_url("list"), {"before": second.newer.encode()}).context["page"]
    assert back.items == items[:25] and back.newer is None


def test_equal_times_are_neither_skipped_nor_repeated(client, officer):
    same = timezone.now()
    items = [receive(received_at=same) for _ in range(27)]
    client.force_login(officer)
    first = client.get(_url("list")).context["page"]
    second = client.get(_url("list"), {"after": first.older.encode()}).context["page"]
    assert {i.pk for i in first.items + second.items} == {i.pk for i in items}
    assert len(first.items + second.items) == 27


def test_a_hand_edited_cursor_or_filter_is_ignored(client, officer, item, branch_item):
    client.force_login(officer)
    response = client.get(_url("list"), {"after": "not-a-cursor!", "channel": "abc"})
    assert response.status_code == 200 and set(response.context["page"].items) == {
        item,
        branch_item,
    }
    # The valid filter still applies beside an invalid one.
    response = client.get(_url("list"), {"source": "sms", "channel": "abc"})
    assert response.context["page"].items == [branch_item]


def test_the_list_costs_the_same_queries_for_many_items(
    client, officer, django_assert_max_num_queries
):
    for _ in range(30):
        receive()
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        client.get(_url("list"))


def test_htmx_gets_the_results_partial(client, officer, item):
    client.force_login(officer)
    response = client.get(_url("list"), headers={"HX-Request": "true"})
    assert response.templates[0].name == "inbox/_items.html"


def test_the_list_refuses_post(client, officer):
    client.force_login(officer)
    assert client.post(_url("list")).status_code == 405


@pytest.mark.parametrize("persona", ["researcher", "committee", "quality", "volunteer", "no_role"])
def test_other_roles_get_403(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("list")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(_url("list"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_the_empty_inbox_says_so_in_arabic(client, officer):
    client.force_login(officer)
    response = client.get(_url("list"))
    assert response.context["page"].items == []
    assert 'dir="rtl"' in response.content.decode()


# --- Detail -----------------------------------------------------------------------------------


def test_the_item_page_shows_the_message_and_the_actions(client, officer, item):
    client.force_login(officer)
    response = client.get(_url("detail", item))
    body = response.content.decode()
    assert response.status_code == 200
    assert item.body in body and _url("ticket", item) in body and _url("close", item) in body


def test_an_outsider_gets_404(client, other_rep, branch_item):
    client.force_login(other_rep)
    assert client.get(_url("detail", branch_item)).status_code == 404
    assert client.post(_url("close", branch_item), {"close-close_reason": "x"}).status_code == 404


def test_the_item_page_refuses_post_and_other_roles(client, officer, researcher, item):
    client.force_login(officer)
    assert client.post(_url("detail", item)).status_code == 405
    client.force_login(researcher)
    assert client.get(_url("detail", item)).status_code == 403


def test_the_registry_search_finds_candidates_as_a_partial(client, officer, item, beneficiary):
    client.force_login(officer)
    response = client.get(
        _url("detail", item),
        {"q": beneficiary.first_name},
        headers={"HX-Request": "true", "HX-Target": "candidates"},
    )
    assert response.context["candidates"] == [beneficiary]
    assert response.templates[0].name == "inbox/_candidates.html"


def test_a_phone_shared_by_files_lists_them_as_candidates(client, officer, beneficiary):
    twin = make_beneficiary(officer, mobile=beneficiary.mobile)
    item = receive(sender_phone=beneficiary.mobile)
    client.force_login(officer)
    matches = client.get(_url("detail", item)).context["phone_matches"]
    assert set(matches) == {beneficiary, twin}


# --- Actions ----------------------------------------------------------------------------------


def test_identify_links_the_chosen_file(client, officer, item, beneficiary):
    client.force_login(officer)
    response = client.post(_url("identify", item), {"beneficiary": beneficiary.public_id})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.beneficiary == beneficiary


def test_identify_with_a_file_out_of_scope_is_404(client, representative, item, other_rep):
    elsewhere = make_beneficiary(other_rep)
    client.force_login(representative)
    response = client.post(_url("identify", item), {"beneficiary": elsewhere.public_id})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.beneficiary is None


def test_identify_refuses_get(client, officer, item):
    client.force_login(officer)
    assert client.get(_url("identify", item)).status_code == 405


def test_the_ticket_form_opens_a_ticket(client, officer, item):
    client.force_login(officer)
    category = TicketCategory.objects.get(code="inquiry_services")
    response = client.post(
        _url("ticket", item),
        {
            "ticket-kind": "inquiry",
            "ticket-category": category.pk,
            "ticket-subject": "موعد التوزيع",
            "ticket-description": item.body,
            "ticket-priority": "normal",
            "ticket-reply_channel": "sms",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("contact:ticket", args=[ticket.public_id])
    item.refresh_from_db()
    assert item.ticket == ticket and item.status == ItemStatus.TICKET
    page = client.get(_url("detail", item)).content.decode()
    assert reverse("contact:ticket", args=[ticket.public_id]) in page


def test_a_complaint_about_staff_goes_back_to_the_inbox_for_roles_that_cannot_see_it(
    client, officer, item
):
    client.force_login(officer)
    category = TicketCategory.objects.get(code="complaint_staff")
    response = client.post(
        _url("ticket", item),
        {
            "ticket-kind": "complaint",
            "ticket-category": category.pk,
            "ticket-subject": "أسلوب التعامل",
            "ticket-description": item.body,
            "ticket-priority": "normal",
            "ticket-reply_channel": "sms",
        },
    )
    assert response.status_code == 302 and response.url == _url("list")
    ticket = Ticket.objects.get()
    assert ticket.about_staff
    page = client.get(_url("detail", item)).content.decode()
    assert ticket.reference in page
    assert reverse("contact:ticket", args=[ticket.public_id]) not in page


def test_the_ticket_form_shows_errors_at_the_field(client, officer, item):
    client.force_login(officer)
    complaint = TicketCategory.objects.get(code="complaint_delay")
    response = client.post(
        _url("ticket", item),
        {
            "ticket-kind": "inquiry",
            "ticket-category": complaint.pk,
            "ticket-subject": "",
            "ticket-description": "x",
            "ticket-priority": "normal",
            "ticket-reply_channel": "sms",
        },
    )
    form = response.context["ticket_form"]
    assert response.status_code == 200
    assert "category" in form.errors and "subject" in form.errors
    assert not Ticket.objects.exists()


def test_a_service_refusal_shows_on_the_ticket_form(client, officer):
    social = receive(
        source="social",
        channel_code="social_media",
        sender_phone="",
        sender_name="",
        sender_handle="@someone",
        platform="x",
    )
    client.force_login(officer)
    category = TicketCategory.objects.get(code="inquiry_services")
    response = client.post(
        _url("ticket", social),
        {
            "ticket-kind": "inquiry",
            "ticket-category": category.pk,
            "ticket-subject": "س",
            "ticket-description": "س",
            "ticket-priority": "normal",
            "ticket-reply_channel": "sms",
        },
    )
    assert response.status_code == 200 and response.context["ticket_form"].errors
    assert not Ticket.objects.exists()


def test_the_request_form_opens_a_draft_and_goes_to_it(client, officer, branch_item):
    from assistance.models import AidType

    client.force_login(officer)
    response = client.post(
        _url("request", branch_item),
        {
            "request-aid_types": [AidType.objects.get(code="food_basket").pk],
            "request-need": "سلة غذائية",
        },
    )
    branch_item.refresh_from_db()
    assert branch_item.status == ItemStatus.REQUEST
    assert response.url == reverse(
        "assistance:detail", args=[branch_item.support_request.public_id]
    )


def test_the_request_form_for_an_unidentified_sender_says_identify_first(client, officer, item):
    from assistance.models import AidType

    client.force_login(officer)
    response = client.post(
        _url("request", item),
        {"request-aid_types": [AidType.objects.get(code="food_basket").pk], "request-need": "x"},
    )
    assert response.status_code == 200
    assert response.context["request_form"].non_field_errors()


def test_close_needs_a_reason_then_closes(client, officer, item):
    client.force_login(officer)
    response = client.post(_url("close", item), {"close-close_reason": ""})
    assert response.status_code == 200 and "close_reason" in response.context["close_form"].errors
    response = client.post(_url("close", item), {"close-close_reason": "إعلان"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED


def test_acting_on_an_item_a_colleague_handled_explains_on_its_page(client, officer, manager, item):
    from inbox import services

    services.inbound_close(actor=manager, item=item, reason="مكرر")
    client.force_login(officer)
    response = client.post(_url("close", item), {"close-close_reason": "إعلان"}, follow=True)
    assert response.redirect_chain[-1][0] == _url("detail", item)
    text = [str(m) for m in response.context["messages"]]
    assert any(manager.display_name in m for m in text)
    assert 'id="outcome"' in response.content.decode()


def test_actions_refuse_get_and_other_roles(client, officer, volunteer, item):
    client.force_login(officer)
    for name in ("ticket", "request", "close"):
        assert client.get(_url(name, item)).status_code == 405
    client.force_login(volunteer)
    for name in ("identify", "ticket", "request", "close"):
        assert client.post(_url(name, item)).status_code == 403
