"""The outbox: enqueue in the caller's transaction, send after commit, retry, never lose."""

import json
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation

from core.models import ActivityLog
from notify import services
from notify.models import Message, MessageTemplate, Status
from notify.selectors import messages_for
from notify.tasks import retry_due_messages

PHONE = "0501234567"
SUBMITTED = {"reference": "REQ-1447-000123", "decision_date": "1447/06/20هـ"}


def _enqueue(key="request.submitted:REQ-1447-000123", **kwargs):
    arguments = {
        "channel": "sms",
        "recipient": PHONE,
        "template_code": "request.submitted",
        "context": SUBMITTED,
        "idempotency_key": key,
    }
    arguments.update(kwargs)
    return services.message_enqueue(**arguments)


def _time_passes(message, **delta):
    """Move a row's due time into the past, as if the back-off had elapsed."""
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1), **delta
    )


class Boom(Exception):
    pass


# --- Rendering ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_renders_the_template_in_arabic_whatever_the_request_language(outbox_file):
    with translation.override("en"):
        message = _enqueue()

    assert message.body == (
        "تم استلام طلبك رقم REQ-1447-000123، وموعد الرد المتوقع 1447/06/20هـ. وقف مفاتيح الخير"
    )
    assert message.recipient == "+966501234567"  # stored in E.164
    assert message.status == Status.QUEUED
    assert message.template_code == "request.submitted"


@pytest.mark.django_db
def test_a_missing_placeholder_renders_empty_instead_of_failing(outbox_file):
    message = _enqueue(context={"reference": "REQ-1447-000124"})
    assert "REQ-1447-000124" in message.body
    assert "{" not in message.body


@pytest.mark.django_db
def test_email_templates_render_subject_and_body(outbox_file):
    message = services.message_enqueue(
        channel="email",
        recipient="Manager@Mafatih.Example",
        template_code="digest.overdue",
        context={"count": 3, "date": "1447/06/01", "items": "REQ-1447-000001", "url": "/r/"},
        idempotency_key="digest.overdue:1447-06-01",
    )
    assert message.subject == "طلبات تجاوزت موعد القرار: 3"
    assert "REQ-1447-000001" in message.body
    assert message.recipient == "Manager@mafatih.example"


