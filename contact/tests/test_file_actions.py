"""The contact centre's buttons on a beneficiary's file and a support request's page
(`{% contact_actions %}`), and the quick log opened from a request (?request=<uuid>)."""

import pytest
from django.urls import reverse

from assistance.tests.conftest import make_draft
from contact.models import Interaction
from tests_support.factories import make_beneficiary

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def _log_link(**params) -> str:
    (name, value), *_ = params.items()
    return f'href="{reverse("contact:log")}?{name}={value}"'


def _ticket_link(beneficiary) -> str:
    return f'href="{reverse("contact:ticket_new")}?beneficiary={beneficiary.public_id}"'


def _file_page(client, user, beneficiary) -> str:
    client.force_login(user)
    response = client.get(reverse("beneficiaries:detail", args=[beneficiary.public_id]))
    assert response.status_code == 200
    return _html(response)


def _log(client, **overrides):
    data = {
        "channel": "phone",
        "direction": "in",
        "subject": "متابعة الطلب",
        "summary": "اتصلت بالمتقدم لتذكيره بالمستندات الناقصة",
        "duration_seconds": "2:10",
    }
    return client.post(reverse("contact:log"), data | overrides)


# --- The buttons ------------------------------------------------------------------------


def test_the_file_offers_a_contact_and_a_ticket_to_the_desk(client, officer, beneficiary):
    page = _file_page(client, officer, beneficiary)
    assert _log_link(beneficiary=beneficiary.public_id) in page
    assert _ticket_link(beneficiary) in page


def test_a_researcher_logs_contacts_but_opens_no_ticket(client, researcher, beneficiary):
    page = _file_page(client, researcher, beneficiary)
    assert _log_link(beneficiary=beneficiary.public_id) in page
    assert _ticket_link(beneficiary) not in page


def test_the_committee_gets_no_contact_centre_button(client, committee, beneficiary):
    page = _file_page(client, committee, beneficiary)
    assert reverse("contact:log") not in page
    assert reverse("contact:ticket_new") not in page


def test_the_ticket_button_opens_the_form_with_the_file_chosen(client, officer, beneficiary):
    client.force_login(officer)
    response = client.get(reverse("contact:ticket_new"), {"beneficiary": beneficiary.public_id})
    assert response.status_code == 200
    assert response.context["chosen"] == beneficiary
    assert f'value="{beneficiary.public_id}" checked' in _html(response)


def test_the_request_page_offers_a_contact_about_it(client, officer, committee, beneficiary):
    request = make_draft(officer, beneficiary)
    page_url = reverse("assistance:detail", args=[request.public_id])
    client.force_login(officer)
    assert _log_link(request=request.public_id) in _html(client.get(page_url))
    client.force_login(committee)
    assert reverse("contact:log") not in _html(client.get(page_url))


# --- The quick log about a request ------------------------------------------------------


def test_a_contact_logged_from_a_request_is_linked_to_it(client, officer, beneficiary):
    request = make_draft(officer, beneficiary)
    client.force_login(officer)
    form = client.get(reverse("contact:log"), {"request": request.public_id})
    assert form.context["support_request"] == request
    assert form.context["chosen"] == beneficiary
    html = _html(form)
    assert f'name="support_request" value="{request.public_id}"' in html
    assert f'name="request" value="{request.public_id}"' in html  # kept by the search box

    response = _log(
        client, support_request=str(request.public_id), beneficiary=str(beneficiary.public_id)
    )
    interaction = Interaction.objects.get()
    assert response.url == reverse("contact:interaction", args=[interaction.public_id])
    assert interaction.support_request == request
    assert interaction.beneficiary == beneficiary

    page = client.get(response.url)
    assert page.context["linked_request"] == request
    assert reverse("assistance:detail", args=[request.public_id]) in _html(page)


def test_the_request_brings_its_beneficiary_when_none_is_picked(client, officer, beneficiary):
    request = make_draft(officer, beneficiary)
    client.force_login(officer)
    _log(client, support_request=str(request.public_id), beneficiary="")
    assert Interaction.objects.get().beneficiary == beneficiary


def test_a_request_and_another_beneficiary_are_refused(
    client, officer, representative, beneficiary
):
    request = make_draft(officer, beneficiary)
    someone_else = make_beneficiary(representative)
    client.force_login(officer)
    response = _log(
        client, support_request=str(request.public_id), beneficiary=str(someone_else.public_id)
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Interaction.objects.exists()


def test_a_request_outside_the_users_branch_is_neither_shown_nor_linked(
    client, officer, other_rep, beneficiary
):
    request = make_draft(officer, beneficiary)
    client.force_login(other_rep)
    form = client.get(reverse("contact:log"), {"request": request.public_id})
    assert form.status_code == 200
    assert form.context["support_request"] is None
    assert beneficiary.full_name not in _html(form)
    response = _log(
        client,
        support_request=str(request.public_id),
        beneficiary="",
        person_name="فهد العنزي",
        person_phone="0551234567",
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Interaction.objects.exists()


def test_a_contact_without_a_request_shows_none(client, officer, beneficiary):
    client.force_login(officer)
    _log(client, beneficiary=str(beneficiary.public_id))
    interaction = Interaction.objects.get()
    page = client.get(reverse("contact:interaction", args=[interaction.public_id]))
    assert page.context["linked_request"] is None
