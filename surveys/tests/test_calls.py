"""Staff filling in a survey with the person on the phone."""

import pytest
from django.urls import reverse

from surveys.models import AnsweredVia, InvitationStatus, Response
from surveys.tests.conftest import invite
from tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db


def fill(version, csat=5):
    by_kind = {"csat": csat, "effort": 4, "nps": 8, "text": ""}
    return {f"q{q.pk}": by_kind[q.kind] for q in version.questions.all()}


def test_an_officer_records_the_answer_given_on_the_phone(client, officer, invitation):
    invitation, _token = invitation
    client.force_login(officer)
    listing = client.get(reverse("surveys:calls"))
    assert listing.status_code == 200
    assert invitation.beneficiary.full_name in listing.content.decode()
    page = client.get(reverse("surveys:call_answer", args=[invitation.public_id]))
    assert 'name="anonymous"' not in page.content.decode()
    done = client.post(
        reverse("surveys:call_answer", args=[invitation.public_id]), fill(invitation.version)
    )
    assert done.status_code == 302
    response = Response.objects.get()
    assert response.via == AnsweredVia.STAFF
    assert response.recorded_by == officer
    assert not response.anonymous
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ANSWERED


def test_staff_of_another_branch_cannot_open_it(client, other_rep, invitation):
    invitation, _token = invitation
    client.force_login(other_rep)
    url = reverse("surveys:call_answer", args=[invitation.public_id])
    assert client.get(url).status_code == 404
    assert (
        invitation.beneficiary.full_name
        not in client.get(reverse("surveys:calls")).content.decode()
    )


def test_roles_that_do_not_call_people_are_refused(client, volunteer, researcher, invitation):
    invitation, _token = invitation
    for user in (volunteer, researcher):
        client.force_login(user)
        assert client.get(reverse("surveys:calls")).status_code == 403


def test_an_answered_survey_cannot_be_filled_in_again(
    client, officer, delivery_version, beneficiary
):
    answered, _t = invite(delivery_version, beneficiary, status=InvitationStatus.ANSWERED)
    client.force_login(officer)
    page = client.post(
        reverse("surveys:call_answer", args=[answered.public_id]), fill(delivery_version)
    )
    assert page.status_code == 302
    assert not Response.objects.exists()


def test_the_list_needs_a_login_and_get(client, officer):
    assert client.get(reverse("surveys:calls")).status_code == 302
    client.force_login(officer)
    assert client.post(reverse("surveys:calls")).status_code == 405


def test_a_branch_bound_manager_sees_only_their_branch(client, invitation, other_branch):
    invitation, _token = invitation
    manager = UserFactory(role="manager", branch=other_branch)
    client.force_login(manager)
    assert (
        invitation.beneficiary.full_name
        not in client.get(reverse("surveys:calls")).content.decode()
    )
