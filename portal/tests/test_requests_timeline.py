"""The request's story for the applicant (assistance.selectors.applicant_timeline): what has
happened, where it is now and what comes next, in plain words — and never a staff member's
name, an internal note, a vote or the research report."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import committee, enrolment, services
from assistance.models import AidType, Status
from assistance.selectors import applicant_timeline
from assistance.tests.conftest import make_ready_draft
from core.hijri import format_dual
from core.models import Channel
from tests_support.factories import UserFactory
from tests_support.portal import portal_sign_in

pytestmark = pytest.mark.django_db

SECRETS = [
    "ملاحظة داخلية للباحثة",
    "تقييم الباحثة السري",
    "المسكن متهالك والأثاث قديم",
    "رأي العضو الخاص",
]


def _states(steps):
    return [step["state"] for step in steps]


@pytest.fixture
def story(officer, researcher, manager, service_officer, applicant):
    """A request taken all the way to a delivery, by named staff, with internal notes."""
    request = services.request_submit(actor=officer, request=make_ready_draft(officer, applicant))
    services.verification_start(actor=officer, request=request)
    info = services.info_request_create(actor=officer, request=request, what="كشف حساب بنكي")
    services.info_request_answer(actor=officer, info=info, answer="سلمه في الفرع")
    research = services.research_refer(
        actor=officer,
        request=request,
        reason="verification",
        note=SECRETS[0],
        researcher=researcher,
    )
    services.visit_book(
        actor=researcher, research=research, when=timezone.now() + datetime.timedelta(hours=2)
    )
    services.research_complete(
        actor=researcher,
        research=research,
        assessment=SECRETS[1],
        housing=SECRETS[2],
        recommended_aid_type=AidType.objects.get(code="periodic_cash"),
        recommended_amount=800,
        recommended_months=6,
    )
    members = [UserFactory(role="committee", full_name=f"عضو اللجنة {i}") for i in range(3)]
    meeting = committee.meeting_create(
        actor=manager,
        number="7/1448",
        day=timezone.localdate(),
        quorum=3,
        rule="majority",
        chair=members[0],
        members=members,
    )
    item = committee.agenda_add(actor=manager, meeting=meeting, request=request)
    for member in members:
        committee.vote_cast(actor=member, item=item, choice="approve", note=SECRETS[3])
    enrolled = enrolment.enrolment_create(
        actor=officer, request=request, starts_on=timezone.localdate()
    )
    enrolment.delivery_record(
        actor=service_officer,
        enrolment=enrolled,
        method="voucher",
        delivered_on=timezone.localdate(),
        amount=800,
        voucher_code="V-1",
    )
    request.refresh_from_db()
    staff = [officer, researcher, manager, service_officer, *members]
    return request, staff


def test_it_tells_the_whole_story_without_staff_names_or_internal_notes(client, story, applicant):
    request, staff = story
    steps = applicant_timeline(request)
    text = " ".join(f"{s['title']} {s['text']}" for s in steps)
    page = portal_sign_in(client, applicant).get(
        reverse("portal:request", args=[request.public_id])
    )
    html = page.content.decode()
    for person in staff:
        assert person.full_name not in text and person.full_name not in html
    for secret in SECRETS:
        assert secret not in text and secret not in html
    # …yet the story is all there: the question asked, the aid decided, the delivery and what
    # comes next.
    assert "كشف حساب بنكي" in text
    assert "800" in text
    assert request.status == Status.IN_SERVICE
    assert _states(steps)[-1] == "next"  # the next instalment
    assert "current" in _states(steps)
    assert all(state == "done" for state in _states(steps)[: _states(steps).index("current")])


def test_a_sent_request_shows_the_expected_decision_date_next(officer, applicant):
    request = services.request_submit(actor=officer, request=make_ready_draft(officer, applicant))
    steps = applicant_timeline(request)
    assert _states(steps) == ["done", "current", "next"]
    assert steps[0]["when"] == request.submitted_at and request.reference in steps[0]["text"]
    assert steps[-1]["when"] == request.expected_decision_date
    assert format_dual(request.expected_decision_date) in steps[-1]["text"]


def test_a_question_waiting_for_the_applicant_is_where_it_stands(officer, applicant):
    request = services.request_submit(actor=officer, request=make_ready_draft(officer, applicant))
    services.verification_start(actor=officer, request=request)
    info = services.info_request_create(actor=officer, request=request, what="صورة الصك")
    request.refresh_from_db()
    steps = applicant_timeline(request)
    current = next(step for step in steps if step["state"] == "current")
    assert current["when"] == info.due_date and "صورة الصك" in current["text"]
    assert format_dual(info.due_date) in current["text"]


def test_a_rejection_gives_the_reasons_and_the_appeal_deadline(officer, manager, applicant):
    from assistance.tests.conftest import make_researched

    request = make_researched(
        officer,
        UserFactory(role="researcher", gender="female"),
        make_ready_draft(officer, applicant),
    )
    members = [UserFactory(role="committee") for _ in range(3)]
    meeting = committee.meeting_create(
        actor=manager,
        number="8/1448",
        day=timezone.localdate(),
        quorum=3,
        rule="majority",
        chair=members[0],
        members=members,
    )
    item = committee.agenda_add(actor=manager, meeting=meeting, request=request)
    for member in members:
        committee.vote_cast(actor=member, item=item, choice="reject", note="الدخل كاف")
    request.refresh_from_db()
    steps = applicant_timeline(request)
    decision = next(s for s in steps if s["state"] == "current")
    assert "الدخل كاف" in decision["text"]
    assert steps[-1]["state"] == "next"
    assert steps[-1]["when"] == committee.appeal_open_until(request)


def test_an_own_draft_says_it_is_not_sent_yet(applicant):
    draft = services.request_create(
        actor=None,
        beneficiary=applicant,
        channel=Channel.objects.get(code="website"),
        aid_types=[AidType.objects.get(code="food_basket")],
        need="x",
    )
    assert _states(applicant_timeline(draft)) == ["current", "next"]


def test_the_template_is_an_ordered_list_marking_where_it_stands():
    from django.template.loader import render_to_string

    html = render_to_string(
        "portal/requests/_timeline.html",
        {
            "timeline": [
                {"when": datetime.date(2025, 9, 15), "title": "أ", "text": "", "state": "done"},
                {"when": None, "title": "ب", "text": "نص", "state": "current"},
                {"when": None, "title": "ج", "text": "", "state": "next"},
            ]
        },
    )
    assert html.count("<li") == 3 and "<ol" in html
    assert html.count('aria-current="step"') == 1
    assert "23/03/1447" in html  # Hijri first …
    assert "15/09/2025" in html  # … then Gregorian
