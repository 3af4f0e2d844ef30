"""Every write to the outbox: enqueue, send, retry, cancel, and the periodic sweep.

How a message travels, and why nothing is lost:
1. `message_enqueue` stores the row in the caller's transaction and asks Huey to send it once
   that transaction commits. A rollback leaves neither the row nor the task.
2. `message_send` claims the row with one conditional UPDATE (queued or retry-due → sending),
   so of any number of workers handed the same id only one sends; then it calls the backend and
   records sent, or failed with a back-off time, or failed for good.
3. `messages_sweep` (every minute) hands workers the rows whose task never ran (a broker
   outage, a crash between commit and enqueue), the failed rows whose retry is due, and the
   rows stuck in "sending" because their worker died.

Quiet hours (notify/quiet.py): a message kept to daytime hours — its template's
`quiet_hours`, or `quiet_hours=True` from the caller — that falls in NOTIFY_QUIET_HOURS is
stored queued and due when the window ends; no task is scheduled at commit and the sweep sends
it then. A claim never takes such a row during the window, so a retry or a racing task waits too.

Any template may be sent on any channel: its `channel` is only its default. SMS and WhatsApp
carry the same short text; an e-mail whose template has no subject is titled with the
organisation's name.

At most twice, never lost: a stuck row is sent again. That duplicates a message only if the
worker died after the provider accepted it and before the "sent" status was saved (or the
gateway's answer was lost to a read timeout). For e-mail the Message-ID is stable across
attempts; Unifonic receives the row's public id as CorrelationID for reconciliation; Taqnyat
offers no such field (see notify/backends.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from core.activity import both_languages, log_action, log_actions
from core.validators import normalize_phone
from notify.backends import DeliveryError, PermanentFailure, get_backend, mask_recipient
from notify.conf import setting
from notify.models import Channel, Message, MessageTemplate, Status
from notify.quiet import held_until

logger = logging.getLogger("notify")


class _SafeDict(dict):
    """Missing placeholders render empty rather than failing the caller's transaction."""

    template_code = ""

    def __missing__(self, key: str) -> str:
        logger.warning("template %s: no value for {%s}", self.template_code, key)
        return ""


def render(text: str, context: dict[str, Any] | None, *, template_code: str = "") -> str:
    """Fill `{placeholders}` from `context`. Values are turned into text first, so a template
    cannot reach into the objects passed to it."""
    values = _SafeDict({key: "" if v is None else str(v) for key, v in (context or {}).items()})
    values.template_code = template_code
    return text.format_map(values)


def _normalise_recipient(channel: str, recipient: str) -> str:
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return normalize_phone(recipient)
    address = (recipient or "").strip()
    validate_email(address)
    local, at, domain = address.rpartition("@")
    return f"{local}{at}{domain.lower()}"


def _about(obj: models.Model | None) -> dict[str, Any]:
    if obj is None:
        return {}
    return {"about_type": ContentType.objects.get_for_model(obj), "about_id": str(obj.pk)}


def beneficiary_address(beneficiary) -> tuple[str, str]:
    """(channel, recipient) to reach a beneficiary on their preferred channel.

    WhatsApp and SMS go to the mobile; e-mail to their address, or by SMS to the mobile when
    they have none. A person without the number their channel needs is written to by e-mail
    if they have an address. When there is nothing at all the mobile (empty) is returned, and
    `message_enqueue` stores the notice as failed ("no valid recipient") for the timeline.
    """
    mobile = (beneficiary.mobile or "").strip()
    email = (beneficiary.email or "").strip()
    preferred = beneficiary.preferred_channel
    if preferred == Channel.EMAIL and email:
        return Channel.EMAIL.value, email
    if preferred == Channel.WHATSAPP and mobile:
        return Channel.WHATSAPP.value, mobile
    if not mobile and email:
        return Channel.EMAIL.value, email
    return Channel.SMS.value, mobile


def _organisation_name() -> str:
    """The organisation's name in Arabic, the default subject of an e-mail (as on letters,
    core.pdf.organisation_name)."""
    with translation.override("ar"):
        return settings.MUSTAFID.get("ORGANISATION_NAME_AR") or gettext(
            settings.MUSTAFID["ORGANISATION_NAME"]
        )