@pytest.mark.django_db
def test_a_bad_recipient_is_recorded_as_failed_without_undoing_the_caller(
    outbox_file, beneficiary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _enqueue(recipient="", about=beneficiary)
        email = services.message_enqueue(
            channel="email", recipient="not-an-address", body="x", idempotency_key="bad"
        )
    assert callbacks == []
    for row in (message, email):
        assert row.status == Status.FAILED
        assert not row.will_retry
        assert row.last_error == "no valid recipient"
    assert ActivityLog.objects.filter(
        action="notify.message.failed", subject_id=str(beneficiary.pk)
    ).exists()
    assert not outbox_file.exists()


@pytest.mark.django_db
def test_an_inactive_template_stores_a_cancelled_row_and_sends_nothing(
    outbox_file, django_capture_on_commit_callbacks
):
    MessageTemplate.objects.filter(code="request.submitted").update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _enqueue()
    assert message.status == Status.CANCELLED
    assert callbacks == []
    assert not outbox_file.exists()


@pytest.mark.django_db
def test_a_template_with_attribute_access_is_invalid():
    template = MessageTemplate(code="x", channel="sms", body_ar="{reference.__class__}")
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "body_ar" in error.value.message_dict


# --- Sending after commit ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_it_sends_after_the_callers_transaction_commits(unifonic):
    with transaction.atomic():
        message = _enqueue()
        assert unifonic.requests == []  # nothing leaves before commit

    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 1
    assert message.provider == "unifonic"
    assert message.provider_message_id == "1000"
    assert message.sent_at is not None
    [request] = unifonic.requests
    assert request.form["Body"] == message.body


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_a_rollback_sends_nothing_and_stores_nothing(unifonic):
    with pytest.raises(Boom), transaction.atomic():
        _enqueue()
        raise Boom

    assert not Message.objects.exists()
    assert unifonic.requests == []


@pytest.mark.django_db
def test_the_same_key_twice_is_stored_once_and_sent_once(
    outbox_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = _enqueue()
        second = _enqueue()

    assert first.pk == second.pk
    assert Message.objects.count() == 1
    assert len(callbacks) == 1
    assert len(outbox_file.read_text(encoding="utf-8").splitlines()) == 1
    # A later enqueue under the same key, after it was sent, sends nothing either.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _enqueue().pk == first.pk
    assert callbacks == []
    assert len(outbox_file.read_text(encoding="utf-8").splitlines()) == 1


@pytest.mark.django_db
def test_a_crash_before_the_task_ran_loses_nothing(
    settings, outbox_file, django_capture_on_commit_callbacks
):
    # The row is committed but its task never runs (worker or broker died).
    with django_capture_on_commit_callbacks(execute=False):
        message = _enqueue()
    assert not outbox_file.exists()

    # The sweep leaves fresh rows to their own task…
    assert retry_due_messages.call_local() == 0
    # …and picks the row up once the grace period has passed, sending it exactly once.
    settings.NOTIFY_SWEEP_GRACE_SECONDS = 0
    assert retry_due_messages.call_local() == 1
    assert retry_due_messages.call_local() == 0
    message.refresh_from_db()
    assert message.status == Status.SENT
    [line] = outbox_file.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["id"] == str(message.public_id)


@pytest.mark.django_db
def test_sending_a_sent_message_again_does_nothing(outbox_file):
    message = _enqueue()
    assert services.message_send(message.pk).status == Status.SENT
    assert services.message_send(message.pk) is None
    assert len(outbox_file.read_text(encoding="utf-8").splitlines()) == 1


# --- Failures and retries ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_temporary_failure_is_retried_with_backoff_then_sent(settings, unifonic):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    unifonic.script = [500, 500]
    message = _enqueue()

    before = timezone.now()
    message = services.message_send(message.pk)
    assert message.status == Status.FAILED
    assert message.will_retry
    assert message.attempts == 1
    assert "HTTP 500" in message.last_error
    assert timedelta(seconds=59) < message.next_attempt_at - before < timedelta(seconds=62)
    # Not due yet: the sweep leaves it alone.
    assert retry_due_messages.call_local() == 0

    _time_passes(message)
    before = timezone.now()
    assert retry_due_messages.call_local() == 1
    message.refresh_from_db()
    assert message.attempts == 2
    assert timedelta(seconds=119) < message.next_attempt_at - before < timedelta(seconds=122)

    _time_passes(message)
    retry_due_messages.call_local()
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 3
    assert message.last_error == ""
    assert len(unifonic.requests) == 3


@pytest.mark.django_db
def test_a_permanent_failure_stops_at_once(unifonic, beneficiary):
    unifonic.default = 400
    message = _enqueue(about=beneficiary)

    message = services.message_send(message.pk)

    assert message.status == Status.FAILED
    assert not message.will_retry
    assert "HTTP 400" in message.last_error
    _time_passes(message)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=None)
    assert retry_due_messages.call_local() == 0
    assert len(unifonic.requests) == 1
    assert ActivityLog.objects.filter(
        action="notify.message.failed", subject_id=str(beneficiary.pk)
    ).exists()


@pytest.mark.django_db
def test_it_gives_up_after_the_last_attempt(settings, taqnyat):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    taqnyat.default = 500
    message = _enqueue()
    for _ in range(5):
        row = Message.objects.get(pk=message.pk)
        if row.status == Status.FAILED and row.will_retry:
            _time_passes(row)
        services.message_send(message.pk)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.attempts == 3
    assert not message.will_retry
    assert len(taqnyat.requests) == 3


@pytest.mark.django_db
def test_a_timeout_is_retried(taqnyat):
    taqnyat.script = ["hang"]
    message = services.message_send(_enqueue().pk)
    assert message.status == Status.FAILED
    assert message.will_retry
    assert "timed out" in message.last_error


@pytest.mark.django_db
def test_a_row_stuck_in_sending_is_sent_again_by_the_sweep(settings, outbox_file):
    settings.NOTIFY_SENDING_TIMEOUT_MINUTES = 10
    message = _enqueue()
    # A worker claimed it and died before saving the outcome.
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(minutes=5)
    )
    assert retry_due_messages.call_local() == 0  # might still be sending

    Message.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - timedelta(minutes=11))
    assert retry_due_messages.call_local() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 2


@pytest.mark.django_db
def test_a_stuck_row_with_no_attempts_left_is_marked_failed(settings, outbox_file):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    message = _enqueue()
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENDING, attempts=2, claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert retry_due_messages.call_local() == 0
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert not message.will_retry
    assert not outbox_file.exists()


# --- Two workers -------------------------------------------------------------------------------


def _queued_row():
    """A committed row whose task has not run (enqueue would send it at once here)."""
    return Message.objects.create(
        channel="sms",
        recipient="+966501234567",
        body="رسالة",
        idempotency_key="race",
        next_attempt_at=timezone.now(),
    )


