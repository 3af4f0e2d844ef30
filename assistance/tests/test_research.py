"""After submission: verification, asking the applicant for information (with a reminder),
referral to a social researcher (P6.3), the home visit and the research report."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assistance import services
from assistance.models import AidType, InfoRequest, Status
from core.models import ActivityLog
from notify.models import Message
from tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(officer, ready_draft):
    return services.request_submit(actor=officer, request=ready_draft)


@pytest.fixture
def verifying(officer, submitted):
    return services.verification_start(actor=officer, request=submitted)


def test_verification_makes_the_officer_the_owner(officer, verifying):
    assert verifying.status == Status.VERIFYING and verifying.owner == officer


def test_asking_for_information_waits_and_texts_the_applicant(officer, verifying):
    info = services.info_request_create(actor=officer, request=verifying, what="كشف حساب بنكي")
    verifying.refresh_from_db()
    assert verifying.status == Status.AWAITING_APPLICANT
    assert info.due_date > timezone.localdate()
    sms = Message.objects.get(template_code="request.info_requested")
    assert "كشف حساب بنكي" in sms.body and verifying.reference in sms.body


def test_the_answer_puts_the_request_back_in_the_queue(officer, verifying):
    info = services.info_request_create(actor=officer, request=verifying, what="صك الإعالة")
    with pytest.raises(ValidationError):
        services.info_request_answer(actor=officer, info=info, answer="")
    services.info_request_answer(actor=officer, info=info, answer="أحضره إلى الفرع")
    verifying.refresh_from_db()
    assert verifying.status == Status.VERIFYING
    with pytest.raises(ValidationError):
        services.info_request_answer(actor=officer, info=info, answer="مرة أخرى")


def test_a_reminder_is_sent_once_when_the_information_is_due(officer, verifying):
    info = services.info_request_create(
        actor=officer,
        request=verifying,
        what="فاتورة الكهرباء",
        due_date=timezone.localdate() + datetime.timedelta(days=2),
    )
    assert services.info_request_reminders() == 0
    later = info.due_date
    assert services.info_request_reminders(today=later) == 1
    assert services.info_request_reminders(today=later) == 0
    assert Message.objects.filter(template_code="request.info_reminder").count() == 1


def _due_questions(officer, like, n, *, due):
    """`n` more requests awaiting the applicant, each with a question due on `due`, written
    in bulk: only the sweep's cost is tested here."""
    from assistance.models import SupportRequest

    requests = SupportRequest.objects.bulk_create(
        SupportRequest(
            beneficiary=like.beneficiary,
            branch=like.branch,
            channel=like.channel,
            need=like.need,
            status=Status.AWAITING_APPLICANT,
            reference=f"REQ-1447-{900000 + i}",
            submitted_at=like.submitted_at,
            expected_decision_date=like.expected_decision_date,
            created_by=officer,
        )
        for i in range(n)
    )
    InfoRequest.objects.bulk_create(
        InfoRequest(request=request, what="كشف حساب", due_date=due, asked_by=officer)
        for request in requests
    )


def test_reminders_run_a_fixed_number_of_queries_and_log_each(officer, verifying):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from core.hijri import format_dual

    due = timezone.localdate()
    info = services.info_request_create(
        actor=officer, request=verifying, what="فاتورة الكهرباء", due_date=due
    )

    def run():
        with CaptureQueriesContext(db) as ctx:
            reminded = services.info_request_reminders()
        return reminded, len(ctx.captured_queries)

    one = run()
    _due_questions(officer, verifying, 6, due=due)
    seven = run()
    assert (one[0], seven[0]) == (1, 6)
    assert one[1] == seven[1]

    reminders = Message.objects.filter(template_code="request.info_reminder")
    assert reminders.count() == 7
    sms = reminders.get(idempotency_key=f"request.info_reminder:{info.pk}")
    assert "فاتورة الكهرباء" in sms.body and format_dual(due) in sms.body
    assert verifying.reference in sms.body and sms.recipient == verifying.beneficiary.mobile
    assert (
        ActivityLog.objects.filter(
            action="notify.message.queued", subject_id=str(verifying.beneficiary.pk)
        )
        .filter(target_id__in=[str(pk) for pk in reminders.values_list("pk", flat=True)])
        .count()
        == 7
    )
    assert not InfoRequest.objects.filter(reminded_at__isnull=True).exists()
    assert services.info_request_reminders() == 0