def _is_held(message: Message, now: datetime) -> bool:
    return message.status == Status.QUEUED and message.next_attempt_at > now


def _schedule(message_id: int) -> None:
    from notify.tasks import send_message_task

    # robust: if the queue is down, the committed row is still sent later by the sweep.
    transaction.on_commit(lambda: send_message_task(message_id), robust=True)


def message_enqueue(
    *,
    channel: str,
    recipient: str,
    template_code: str | None = None,
    context: dict[str, Any] | None = None,
    body: str | None = None,
    subject: str | None = None,
    idempotency_key: str,
    about: models.Model | None = None,
    quiet_hours: bool = False,
) -> Message:
    """Store a notification in the caller's transaction and send it after commit.

    Give either `template_code` (rendered in Arabic with `context`) or a ready `body`; the
    template may be sent on any channel. If a message with `idempotency_key` already exists it
    is returned and nothing is scheduled. With `quiet_hours` (or a template marked so) a message
    that falls in the quiet hours is held: stored queued, due when they end, sent by the sweep.
    A template that is inactive yields a cancelled row, and a missing or invalid recipient a
    failed one, so the timeline shows the notice was not sent and the caller's transaction is
    never undone by a notice. Logs `notify.message.queued` (or `.suppressed`, `.failed`)
    against `about` when given.
    """
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    _check(channel, [idempotency_key])
    template = _template(template_code) if template_code else None
    now = timezone.now()
    message = _build(
        channel=channel,
        recipient=recipient,
        template=template,
        context=context,
        body=body,
        subject=subject,
        idempotency_key=idempotency_key,
        about=about,
        quiet_hours=quiet_hours,
        now=now,
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # Enqueued concurrently under the same key: the other transaction's row wins.
        existing = Message.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing

    if about is not None:
        log_action(**_queued_entry(message, about))
    if message.status == Status.QUEUED and not _is_held(message, now):
        _schedule(message.pk)
    return message


class Notice(NamedTuple):
    """One notice of a `message_enqueue_many` batch: the arguments that vary per message."""

    recipient: str
    context: dict[str, Any]
    idempotency_key: str
    about: models.Model | None = None


def message_enqueue_many(
    *, channel: str, template_code: str, notices: Iterable[Notice], quiet_hours: bool = False
) -> list[Message]:
    """`message_enqueue` for many notices of one template (a daily sweep's reminders).

    The same rows, audit entries and sends, in a fixed number of queries however many
    notices: the template is read once, the keys already in the outbox in one query, and the
    new rows and their audit entries are written in one INSERT each. A notice whose key is
    already in the outbox is skipped, as `message_enqueue` would return the existing row.
    Returns the rows of the notices that were not in the outbox yet. `quiet_hours` as for
    `message_enqueue`.
    """
    notices = list(notices)
    if not notices:
        return []
    _check(channel, [n.idempotency_key for n in notices])
    template = _template(template_code)
    now = timezone.now()
    taken = set(
        Message.objects.filter(
            idempotency_key__in=[n.idempotency_key for n in notices]
        ).values_list("idempotency_key", flat=True)
    )
    fresh: dict[str, Notice] = {}
    for notice in notices:
        if notice.idempotency_key not in taken:
            fresh.setdefault(notice.idempotency_key, notice)
    messages = [
        _build(
            channel=channel,
            recipient=n.recipient,
            template=template,
            context=n.context,
            idempotency_key=n.idempotency_key,
            about=n.about,
            quiet_hours=quiet_hours,
            now=now,
        )
        for n in fresh.values()
    ]
    try:
        with transaction.atomic():
            Message.objects.bulk_create(messages)
    except IntegrityError:
        # A key was enqueued concurrently: one by one, each conflict settled as
        # message_enqueue settles it (the other transaction's row wins).
        stored = [
            message_enqueue(
                channel=channel,
                recipient=n.recipient,
                template_code=template_code,
                context=n.context,
                idempotency_key=n.idempotency_key,
                about=n.about,
                quiet_hours=quiet_hours,
            )
            for n in fresh.values()
        ]
        return stored
    log_actions(
        _queued_entry(message, notice.about)
        for message, notice in zip(messages, fresh.values(), strict=True)
        if notice.about is not None
    )
    for message in messages:
        if message.status == Status.QUEUED and not _is_held(message, now):
            _schedule(message.pk)
    return messages


def _check(channel: str, keys: list[str]) -> None:
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if not all(keys):
        raise ValueError("idempotency_key is required")


def _template(code: str) -> MessageTemplate:
    """The template by code. Its `channel` is only the default: it may be sent on any."""
    return MessageTemplate.objects.get(code=code)


def _build(
    *,
    channel: str,
    recipient: str,
    template: MessageTemplate | None,
    context: dict[str, Any] | None,
    idempotency_key: str,
    about: models.Model | None,
    body: str | None = None,
    subject: str | None = None,
    quiet_hours: bool = False,
    now: datetime,
) -> Message:
    """The unsaved outbox row: recipient normalised, text rendered in Arabic, its status and
    when it is due (now, or the end of the quiet hours for a message kept to daytime)."""
    status = Status.QUEUED
    last_error = ""
    try:
        recipient = _normalise_recipient(channel, recipient)
    except ValidationError:
        # A file without a usable number must not undo the caller's work (a submission):
        # the row is stored as failed for good, so the timeline shows the notice was not sent.
        recipient = str(recipient or "").strip()[:254]
        status, last_error = Status.FAILED, "no valid recipient"
    if template is not None:
        subject_text, body_text = template.texts("ar")
        with translation.override("ar"):
            body = render(body_text, context, template_code=template.code)
            subject = render(subject_text, context, template_code=template.code)
        if not template.is_active and status == Status.QUEUED:
            status, last_error = Status.CANCELLED, "template inactive"
    elif not body:
        raise ValueError("give a template_code or a body")
    if channel == Channel.EMAIL and not subject:
        subject = _organisation_name()
    quiet = quiet_hours or (template is not None and template.quiet_hours)
    due = None
    if status == Status.QUEUED:
        due = (held_until(now) if quiet else None) or now

    message = Message(
        channel=channel,
        recipient=recipient,
        subject=(subject or "")[:200],
        body=body,
        template_code=template.code if template is not None else "",
        erase_after_sending=template is not None and template.erase_after_sending,
        quiet_hours=quiet,
        idempotency_key=idempotency_key,
        status=status,
        last_error=last_error,
        next_attempt_at=due,
        **_about(about),
    )
    # Fields only (lengths, choices). The check constraints hold by construction above and
    # `about_type` comes from the content-type cache; the database enforces both anyway, and
    # re-checking them cost five queries per message.
    message.full_clean(exclude=["about_type"], validate_unique=False, validate_constraints=False)
    return message


def _queued_entry(message: Message, about: models.Model) -> dict[str, Any]:
    """The audit entry of a new row, as `log_action`'s keyword arguments."""
    return {
        "actor": None,
        "action": {
            Status.QUEUED: "notify.message.queued",
            Status.CANCELLED: "notify.message.suppressed",
        }.get(message.status, "notify.message.failed"),
        "target": message,
        "subject": about,
        "data": _entry_data(message),
    }


def _entry_data(message: Message) -> dict[str, Any]:
    """What the timeline says of a message: its channel's name in both languages (the code
    as `channel_code`) and its template."""
    return {
        **both_languages("channel", Channel(message.channel).label),
        "channel_code": message.channel,
        "template": message.template_code,
    }


def _backoff(attempts: int) -> timedelta:
    base = int(setting("NOTIFY_RETRY_BASE_SECONDS"))
    seconds = min(base * 2 ** max(attempts - 1, 0), int(setting("NOTIFY_RETRY_MAX_SECONDS")))
    return timedelta(seconds=seconds)


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(minutes=int(setting("NOTIFY_SENDING_TIMEOUT_MINUTES")))


def message_claim(message_id: int, *, now: datetime | None = None) -> bool:
    """Atomically move one due row to "sending"; True only for the one caller that did.

    A single UPDATE … WHERE: on PostgreSQL a second worker waits for the first one's row lock,
    then re-checks the condition against the new row and matches nothing; SQLite serialises
    writers. Each claim counts as an attempt, so a message that kills its worker every time
    still stops after NOTIFY_MAX_ATTEMPTS.
    """
    now = now or timezone.now()
    due = Q(status__in=[Status.QUEUED, Status.FAILED], next_attempt_at__lte=now)
    stuck = Q(status=Status.SENDING, claimed_at__lt=_stale_before(now))
    held = held_until(now)
    if held is not None:
        # In the quiet hours a message kept to daytime is not sent, whoever asks (a retry, the
        # task of a message enqueued just before the window): it waits until they end.
        Message.objects.filter(due, pk=message_id, quiet_hours=True).update(next_attempt_at=held)
        due &= Q(quiet_hours=False)
        stuck &= Q(quiet_hours=False)
    return bool(
        Message.objects.filter(due | stuck, pk=message_id).update(
            status=Status.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            next_attempt_at=None,
        )
    )


def message_send(message_id: int) -> Message | None:
    """Send one message if it is due and this caller wins the claim; None otherwise (also for
    a queued row not due yet, such as one held for the quiet hours).

    Called by the worker outside any transaction. Records sent (with the provider's id),
    failed with a retry time after a temporary failure, or failed for good after a permanent
    one or the last attempt — logging `notify.message.failed` on the subject's timeline then.
    """
    if not message_claim(message_id):
        return None
    message = Message.objects.get(pk=message_id)
    backend = get_backend(message.channel)
    masked = mask_recipient(message.recipient)
    try:
        provider_message_id = backend.send(message)
    except Exception as exc:
        permanent = isinstance(exc, PermanentFailure)
        if isinstance(exc, DeliveryError):
            error = str(exc)
        else:
            # A bug or an unexpected library error: retried like a temporary failure.
            logger.exception("message %s: unexpected error in %s", message.public_id, backend.name)
            error = f"{type(exc).__name__}: {exc}"
        return _record_failure(message, backend.name, error[:1000], permanent=permanent)

    erased = {}
    if message.erase_after_sending:
        # A one-time code must not be readable in the outbox by anyone who can open it.
        with translation.override("ar"):
            erased = {"body": gettext("(The text of this message is not kept once sent.)")}
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        provider=backend.name,
        provider_message_id=(provider_message_id or "")[:120],
        last_error="",
        next_attempt_at=None,
        **erased,
    )
    logger.info(
        "message %s (%s) sent via %s to %s",
        message.public_id,
        message.template_code or "-",
        backend.name,
        masked,
    )
    message.refresh_from_db()
    return message


