"""Complaints about staff are seen only by the quality officer and managers, and never by the
staff member concerned — in every list, count, search, page, timeline and notice."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from beneficiaries.models import Beneficiary
from contact import selectors, services
from contact.models import Kind, TicketCategory
from contact.tests.conftest import open_staff_complaint, open_ticket
from core.models import ActivityLog
from notify.models import Message
from tests_support.factories import UserFactory


@pytest.fixture
def complaint(officer, representative, beneficiary):
    """The relations officer records a complaint about the branch representative."""
    return open_staff_complaint(
        officer,
        staff_member=representative,
        beneficiary=beneficiary,
        person_name="",
        person_phone="",
    )


@pytest.fixture
def outsiders(officer, representative, admin_user, researcher, service_officer, volunteer):
    colleague = UserFactory(username="colleague", role="officer")
    return {
        "the officer who recorded it": officer,
        "the staff member concerned": representative,
        "another officer": colleague,
        "the system administrator": admin_user,
        "a researcher": researcher,
        "a service officer": service_officer,
        "a volunteer": volunteer,
    }


def test_it_is_marked_confidential(complaint):
    assert complaint.about_staff


def test_only_quality_and_managers_see_it(complaint, quality, manager, outsiders):
    assert selectors.tickets_for(quality).filter(pk=complaint.pk).exists()
    assert selectors.tickets_for(manager).filter(pk=complaint.pk).exists()
    for who, user in outsiders.items():
        assert not selectors.tickets_for(user).filter(pk=complaint.pk).exists(), who
        with pytest.raises(Http404):
            selectors.ticket_get(user, complaint.public_id)
        assert selectors.ticket_by_reference(user, complaint.reference) is None, who
        assert not services.may_see_ticket(user, complaint), who


def test_a_manager_complained_about_does_not_see_it(officer, manager, quality):
    complaint = open_staff_complaint(officer, staff_member=manager)
    assert not selectors.tickets_for(manager).filter(pk=complaint.pk).exists()
    assert selectors.tickets_for(quality).filter(pk=complaint.pk).exists()
    with pytest.raises(ValidationError):
        services.ticket_assign(actor=quality, ticket=complaint, owner=manager)


def test_a_category_about_staff_is_enough(officer, quality):
    complaint = open_staff_complaint(officer, staff_member=None)
    assert complaint.about_staff
    assert not selectors.tickets_for(officer).filter(pk=complaint.pk).exists()


def test_a_category_turned_confidential_later_hides_its_tickets(officer):
    ticket = open_ticket(
        officer,
        kind=Kind.COMPLAINT,
        category=TicketCategory.objects.get(code="complaint_service"),
    )
    assert selectors.tickets_for(officer).filter(pk=ticket.pk).exists()
    category = TicketCategory.objects.get(code="complaint_service")
    category.about_staff = True
    assert services.category_save(category=category) == 1
    assert not selectors.tickets_for(officer).filter(pk=ticket.pk).exists()
    assert selectors.queue_counts(officer)["open"] == 0
    # Turned back, the category does not reveal what was confidential.
    category.about_staff = False
    assert services.category_save(category=category) == 0
    assert not selectors.tickets_for(officer).filter(pk=ticket.pk).exists()


def test_a_category_marked_about_staff_in_the_admin_hides_its_tickets(
    officer, quality, admin_client
):
    ticket = open_ticket(
        officer,
        kind=Kind.COMPLAINT,
        category=TicketCategory.objects.get(code="complaint_service"),
    )
    category = ticket.category
    form = {
        field: getattr(category, field)
        for field in (
            "code",
            "name_ar",
            "name_en",
            "kind",
            "first_response_hours",
            "resolution_hours",
            "sort_order",
        )
    }
    form.update(
        {
            "about_staff": "on",
            "is_active": "on",
            "escalation_levels-TOTAL_FORMS": "0",
            "escalation_levels-INITIAL_FORMS": "0",
        }
    )
    page = admin_client.post(
        reverse("admin:contact_ticketcategory_change", args=[category.pk]), form
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    ticket.refresh_from_db()
    assert ticket.about_staff
    assert not selectors.tickets_for(officer).filter(pk=ticket.pk).exists()
    assert selectors.tickets_for(quality).filter(pk=ticket.pk).exists()


def test_counts_and_queues_leave_it_out(complaint, officer, quality):
    ordinary = open_ticket(officer)
    assert selectors.queue_counts(officer)["open"] == 1
    assert selectors.queue_counts(quality)["open"] == 2
    for view in selectors.QUEUE_VIEWS:
        assert complaint not in selectors.ticket_queue(officer, view=view)
    assert list(selectors.ticket_queue(officer, view="unassigned")) == [ordinary]
    assert selectors.beneficiary_tickets(officer, complaint.beneficiary) == []
    assert selectors.beneficiary_tickets(quality, complaint.beneficiary) == [complaint]


def test_it_never_reaches_the_beneficiary_s_timeline(complaint, quality, client, officer):
    services.ticket_reply(actor=quality, ticket=complaint, body="نعتذر، وسنتابع الموضوع")
    services.ticket_resolve(actor=quality, ticket=complaint, resolution="تمت معالجة الأمر")
    beneficiary_type = ContentType.objects.get_for_model(Beneficiary)
    on_file = ActivityLog.objects.filter(
        subject_type=beneficiary_type, subject_id=str(complaint.beneficiary_id)
    )
    assert not on_file.filter(action__startswith="contact.ticket").exists()
    assert not on_file.filter(action__startswith="notify.").exists()
    # …nor its page, for anyone.
    client.force_login(officer)
    page = client.get(reverse("beneficiaries:detail", args=[complaint.beneficiary.public_id]))
    assert page.status_code == 200
    assert complaint.reference not in page.content.decode()


def test_outsiders_cannot_act_on_it(complaint, outsiders):
    for who, user in outsiders.items():
        for act in (
            lambda u: services.ticket_reply(actor=u, ticket=complaint, body="…"),
            lambda u: services.ticket_note(actor=u, ticket=complaint, body="…"),
            lambda u: services.ticket_take(actor=u, ticket=complaint),
            lambda u: services.ticket_resolve(actor=u, ticket=complaint, resolution="…"),
        ):
            with pytest.raises(PermissionDenied):
                act(user)
            assert who


def test_only_quality_or_a_manager_may_own_it(complaint, quality, officer):
    with pytest.raises(ValidationError) as caught:
        services.ticket_assign(actor=quality, ticket=complaint, owner=officer)
    assert "owner" in caught.value.message_dict
    services.ticket_take(actor=quality, ticket=complaint)
    assert selectors.owner_choices(complaint).filter(pk=officer.pk).exists() is False


def test_the_staff_member_is_never_an_owner_choice(complaint, manager, representative):
    choices = selectors.owner_choices(complaint)
    assert manager in choices
    assert representative not in choices


def test_its_pages_answer_404_to_outsiders(client, complaint, outsiders, quality):
    url = reverse("contact:ticket", args=[complaint.public_id])
    client.force_login(quality)
    assert client.get(url).status_code == 200
    for who, user in outsiders.items():
        if user.role in ("researcher", "officer", "representative", "admin"):
            client.force_login(user)
            assert client.get(url).status_code == 404, who
            reply = reverse("contact:ticket_reply", args=[complaint.public_id])
            assert client.post(reply, {"body": "…"}).status_code in (403, 404), who


def test_lists_and_search_do_not_show_it(client, complaint, officer):
    client.force_login(officer)
    page = client.get(reverse("contact:tickets"))
    assert complaint.reference not in page.content.decode()
    partial = client.get(reverse("contact:tickets"), {"view": "unassigned"}, HTTP_HX_REQUEST="true")
    assert complaint.reference not in partial.content.decode()
    search = client.get(reverse("contact:tickets"), {"q": complaint.reference})
    assert search.status_code == 200  # no redirect to it: "no ticket you may see"


def test_the_contact_it_came_from_does_not_list_it(client, officer, representative, beneficiary):
    interaction = services.interaction_log(
        actor=officer,
        channel="interview",
        subject="شكوى",
        summary="اشتكى من تعامل المندوب",
        beneficiary=beneficiary,
    )
    complaint = open_staff_complaint(
        officer, staff_member=representative, interaction=interaction, person_phone=""
    )
    client.force_login(officer)
    page = client.get(reverse("contact:interaction", args=[interaction.public_id]))
    assert complaint.reference not in page.content.decode()


def test_recording_it_tells_the_recorder_where_it_went(client, officer, representative):
    client.force_login(officer)
    response = client.post(
        reverse("contact:ticket_new"),
        {
            "kind": "complaint",
            "category": TicketCategory.objects.get(code="complaint_staff").pk,
            "priority": "normal",
            "subject": "سوء تعامل",
            "description": "رفع الموظف صوته على المراجع",
            "channel": "interview",
            "beneficiary": "",
            "person_name": "سلمان الحربي",
            "person_phone": "0551112233",
            "reply_channel": "sms",
            "staff_member": representative.pk,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("contact:tickets")
    # The person's acknowledgement names nobody.
    assert "الحربي" not in Message.objects.get(template_code="ticket.received").body
