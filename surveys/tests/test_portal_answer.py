"""Rating a service from the portal, and the person's choices of what we may send."""

import pytest
from django.urls import reverse

from surveys.models import InvitationStatus, Response
from surveys.tests.conftest import invite

pytestmark = pytest.mark.django_db


def fill(version, csat=5):
    by_kind = {"csat": csat, "effort": 4, "nps": 10, "text": ""}
    return {f"q{q.pk}": by_kind[q.kind] for q in version.questions.all()}


def test_the_person_sees_and_answers_their_survey(portal_client, applicant, delivery_version):
    invitation, _token = invite(delivery_version, applicant, status=InvitationStatus.SENT)
    home = portal_client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:survey", args=[invitation.public_id]) in home
    listing = portal_client.get(reverse("portal:surveys"))
    assert listing.status_code == 200
    assert "لمعاقبة" in listing.content.decode()
    done = portal_client.post(
        reverse("portal:survey", args=[invitation.public_id]), fill(delivery_version)
    )
    assert done.status_code == 302
    assert Response.objects.get().via == "portal"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ANSWERED
    # Answered: gone from the list, and its page is 404.
    assert (
        reverse("portal:survey", args=[invitation.public_id])
        not in portal_client.get(reverse("portal:surveys")).content.decode()
    )
    assert (
        portal_client.get(reverse("portal:survey", args=[invitation.public_id])).status_code == 404
    )


def test_someone_elses_survey_is_404(portal_client, other_applicant, delivery_version):
    theirs, _token = invite(delivery_version, other_applicant, status=InvitationStatus.SENT)
    assert portal_client.get(reverse("portal:survey", args=[theirs.public_id])).status_code == 404


def test_the_person_withdraws_and_restores_their_consent(portal_client, applicant):
    url = reverse("portal:survey_preferences")
    assert portal_client.post(url, {"accepts_outreach": "1"}).status_code == 302
    applicant.refresh_from_db()
    assert (applicant.accepts_surveys, applicant.accepts_outreach) == (False, True)
    portal_client.post(url, {"accepts_surveys": "1", "accepts_outreach": "1"})
    applicant.refresh_from_db()
    assert applicant.accepts_surveys is True
    assert portal_client.get(url).status_code == 405


def test_the_survey_pages_need_a_sign_in(client):
    page = client.get(reverse("portal:surveys"))
    assert page.status_code == 302
    assert reverse("portal:login") in page["Location"]
