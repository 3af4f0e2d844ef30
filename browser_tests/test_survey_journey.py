"""Satisfaction as a right, end to end in the browser: a service officer records a delivery,
the dispatcher sends the survey SMS, the beneficiary opens its link on a 360-pixel phone (no
sign-in) and answers with a low score, the manager's dashboard counts the answer, and the
quality officer finds the follow-up the low score opened."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from assistance import committee, enrolment
from assistance.models import Status
from assistance.tests.conftest import make_ready_draft, make_researched
from browser_tests.conftest import assert_accessible, assert_fits_phone, login
from reports.tasks import recount_figures
from surveys import services as surveys
from surveys.models import Event, FollowUp, Invitation, InvitationStatus, Response, Survey
from tests_support.factories import UserFactory, make_beneficiary

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded", "quiet_hours_off"),
]


def _as(browser, live_server, user, **context):
    context = browser.new_context(
        locale="ar-SA", **(context or {"viewport": {"width": 1280, "height": 900}})
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server, user.username)
    return page


def survey_link(mobile: str) -> str:
    """The link as the phone received it: the SMS the gateway (the file backend) delivered."""
    for line in reversed(Path(django_settings.NOTIFY_FILE_PATH).read_text().splitlines()):
        sms = json.loads(line)
        if sms["template"] == "survey.invite" and sms["to"] == mobile:
            return re.search(r"https?://\S+/surveys/a/[\w-]+/", sms["body"]).group(0)
    raise AssertionError("no survey was sent")


def test_a_delivery_is_rated_on_a_phone_and_a_low_score_is_followed_up(
    browser, phone_page, live_server, settings, officer, researcher, manager, quality
):
    settings.SITE_URL = live_server.url
    # The quality officer's configuration: the delivery survey only, sent as soon as the
    # dispatcher runs (the seeded one waits two hours).
    Survey.objects.exclude(event=Event.DELIVERY).update(is_active=False)
    Survey.objects.filter(event=Event.DELIVERY).update(delay_hours=0)

    # A request approved by the committee and enrolled, through the services.
    person = make_beneficiary(officer, first_name="منيرة", gender="female")
    request = make_researched(officer, researcher, make_ready_draft(officer, person))
    members = [UserFactory(username=f"member{i}", role="committee") for i in range(3)]
    meeting = committee.meeting_create(
        actor=manager,
        number="30/1448",
        day=timezone.localdate(),
        quorum=3,
        rule="majority",
        chair=members[0],
        members=members,
    )
    item = committee.agenda_add(actor=manager, meeting=meeting, request=request)
    for member in members:
        committee.vote_cast(actor=member, item=item, choice="approve")
    request.refresh_from_db()
    enrolment.enrolment_create(actor=officer, request=request, starts_on=timezone.localdate())

    # The service officer records the first delivery on the request's page.
    service = UserFactory(username="service", role="service")
    page = _as(browser, live_server, service)
    page.goto(f"{live_server.url}/requests/{request.public_id}/")
    page.select_option("#id_method", "voucher")
    page.fill("#id_delivered_on", timezone.localdate().strftime("%d/%m/%Y"))
    page.fill("#id_amount", "٨٠٠")
    page.fill("#id_voucher_code", "V-2026-0001")
    page.click("form[action$='/deliver/'] button")
    page.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == Status.IN_SERVICE

    # The dispatcher's run (the worker's periodic task): one invitation, sent by SMS.
    assert surveys.invitations_create() == 1
    assert surveys.invitations_send() == 1
    invitation = Invitation.objects.get()
    assert invitation.status == InvitationStatus.SENT
    link = survey_link(person.mobile)

    # On her phone, no sign-in: the notice of her right, then the questions.
    phone = phone_page
    phone.goto(link)
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert "لا تؤثر أبداً على طلباتك" in phone.locator(".survey-right").inner_text()
    assert_fits_phone(phone)
    assert_accessible(phone)
    questions = {q.kind: q.pk for q in invitation.version.questions.all()}
    phone.check(f"input[name=q{questions['csat']}][value='1']")
    phone.check(f"input[name=q{questions['effort']}][value='2']")
    phone.check(f"input[name=q{questions['nps']}][value='3']")
    phone.fill(f"textarea[name=q{questions['text']}]", "تأخر التسليم، اتصلوا بي على 0551234567")
    phone.click("form.survey-form button")
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "شكراً لك"
    assert_accessible(phone)
    response = Response.objects.get()
    assert (response.csat, response.effort, response.nps) == (1, 2, 3)
    assert "0551234567" not in response.comment

    # The link is one-time: opened again, it says only that it cannot be used.
    phone.goto(link)
    assert phone.locator("h1").inner_text() == "لا يمكن استخدام هذا الرابط"

    # The manager's dashboard counts the answer, once the worker has recounted its daily
    # figures (every five minutes): one survey sent, one answered.
    recount_figures.call_local()
    page = _as(browser, live_server, manager)
    page.goto(f"{live_server.url}/reports/")
    assert "100" in page.locator(".stat", has_text="نسبة الاستجابة").inner_text()
    assert_accessible(page)

    # The low score opened a follow-up in the quality officer's list.
    follow_up = FollowUp.objects.get()
    page = _as(browser, live_server, quality)
    page.goto(f"{live_server.url}/surveys/follow-ups/")
    row = page.locator(f"a[href$='/follow-ups/{follow_up.public_id}/']")
    assert row.count() == 1
    row.first.click()
    page.wait_for_load_state()
    assert "********67" in page.content()
    assert_accessible(page)
