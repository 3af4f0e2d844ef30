"""Quiet hours: unsolicited messages that fall in the night wait for the morning."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from notify import services
from notify.models import Message, MessageTemplate, Status
from notify.quiet import held_until, quiet_hours
from notify.tasks import retry_due_messages

RIYADH = ZoneInfo("Asia/Riyadh")
NIGHT = datetime(2026, 3, 1, 22, 30)  # Sunday evening, Riyadh
MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=RIYADH)
PHONE = "0501234567"
SUBMITTED = {"reference": "REQ-1447-000123", "decision_date": "1447/06/20هـ"}


def _at(hour, minute=0, day=1):
    return datetime(2026, 3, day, hour, minute, tzinfo=RIYADH)


def _enqueue(key="survey:1", **kwargs):
    arguments = {
        "channel": "sms",
        "recipient": PHONE,
        "template_code": "request.submitted",
        "context": SUBMITTED,
        "idempotency_key": key,
    }
    arguments.update(kwargs)
    return services.message_enqueue(**arguments)


# --- The window --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clock", "inside"),
    [
        ((20, 59), False),
        ((21, 0), True),
        ((23, 59), True),
        ((0, 0), True),
        ((3, 15), True),
        ((7, 59), True),
        ((8, 0), False),
        ((12, 0), False),
    ],
)
def test_the_default_window_wraps_midnight(clock, inside):
    assert quiet_hours().contains(_at(*clock)) is inside


@pytest.mark.parametrize(
    ("clock", "inside"), [((12, 59), False), ((13, 0), True), ((14, 59), True), ((15, 0), False)]
)
def test_a_window_within_one_day(settings, clock, inside):
    settings.NOTIFY_QUIET_HOURS = "13:00-15:00"
    assert quiet_hours().contains(_at(*clock)) is inside


def test_the_window_is_read_in_riyadh_time_whatever_the_zone_of_now():
    # 19:30 UTC is 22:30 in Riyadh: inside.
    assert quiet_hours().contains(datetime(2026, 3, 1, 19, 30, tzinfo=ZoneInfo("UTC")))
    assert not quiet_hours().contains(datetime(2026, 3, 1, 17, 30, tzinfo=ZoneInfo("UTC")))


def test_a_held_message_is_due_at_the_next_end_of_the_window(settings):
    assert held_until(_at(22, 30)) == MORNING  # before midnight: tomorrow morning
    assert held_until(_at(3, 0, day=2)) == MORNING  # after midnight: this morning
    assert held_until(_at(8, 0, day=2)) is None
    assert held_until(_at(20, 0)) is None
    settings.NOTIFY_QUIET_HOURS = "13:00-15:00"
    assert held_until(_at(13, 30)) == _at(15, 0)


def test_an_empty_setting_switches_quiet_hours_off(settings):
    settings.NOTIFY_QUIET_HOURS = ""
    assert quiet_hours() is None
    assert held_until(_at(23, 0)) is None


@pytest.mark.parametrize("value", ["9pm-8am", "21:00", "21:00-21:00", "25:00-08:00"])
def test_a_malformed_window_is_a_configuration_error(settings, value):
    settings.NOTIFY_QUIET_HOURS = value
    with pytest.raises(ImproperlyConfigured, match="NOTIFY_QUIET_HOURS"):
        quiet_hours()


# --- Holding and sending -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_quiet_message_at_night_is_held_and_sent_by_the_sweep_in_the_morning(
    outbox_file, settings, riyadh_clock, django_capture_on_commit_callbacks
):
    riyadh_clock(NIGHT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _enqueue(quiet_hours=True)

    assert callbacks == []  # nothing scheduled at commit
    assert message.status == Status.QUEUED
    assert message.next_attempt_at == MORNING
    assert message.quiet_hours
    # The task scheduled at commit for another message, or a stray one, cannot send it early.
    assert services.message_send(message.pk) is None
    riyadh_clock(_at(7, 59, day=2))
    assert retry_due_messages.call_local() == 0
    assert services.message_send(message.pk) is None
    assert not outbox_file.exists()

    riyadh_clock(MORNING + timedelta(seconds=settings.NOTIFY_SWEEP_GRACE_SECONDS))
    assert retry_due_messages.call_local() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.sent_at == MORNING + timedelta(seconds=settings.NOTIFY_SWEEP_GRACE_SECONDS)
    assert outbox_file.read_text(encoding="utf-8").count(str(message.public_id)) == 1


@pytest.mark.django_db
def test_a_template_kept_to_daytime_is_held_without_the_keyword(
    outbox_file, riyadh_clock, django_capture_on_commit_callbacks
):
    MessageTemplate.objects.filter(code="request.submitted").update(quiet_hours=True)
    riyadh_clock(_at(4, 0, day=2))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _enqueue()
    assert callbacks == []
    assert message.next_attempt_at == MORNING


@pytest.mark.django_db
def test_transactional_notices_are_sent_at_night(
    outbox_file, riyadh_clock, django_capture_on_commit_callbacks
):
    now = riyadh_clock(NIGHT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _enqueue(key="request.submitted:REQ-1447-000123")
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.sent_at == now
    assert not message.quiet_hours


@pytest.mark.django_db
def test_a_quiet_message_in_the_daytime_goes_at_once(
    outbox_file, riyadh_clock, django_capture_on_commit_callbacks
):
    riyadh_clock(_at(10, 0))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _enqueue(quiet_hours=True)
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT


@pytest.mark.django_db
def test_a_batch_is_held_too(outbox_file, riyadh_clock, django_capture_on_commit_callbacks):
    riyadh_clock(NIGHT)
    notices = [
        services.Notice(recipient=PHONE, context=SUBMITTED, idempotency_key=f"survey:{n}")
        for n in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        messages = services.message_enqueue_many(
            channel="sms", template_code="request.submitted", notices=notices, quiet_hours=True
        )
    assert callbacks == []
    assert {m.next_attempt_at for m in Message.objects.filter(pk__in=[m.pk for m in messages])} == {
        MORNING
    }


@pytest.mark.django_db
def test_a_retry_that_comes_due_at_night_waits_for_the_morning(outbox_file, riyadh_clock):
    riyadh_clock(_at(10, 0))
    message = Message.objects.create(
        channel="sms",
        recipient="+966501234567",
        body="استبيان",
        idempotency_key="survey:retry",
        quiet_hours=True,
        status=Status.FAILED,
        attempts=1,
        next_attempt_at=_at(20, 58),
    )
    riyadh_clock(_at(23, 0))

    assert retry_due_messages.call_local() == 0
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.next_attempt_at == MORNING
    assert services.message_send(message.pk) is None
    assert not outbox_file.exists()


@pytest.mark.django_db
def test_a_task_that_runs_after_the_window_opened_holds_the_message(outbox_file, riyadh_clock):
    # Enqueued at 20:59:59 (not held), its task runs at 21:00:01: it is held, not sent.
    riyadh_clock(_at(20, 59) + timedelta(seconds=59))
    message = _enqueue(quiet_hours=True)
    riyadh_clock(_at(21, 0) + timedelta(seconds=1))
    assert services.message_send(message.pk) is None
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.next_attempt_at == MORNING


@pytest.mark.django_db
def test_a_back_off_that_ends_in_the_window_is_moved_to_its_end(unifonic, riyadh_clock):
    unifonic.default = 500
    riyadh_clock(_at(20, 59, day=1) + timedelta(seconds=30))
    message = _enqueue(quiet_hours=True)
    services.message_send(message.pk)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.next_attempt_at == MORNING  # not 21:00:30


@pytest.mark.django_db
def test_a_manager_retry_at_night_waits_for_the_morning(
    outbox_file, manager, riyadh_clock, django_capture_on_commit_callbacks
):
    riyadh_clock(NIGHT)
    message = Message.objects.create(
        channel="sms",
        recipient="+966501234567",
        body="استبيان",
        idempotency_key="survey:manager",
        quiet_hours=True,
        status=Status.FAILED,
        attempts=5,
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.message_retry(actor=manager, message=message)
    assert callbacks == []
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (
        Status.QUEUED,
        0,
        MORNING,
    )