def _record_failure(message: Message, provider: str, error: str, *, permanent: bool) -> Message:
    final = permanent or message.attempts >= int(setting("NOTIFY_MAX_ATTEMPTS"))
    next_attempt = None if final else timezone.now() + _backoff(message.attempts)
    if next_attempt is not None and message.quiet_hours:
        next_attempt = held_until(next_attempt) or next_attempt
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
            status=Status.FAILED,
            provider=provider,
            last_error=error,
            next_attempt_at=next_attempt,
        )
        message.refresh_from_db()
        if final:
            _log_for_subject(message, "notify.message.failed", actor=None)
    logger.warning(
        "message %s (%s) failed via %s, attempt %s, %s",
        message.public_id,
        message.template_code or "-",
        provider,
        message.attempts,
        "stopped" if final else f"retry at {next_attempt:%H:%M:%S}",
    )
    return message


def _log_for_subject(message: Message, action: str, *, actor) -> None:
    log_action(**_subject_entry(message, action, actor, _subjects([message])))


def _subjects(messages: list[Message]) -> dict[tuple[int, str], models.Model]:
    """What the messages are about, keyed by (content type id, object id): one query per kind
    of subject, however many messages. A subject deleted since is simply missing."""
    wanted: dict[int, set[str]] = {}
    for message in messages:
        if message.about_type_id:
            wanted.setdefault(message.about_type_id, set()).add(message.about_id)
    found = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is not None:
            for pk, obj in model._default_manager.in_bulk(list(ids)).items():
                found[(type_id, str(pk))] = obj
    return found


