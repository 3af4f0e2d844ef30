"""Answering through the link in the message: no sign-in, one answer per invitation, the same
refusal for a used, expired or forged link, the anonymous option, and the closed loop."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import ActivityLog
from surveys.models import FollowUp, FollowUpReason, Invitation, InvitationStatus, Response
from surveys.tests.conftest import invite

pytestmark = pytest.mark.django_db


def url(token: str) -> str:
    return reverse("surveys:answer", args=[token])


def answers(version, *, csat=5, effort=5, nps=10, text=""):
    by_kind = {"csat": csat, "effort": effort, "nps": nps, "text": text}
    return {f"q{q.pk}": by_kind[q.kind] for q in version.questions.all()}


def test_the_link_opens_the_survey_with_the_notice_of_the_right(client, invitation):
    invitation, token = invitation
    page = client.get(url(token))
    assert page.status_code == 200
    text = page.content.decode()
    assert "تقييمك للخدمة حق لك" in text or "حق لك" in text
    assert "لمعاقبة" in text
    assert "ما مدى رضاك عن استلام المساعدة؟" in text
    assert "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "same-origin"


def test_an_answer_is_recorded_once(client, invitation, delivery_version):
    invitation, token = invitation
    page = client.post(url(token), answers(delivery_version, csat=4, effort=5, nps=9))
    assert page.status_code == 302
    assert page["Location"] == reverse("surveys:thanks")
    response = Response.objects.get()
    assert (response.csat, response.effort, response.nps) == (4, 5, 9)
    assert response.invitation_id == invitation.pk
    assert not response.anonymous
    assert response.via == "link"
    assert response.answers.count() == 3  # the optional comment was left empty
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ANSWERED
    assert invitation.answered_on == timezone.localdate()
    log = ActivityLog.objects.get(action="surveys.invitation.answered")
    assert log.data["via"] == "link"
    assert not FollowUp.objects.exists()

    again = client.post(url(token), answers(delivery_version))
    assert again.status_code == 404
    assert Response.objects.count() == 1


def test_used_expired_and_forged_links_get_the_same_page(client, delivery_version, beneficiary):
    _used, used = invite(delivery_version, beneficiary, status=InvitationStatus.ANSWERED)
    _old, expired = invite(
        delivery_version,
        beneficiary,
        event_at=timezone.now() - timedelta(days=10),
    )
    pages = [client.get(url(t)) for t in (used, expired, "x" * 43, "short")]
    assert {p.status_code for p in pages} == {404}
    # The page is the same whatever the reason (only the language switch's own address and
    # the CSRF token in the header differ).
    mains = {p.content.decode().split('<main id="main"')[1].split("</main>")[0] for p in pages}
    assert len(mains) == 1
    assert "لا يمكن استخدام هذا الرابط" in mains.pop()


def test_an_anonymous_answer_keeps_no_link_to_the_person(client, invitation, delivery_version):
    invitation, token = invitation
    data = answers(delivery_version, csat=5) | {"anonymous": "on"}
    client.post(url(token), data)
    response = Response.objects.get()
    assert response.anonymous
    assert response.invitation_id is None
    # What results are reported by is kept; who answered is not.
    assert response.branch_id == invitation.branch_id
    assert response.event == invitation.event
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ANSWERED
    assert not Response.objects.filter(invitation=invitation).exists()


def test_the_anonymous_option_is_offered_only_when_the_survey_allows_it(client, invitation):
    invitation, token = invitation
    assert 'name="anonymous"' in client.get(url(token)).content.decode()
    survey = invitation.version.survey
    survey.allow_anonymous = False
    survey.save(update_fields=["allow_anonymous"])
    assert 'name="anonymous"' not in client.get(url(token)).content.decode()


def test_a_missing_answer_is_shown_at_its_question_and_nothing_is_saved(
    client, invitation, delivery_version
):
    invitation, token = invitation
    data = answers(delivery_version)
    csat_field = next(k for k in data if data[k] == 5)
    del data[csat_field]
    page = client.post(url(token), data)
    assert page.status_code == 200
    assert "يرجى اختيار إجابة" in page.content.decode()
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT


def test_a_low_score_opens_a_follow_up_for_the_quality_officer(
    client, invitation, delivery_version
):
    invitation, token = invitation
    client.post(url(token), answers(delivery_version, csat=1, text="تأخروا علي، جوالي 0551234567"))
    follow_up = FollowUp.objects.get()
    assert follow_up.reason == FollowUpReason.LOW_SATISFACTION
    assert follow_up.due_on == timezone.localdate() + timedelta(days=3)
    # The comment is stored with the phone masked.
    assert "0551234567" not in follow_up.response.comment
    assert "********67" in follow_up.response.comment


def test_a_detractor_opens_a_follow_up(client, invitation, delivery_version):
    invitation, token = invitation
    client.post(url(token), answers(delivery_version, csat=4, nps=3))
    assert FollowUp.objects.get().reason == FollowUpReason.DETRACTOR


def test_an_out_of_range_score_is_refused(client, invitation, delivery_version):
    invitation, token = invitation
    page = client.post(url(token), answers(delivery_version, csat=9))
    assert page.status_code == 200
    assert not Response.objects.exists()


def test_stop_sends_no_more_surveys(client, invitation, delivery_version, beneficiary):
    invitation, token = invitation
    _pending, _t = invite(delivery_version, beneficiary, status=InvitationStatus.PENDING)
    page = client.post(reverse("surveys:stop", args=[token]))
    assert page.status_code == 200
    beneficiary.refresh_from_db()
    assert beneficiary.accepts_surveys is False
    assert Invitation.objects.get(pk=_pending.pk).status == InvitationStatus.SKIPPED
    log = ActivityLog.objects.get(action="beneficiaries.preferences.changed")
    assert log.data["via"] == "link"
    assert client.get(reverse("surveys:stop", args=[token])).status_code == 405