# Threads on the test run's in-memory SQLite (shared cache) meet table locks that ignore the
# busy timeout, so races are run where workers really race: on PostgreSQL.
race_needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent workers need PostgreSQL"
)


def _race(target, workers=2):
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=5)
            results.append(target())
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    return results


@race_needs_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_two_workers_claiming_one_row_only_one_wins(outbox_file):
    message = _queued_row()

    results = _race(lambda: services.message_claim(message.pk))

    assert sorted(results) == [False, True]
    message.refresh_from_db()
    assert message.status == Status.SENDING
    assert message.attempts == 1


@race_needs_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_two_workers_sending_one_row_send_it_once(unifonic):
    unifonic.script = ["hang"]  # the winner is still talking to the gateway when the others come
    unifonic.hang_seconds = 0.2
    message = _queued_row()

    results = _race(lambda: services.message_send(message.pk), workers=3)

    assert sum(1 for r in results if r is not None) == 1
    assert len(unifonic.requests) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT


# --- Staff actions and the timeline ---------------------------------------------------------


@pytest.mark.django_db
def test_a_manager_can_retry_a_failed_message(manager, unifonic, beneficiary):
    unifonic.script = [400]
    message = services.message_send(_enqueue(about=beneficiary).pk)
    assert message.status == Status.FAILED

    message = services.message_retry(actor=manager, message=message)
    assert message.status == Status.QUEUED
    assert message.attempts == 0
    services.message_send(message.pk)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert ActivityLog.objects.filter(
        action="notify.message.retried", actor=manager, subject_id=str(beneficiary.pk)
    ).exists()


@pytest.mark.django_db
def test_only_managers_retry_and_only_failed_messages(officer, manager, outbox_file):
    message = _enqueue()
    with pytest.raises(PermissionDenied):
        services.message_retry(actor=officer, message=message)
    with pytest.raises(ValidationError):
        services.message_retry(actor=manager, message=message)  # still queued


@pytest.mark.django_db
def test_a_cancelled_message_is_not_sent(manager, outbox_file):
    message = _enqueue()
    services.message_cancel(actor=manager, message=message)
    assert services.message_send(message.pk) is None
    assert not outbox_file.exists()


@pytest.mark.django_db
def test_the_timeline_lists_the_messages_about_a_file(beneficiary, outbox_file):
    first = _enqueue(key="a", about=beneficiary)
    second = _enqueue(key="b", about=beneficiary)
    _enqueue(key="c")  # about nothing

    assert list(messages_for(beneficiary)) == [second, first]
    entry = ActivityLog.objects.filter(
        action="notify.message.queued", subject_id=str(beneficiary.pk)
    ).first()
    with translation.override("en"):
        assert "queued a message" in entry.sentence


# --- A sweep's batch: the same rows, in a fixed number of queries ------------------------------


def _notices(n, about=None, prefix="batch"):
    return [
        services.Notice(
            recipient=PHONE,
            context={"reference": f"REQ-1447-{i:06d}", "decision_date": "1447/06/20هـ"},
            idempotency_key=f"{prefix}:{i}",
            about=about,
        )
        for i in range(n)
    ]


def _batch(notices):
    return services.message_enqueue_many(
        channel="sms", template_code="request.submitted", notices=notices
    )


def _count_queries(call):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        result = call()
    return result, len(ctx.captured_queries)