def _subject_entry(message: Message, action: str, actor, subjects) -> dict[str, Any]:
    """The audit entry about a message, on its subject's timeline (the message's own when the
    subject is unknown), as `log_action`'s keyword arguments."""
    return {
        "actor": actor,
        "action": action,
        "target": message,
        "subject": subjects.get((message.about_type_id, message.about_id)),
        "data": _entry_data(message),
    }


def messages_sweep(*, now: datetime | None = None) -> list[int]:
    """Ids of the rows a worker should try now, oldest first; run by the periodic task.

    Queued rows younger than NOTIFY_SWEEP_GRACE_SECONDS are left to the task scheduled at
    commit. A row stuck in "sending" that has used all its attempts is marked failed here
    instead of being sent yet again. In the quiet hours, rows kept to daytime that come due
    are moved to the window's end and not handed out. A fixed number of queries however
    many rows it finds.
    """
    now = now or timezone.now()
    stale = _stale_before(now)
    max_attempts = int(setting("NOTIFY_MAX_ATTEMPTS"))
    stuck = Q(status=Status.SENDING, claimed_at__lt=stale)
    held = held_until(now)
    daytime = Q(quiet_hours=False) if held is not None else Q()
    if held is not None:
        Message.objects.filter(
            status__in=[Status.QUEUED, Status.FAILED], next_attempt_at__lte=now, quiet_hours=True
        ).update(next_attempt_at=held)
    with transaction.atomic():
        # Locked, and rows another sweep holds skipped: of two sweeps at once, one marks each
        # row and logs it once. (SQLite serialises the two transactions instead.)
        exhausted = list(
            Message.objects.select_for_update(skip_locked=True).filter(
                stuck, attempts__gte=max_attempts
            )
        )
        if exhausted:
            Message.objects.filter(stuck, pk__in=[m.pk for m in exhausted]).update(
                status=Status.FAILED,
                last_error="the worker stopped while sending; no attempts left",
                next_attempt_at=None,
            )
            subjects = _subjects(exhausted)
            log_actions(
                _subject_entry(message, "notify.message.failed", None, subjects)
                for message in exhausted
            )

    grace = now - timedelta(seconds=int(setting("NOTIFY_SWEEP_GRACE_SECONDS")))
    due = (
        Q(status=Status.QUEUED, next_attempt_at__lte=grace)
        | Q(status=Status.FAILED, next_attempt_at__lte=now)
        | stuck
    ) & daytime
    batch = int(setting("NOTIFY_SWEEP_BATCH"))
    return list(
        Message.objects.filter(due)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:batch]
    )