def test_an_answered_question_is_not_reminded(officer, verifying):
    info = services.info_request_create(actor=officer, request=verifying, what="صك الإعالة")
    services.info_request_answer(actor=officer, info=info, answer="أحضره")
    assert services.info_request_reminders(today=info.due_date) == 0
    assert not Message.objects.filter(template_code="request.info_reminder").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_reminder_runs_at_once_remind_each_question_once(monkeypatch, officer, verifying):
    import threading
    import time

    from notify import services as notify

    due = timezone.localdate()
    services.info_request_create(actor=officer, request=verifying, what="صك", due_date=due)
    _due_questions(officer, verifying, 4, due=due)
    enqueue = notify.message_enqueue_many

    def slow_enqueue(**kwargs):
        # Hold the rows a little, so that the other run arrives while they are locked.
        messages = enqueue(**kwargs)
        time.sleep(0.3)
        return messages

    monkeypatch.setattr(notify, "message_enqueue_many", slow_enqueue)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=5)
            results.append(services.info_request_reminders())
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == [] and sum(results) == 5
    assert Message.objects.filter(template_code="request.info_reminder").count() == 5


def test_a_due_date_in_the_past_is_refused(officer, verifying):
    with pytest.raises(ValidationError):
        services.info_request_create(
            actor=officer,
            request=verifying,
            what="x",
            due_date=timezone.localdate() - datetime.timedelta(days=1),
        )
    verifying.refresh_from_db()
    assert verifying.status == Status.VERIFYING and not InfoRequest.objects.exists()


def test_referral_picks_a_female_researcher_for_a_woman(officer, verifying, researcher):
    verifying.beneficiary.gender = "female"
    verifying.beneficiary.save(update_fields=["gender"])
    UserFactory(username="male_researcher", role="researcher", gender="male")
    research = services.research_refer(actor=officer, request=verifying, reason="verification")
    assert research.researcher == researcher
    verifying.refresh_from_db()
    assert verifying.status == Status.IN_RESEARCH


def test_referral_balances_the_workload(officer, verifying, representative):
    from tests_support.factories import make_beneficiary

    first = UserFactory(username="first", role="researcher", gender="male")
    second = UserFactory(username="second", role="researcher", gender="male")
    research = services.research_refer(actor=officer, request=verifying, reason="procedures")
    assert research.researcher == first  # both free: the lower id
    other = make_beneficiary(representative, first_name="سالم")
    probe = type(verifying)(beneficiary=other, branch=other.branch)
    assert services.researcher_for(probe) == second  # first now has an open referral


def test_no_female_researcher_means_a_clear_refusal(officer, verifying):
    verifying.beneficiary.gender = "female"
    verifying.beneficiary.save(update_fields=["gender"])
    UserFactory(username="male_researcher", role="researcher", gender="male")
    with pytest.raises(ValidationError):
        services.research_refer(actor=officer, request=verifying, reason="verification")
    verifying.refresh_from_db()
    assert verifying.status == Status.VERIFYING


@pytest.fixture
def research(officer, verifying, researcher):
    return services.research_refer(
        actor=officer, request=verifying, reason="verification", researcher=researcher
    )


def test_only_the_researcher_books_visits_and_reports(officer, research, researcher):
    when = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(PermissionDenied):
        services.visit_book(actor=officer, research=research, when=when)
    visit = services.visit_book(actor=researcher, research=research, when=when)
    sms = Message.objects.get(template_code="request.visit_booked")
    assert f"{timezone.localtime(visit.scheduled_for):%H:%M}" in sms.body
    with pytest.raises(ValidationError):
        services.visit_book(actor=researcher, research=research, when=timezone.now())