@pytest.mark.django_db
def test_a_batch_stores_what_one_enqueue_at_a_time_would(
    beneficiary, outbox_file, django_capture_on_commit_callbacks
):
    single = _enqueue(key="single", about=beneficiary)
    notices = _notices(2, about=beneficiary)
    notices.append(notices[0]._replace(recipient="", idempotency_key="batch:nobody"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first, second, nobody = _batch(notices)

    assert len(callbacks) == 2  # the two with a recipient are sent, after commit
    assert first.body == single.body.replace("000123", "000000")
    assert (first.recipient, first.status, first.template_code) == (
        single.recipient,
        Status.QUEUED,
        "request.submitted",
    )
    assert (first.about_type, first.about_id) == (single.about_type, single.about_id)
    assert (nobody.status, nobody.last_error) == (Status.FAILED, "no valid recipient")
    logged = ActivityLog.objects.filter(subject_id=str(beneficiary.pk))
    queued = logged.filter(action="notify.message.queued").values_list("target_id", flat=True)
    assert set(queued) == {str(m.pk) for m in (single, first, second)}
    assert logged.filter(action="notify.message.failed", target_id=str(nobody.pk)).exists()
    assert len(outbox_file.read_text(encoding="utf-8").splitlines()) == 2


@pytest.mark.django_db
def test_a_batch_skips_keys_already_in_the_outbox(outbox_file, django_capture_on_commit_callbacks):
    _enqueue(key="batch:1")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        stored = _batch(_notices(3))
        again = _batch(_notices(3))
    assert [m.idempotency_key for m in stored] == ["batch:0", "batch:2"]
    assert again == []
    assert len(callbacks) == 2
    assert Message.objects.count() == 3


@pytest.mark.django_db
def test_a_batch_for_an_inactive_template_stores_cancelled_rows(beneficiary, outbox_file):
    MessageTemplate.objects.filter(code="request.submitted").update(is_active=False)
    stored = _batch(_notices(2, about=beneficiary))
    assert {m.status for m in stored} == {Status.CANCELLED}
    assert ActivityLog.objects.filter(action="notify.message.suppressed").count() == 2


@pytest.mark.django_db
def test_a_batch_runs_the_same_queries_for_one_notice_or_twenty(beneficiary, outbox_file):
    one, few = _count_queries(lambda: _batch(_notices(1, about=beneficiary, prefix="a")))
    many, more = _count_queries(lambda: _batch(_notices(20, about=beneficiary, prefix="b")))
    assert (len(one), len(many)) == (1, 20)
    assert few == more


@pytest.mark.django_db
def test_the_sweep_fails_exhausted_rows_in_a_fixed_number_of_queries(
    settings, beneficiary, outbox_file
):
    settings.NOTIFY_MAX_ATTEMPTS = 2

    def stuck(n, prefix):
        rows = [_enqueue(key=f"{prefix}:{i}", about=beneficiary) for i in range(n)]
        Message.objects.filter(pk__in=[m.pk for m in rows]).update(
            status=Status.SENDING, attempts=2, claimed_at=timezone.now() - timedelta(hours=1)
        )
        return rows

    stuck(1, "a")
    _ids, one = _count_queries(services.messages_sweep)
    rows = stuck(6, "b")
    _ids, six = _count_queries(services.messages_sweep)

    assert one == six
    assert not Message.objects.exclude(status=Status.FAILED).exists()
    failed = ActivityLog.objects.filter(
        action="notify.message.failed", subject_id=str(beneficiary.pk)
    )
    assert failed.count() == 7
    assert failed.filter(target_id=str(rows[0].pk)).exists()
    assert not outbox_file.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_sweeps_at_once_fail_and_log_each_exhausted_row_once(
    settings, monkeypatch, outbox_file
):
    import time

    settings.NOTIFY_MAX_ATTEMPTS = 2
    rows = [_enqueue(key=f"stuck:{i}") for i in range(4)]
    Message.objects.filter(pk__in=[m.pk for m in rows]).update(
        status=Status.SENDING, attempts=2, claimed_at=timezone.now() - timedelta(hours=1)
    )
    subjects = services._subjects

    def slow_subjects(messages):
        time.sleep(0.3)  # the rows stay locked while the other sweep looks for them
        return subjects(messages)

    monkeypatch.setattr(services, "_subjects", slow_subjects)
    _race(services.messages_sweep)

    assert not Message.objects.exclude(status=Status.FAILED).exists()
    assert ActivityLog.objects.filter(action="notify.message.failed").count() == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_batches_of_the_same_notices_at_once_store_each_once(beneficiary, outbox_file):
    import time

    def enqueue():
        with transaction.atomic():
            stored = _batch(_notices(3, about=beneficiary))
            time.sleep(0.3)  # both have looked for the keys before either commits
        return stored

    first, second = _race(enqueue)

    assert Message.objects.count() == 3
    assert sorted(m.pk for m in first) == sorted(m.pk for m in second)
    assert ActivityLog.objects.filter(action="notify.message.queued").count() == 3


@pytest.mark.django_db
def test_a_secret_is_sent_and_then_not_kept_in_the_outbox(outbox_file):
    template = MessageTemplate.objects.get(code="portal.otp")
    assert template.erase_after_sending  # set by the migration
    message = services.message_enqueue(
        channel="sms",
        recipient="0551234567",
        template_code="portal.otp",
        context={"code": "482913", "minutes": 5},
        idempotency_key="otp-erase",
    )
    assert "482913" in message.body  # kept until the gateway has it
    services.message_send(message.pk)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert "482913" not in message.body
    delivered = json.loads(outbox_file.read_text().splitlines()[-1])
    assert "482913" in delivered["body"]


@pytest.mark.django_db
def test_other_messages_keep_their_text_once_sent(outbox_file):
    message = _enqueue()
    body = message.body
    services.message_send(message.pk)
    message.refresh_from_db()
    assert message.status == Status.SENT and message.body == body