@transaction.atomic
def message_retry(*, actor, message: Message) -> Message:
    """Send a failed or cancelled message again, with a fresh set of attempts.

    Managers only. Logs `notify.message.retried`; the send happens after commit, or when the
    quiet hours end for a message kept to daytime.
    """
    if not permissions.can_manage_configuration(actor):
        raise PermissionDenied
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status not in (Status.FAILED, Status.CANCELLED):
        raise ValidationError(
            _("Only a failed or cancelled message can be sent again."), code="not_retryable"
        )
    now = timezone.now()
    held = held_until(now) if message.quiet_hours else None
    message.status = Status.QUEUED
    message.attempts = 0
    message.next_attempt_at = held or now
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    _log_for_subject(message, "notify.message.retried", actor=actor)
    if held is None:
        _schedule(message.pk)
    return message


@transaction.atomic
def message_cancel(*, actor, message: Message) -> Message:
    """Stop a message that has not been sent. Managers only. Logs `notify.message.cancelled`."""
    if not permissions.can_manage_configuration(actor):
        raise PermissionDenied
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status not in (Status.QUEUED, Status.FAILED):
        raise ValidationError(
            _("Only a queued or failed message can be cancelled."), code="not_cancellable"
        )
    message.status = Status.CANCELLED
    message.next_attempt_at = None
    message.save(update_fields=["status", "next_attempt_at"])
    _log_for_subject(message, "notify.message.cancelled", actor=actor)
    return message
