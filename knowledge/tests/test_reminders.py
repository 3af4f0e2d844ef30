"""Review reminders: managers are e-mailed N days before a policy's next review date and on
it, once each, however often the daily task runs."""

import datetime

import pytest

from accounts.models import Role
from core.models import ActivityLog
from knowledge import services
from knowledge.models import PolicyReviewReminder
from knowledge.tasks import daily_policy_review_reminders
from notify.models import Message
from tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db

REVIEW = datetime.date(2026, 9, 15)  # the relations policy's next review (migration 0005)


@pytest.fixture
def managers(db):
    return [
        UserFactory(role=Role.MANAGER, email="boss1@example.org"),
        UserFactory(role=Role.MANAGER, email="boss2@example.org"),
        UserFactory(role=Role.MANAGER, email=""),  # no address: nobody to write to
        UserFactory(role=Role.MANAGER, email="gone@example.org", is_active=False),
        UserFactory(role=Role.RELATIONS_OFFICER, email="officer@example.org"),
    ]


def _emails(code):
    return Message.objects.filter(template_code=code)


def test_nothing_before_the_window(managers, relations_policy):
    assert services.policy_review_reminders(today=REVIEW - datetime.timedelta(days=31)) == 0
    assert not Message.objects.exists()


def test_managers_are_reminded_once_in_the_window(managers, relations_policy):
    first_day = REVIEW - datetime.timedelta(days=30)
    assert services.policy_review_reminders(today=first_day) == 1
    assert services.policy_review_reminders(today=first_day) == 0
    assert services.policy_review_reminders(today=first_day + datetime.timedelta(days=5)) == 0
    emails = _emails("policy.review_upcoming")
    assert sorted(emails.values_list("recipient", flat=True)) == [
        "boss1@example.org",
        "boss2@example.org",
    ]
    message = emails.first()
    assert "سياسة تنظيم العلاقة مع المستفيدين" in message.subject
    assert "1448" in message.body  # the review date in Hijri too
    assert relations_policy.get_absolute_url() in message.body
    log = ActivityLog.objects.get(action="knowledge.policy.review_reminded")
    assert log.actor is None
    assert log.target_id == str(relations_policy.pk)


def test_and_once_more_on_the_date(managers, relations_policy):
    services.policy_review_reminders(today=REVIEW - datetime.timedelta(days=10))
    assert services.policy_review_reminders(today=REVIEW) == 1
    assert services.policy_review_reminders(today=REVIEW) == 0
    assert _emails("policy.review_due").count() == 2
    assert _emails("policy.review_upcoming").count() == 2


def test_a_missed_day_is_caught_up(managers, relations_policy):
    # The worker was down on the review date: the next run still sends the due reminder
    # (and not the "coming up" one, which no longer makes sense).
    assert services.policy_review_reminders(today=REVIEW + datetime.timedelta(days=2)) == 1
    assert _emails("policy.review_due").count() == 2
    assert not _emails("policy.review_upcoming").exists()


def test_a_new_review_date_gets_its_own_reminders(manager, managers, relations_policy):
    services.policy_review_reminders(today=REVIEW)
    later = datetime.date(2027, 9, 15)
    services.policy_update(actor=manager, document=relations_policy, next_review_date=later)
    assert services.policy_review_reminders(today=later) == 1
    assert PolicyReviewReminder.objects.filter(review_date=later).count() == 1


def test_the_window_is_a_setting(managers, relations_policy, settings):
    settings.MUSTAFID = settings.MUSTAFID | {"POLICY_REVIEW_REMINDER_DAYS": 7}
    assert services.policy_review_reminders(today=REVIEW - datetime.timedelta(days=8)) == 0
    assert services.policy_review_reminders(today=REVIEW - datetime.timedelta(days=7)) == 1


def test_the_daily_task_calls_the_service(managers, relations_policy, monkeypatch):
    calls = []
    monkeypatch.setattr(services, "policy_review_reminders", lambda: calls.append(1) or 0)
    daily_policy_review_reminders.call_local()
    assert calls == [1]
