"""The register's buttons on a beneficiary's file and a support request's page
(`{% letter_actions %}`); tickets are linked, and shown as links, by the contact centre's
own visibility rule."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from assistance import services as assistance
from assistance.tests.conftest import make_draft, make_ready_draft
from contact import services as contact_services
from correspondence import selectors
from correspondence.forms import IncomingLetterForm
from correspondence.tests.conftest import make_ticket, register
from tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def _page(client, user, name, obj) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=[obj.public_id]))
    assert response.status_code == 200
    return _html(response)


def _missing_documents_link(request) -> str:
    return (
        f'href="{reverse("correspondence:draft")}?request={request.public_id}'
        '&amp;template=missing_documents"'
    )


# --- The buttons ------------------------------------------------------------------------


def test_the_file_offers_letters_to_those_who_write_them(client, representative, beneficiary):
    page = _page(client, representative, "beneficiaries:detail", beneficiary)
    incoming = reverse("correspondence:register_incoming")
    outgoing = reverse("correspondence:draft")
    assert f'href="{incoming}?beneficiary={beneficiary.public_id}"' in page
    assert f'href="{outgoing}?beneficiary={beneficiary.public_id}"' in page


def test_readers_of_the_file_who_write_no_letters_get_no_button(
    client, researcher, committee, beneficiary
):
    for user in (researcher, committee):
        page = _page(client, user, "beneficiaries:detail", beneficiary)
        assert reverse("correspondence:register_incoming") not in page
        assert reverse("correspondence:draft") not in page


def test_a_request_awaiting_its_decision_offers_the_missing_documents_letter(
    client, officer, researcher, beneficiary
):
    request = assistance.request_submit(
        actor=officer, request=make_ready_draft(officer, beneficiary)
    )
    page = _page(client, officer, "assistance:detail", request)
    assert _missing_documents_link(request) in page
    page = _page(client, researcher, "assistance:detail", request)
    assert reverse("correspondence:draft") not in page


def test_a_draft_request_has_no_reference_to_quote(client, officer, beneficiary):
    request = make_draft(officer, beneficiary)
    page = _page(client, officer, "assistance:detail", request)
    assert reverse("correspondence:draft") not in page


# --- Tickets: one rule, the contact centre's --------------------------------------------


def test_the_letter_links_its_ticket_for_those_who_may_open_it(
    client, officer, service_officer, branch, beneficiary
):
    ticket = make_ticket(branch, beneficiary=beneficiary)
    letter = register(officer, ticket=ticket)
    ticket_url = reverse("contact:ticket", args=[ticket.public_id])

    page = _page(client, officer, "correspondence:detail", letter)
    assert ticket_url in page
    # A service officer reads the register but has no ticket access: the reference only.
    page = _page(client, service_officer, "correspondence:detail", letter)
    assert ticket.reference in page and ticket_url not in page


def test_a_researcher_sees_the_reference_of_a_ticket_not_about_their_research(
    client, officer, researcher, branch, beneficiary
):
    letter = register(officer, ticket=make_ticket(branch, beneficiary=beneficiary))
    client.force_login(researcher)
    response = client.get(reverse("correspondence:detail", args=[letter.public_id]))
    assert response.context["ticket_visible"] is False


def test_the_staff_member_concerned_cannot_link_the_complaint(manager, branch):
    complaint = make_ticket(branch, about_staff=True)
    complaint.staff_member = manager
    complaint.save(update_fields=["staff_member"])
    assert selectors.ticket_by_reference(manager, complaint.reference) is None
    with pytest.raises(PermissionDenied):
        register(manager, ticket=complaint)
    another_manager = UserFactory(username="manager2", role=Role.MANAGER)
    assert register(another_manager, ticket=complaint).ticket == complaint


def test_a_category_about_staff_makes_the_ticket_confidential_for_letters_too(
    officer, manager, branch
):
    ticket = make_ticket(branch)
    ticket.category.about_staff = True
    contact_services.category_save(category=ticket.category)  # as the admin saves it
    form = IncomingLetterForm(data={"ticket": ticket.reference}, user=officer)
    form.is_valid()
    assert "ticket" in form.errors
    with pytest.raises(PermissionDenied):
        register(officer, ticket=ticket)
    assert selectors.ticket_by_reference(manager, ticket.reference) == ticket


def test_the_system_administrator_links_no_complaint_about_staff(branch):
    admin = UserFactory(username="sysadmin", role=Role.ADMIN)
    complaint = make_ticket(branch, about_staff=True)
    with pytest.raises(PermissionDenied):
        register(admin, ticket=complaint)