def test_the_report_needs_an_assessment_and_a_recommendation(researcher, research):
    with pytest.raises(ValidationError):
        services.research_complete(actor=researcher, research=research, assessment="")
    research.refresh_from_db()
    assert research.completed_at is None
    services.research_complete(
        actor=researcher,
        research=research,
        housing="شقة مستأجرة بحالة متوسطة",
        assessment="الأسرة محتاجة",
        recommended_aid_type=AidType.objects.get(code="periodic_cash"),
        recommended_amount=1000,
        recommended_months=6,
    )
    research.request.refresh_from_db()
    assert research.request.status == Status.RESEARCHED
    assert ActivityLog.objects.filter(action="assistance.research.completed").exists()


def test_transitions_out_of_order_are_refused(officer, submitted):
    with pytest.raises(ValidationError):
        services.research_refer(actor=officer, request=submitted, reason="verification")
    with pytest.raises(ValidationError):
        services.info_request_create(actor=officer, request=submitted, what="x")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


# --- Screens ----------------------------------------------------------------------------


def test_screens_from_verification_to_report(client, officer, researcher, submitted):
    client.force_login(officer)
    detail = reverse("assistance:detail", args=[submitted.public_id])
    client.post(reverse("assistance:verify", args=[submitted.public_id]))
    page = client.get(detail)
    assert page.context["request_obj"].status == Status.VERIFYING
    client.post(
        reverse("assistance:refer", args=[submitted.public_id]),
        {"reason": "verification", "researcher": researcher.pk, "note": "زيارة منزلية"},
    )
    client.force_login(researcher)
    assert (
        client.get(reverse("assistance:list") + "?mine=1").context["page"].object_list[0]
        == submitted
    )
    day = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    client.post(
        reverse("assistance:visit", args=[submitted.public_id]), {"day": day, "time": "10:30"}
    )
    assert Message.objects.filter(template_code="request.visit_booked").exists()
    report = reverse("assistance:report", args=[submitted.public_id])
    assert client.get(report).status_code == 200
    response = client.post(
        report,
        {
            "assessment": "تستحق الدعم",
            "recommended_aid_type": AidType.objects.get(code="food_basket").pk,
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.RESEARCHED


def test_another_researcher_cannot_write_the_report(client, research):
    other = UserFactory(username="other_researcher", role="researcher", gender="female")
    client.force_login(other)
    assert (
        client.get(reverse("assistance:report", args=[research.request.public_id])).status_code
        == 403
    )


def _photo(name="home.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "gray").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue())


def test_photos_need_consent_and_an_image(researcher, research):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests_support.factories import PDF_BYTES

    with pytest.raises(ValidationError):
        services.research_photo_add(
            actor=researcher, research=research, upload=_photo(), consent_given=False
        )
    with pytest.raises(ValidationError):
        services.research_photo_add(
            actor=researcher,
            research=research,
            consent_given=True,
            upload=SimpleUploadedFile("home.pdf", PDF_BYTES),
        )
    photo = services.research_photo_add(
        actor=researcher, research=research, upload=_photo(), consent_given=True, caption="المطبخ"
    )
    assert photo.content_type == "image/png" and research.photos.count() == 1


def test_photo_screens_log_each_view(client, researcher, research, other_rep):
    client.force_login(researcher)
    public_id = research.request.public_id
    client.post(
        reverse("assistance:photo_add", args=[public_id]),
        {"image": _photo(), "caption": "الغرفة", "consent_given": "on"},
    )
    photo = research.photos.get()
    url = reverse("assistance:photo", args=[public_id, photo.public_id])
    assert client.get(url)["Content-Type"] == "image/png"
    assert ActivityLog.objects.filter(action="assistance.research.photo_viewed").count() == 1
    client.force_login(other_rep)
    assert client.get(url).status_code == 404
