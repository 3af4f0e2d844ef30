"""Inviting people to rate a service, and recording what they said (P3.5, P3.7.3).

The dispatcher runs every few minutes (`surveys.tasks`): `invitations_create` turns the events
of each active survey into invitations, `invitations_send` sends those that are due on the
person's channel, `invitations_remind` sends the one reminder and `invitations_expire` closes
links past their date. Each step is idempotent: an event has one invitation (unique key) and a
message one outbox row (idempotency key), so running a step twice, or two workers at once,
sends nothing twice.

`response_submit` records an answer given through the link, the portal or by staff during a
call, and opens a follow-up for the quality officer when a score is low (the closed loop of
P3.7.5, handled in `surveys.quality`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Beneficiary
from core.activity import log_action, log_actions
from core.hijri import to_hijri
from core.text import mask_personal
from surveys import permissions
from surveys.events import events_between
from surveys.models import (
    SCALES,
    Answer,
    AnsweredVia,
    FollowUp,
    FollowUpReason,
    Invitation,
    InvitationStatus,
    Question,
    QuestionKind,
    Response,
    SendChannel,
    SkipReason,
    SurveyVersion,
)
from surveys.tokens import link_for, token_for, token_hash

INVITE_TEMPLATE = "survey.invite"
REMINDER_TEMPLATE = "survey.reminder"


def _conf(name: str) -> int:
    return int(settings.MUSTAFID["SURVEYS"][name])


def published_versions() -> dict[int, SurveyVersion]:
    """The version each active survey sends: its latest published one."""
    versions = (
        SurveyVersion.objects.filter(survey__is_active=True, published_at__isnull=False)
        .select_related("survey")
        .order_by("survey_id", "-number")
    )
    current: dict[int, SurveyVersion] = {}
    for version in versions:
        current.setdefault(version.survey_id, version)
    return current


# --- Dispatch -------------------------------------------------------------------------------


def invitations_create(*, now: datetime | None = None) -> int:
    """Invitations for the events of every active survey that happened at least the survey's
    delay ago and at most LOOKBACK_DAYS before that. A person who asked not to be surveyed,
    or was invited within MIN_DAYS_BETWEEN days, gets a row marked skipped with the reason, so
    the response rate counts only people we asked. Returns the number of new rows."""
    now = now or timezone.now()
    created = 0
    for version in published_versions().values():
        created += _create_for(version, now)
    return created


def _create_for(version: SurveyVersion, now: datetime) -> int:
    survey = version.survey
    end = now - timedelta(hours=survey.delay_hours)
    start = end - timedelta(days=_conf("LOOKBACK_DAYS"))
    rows = events_between(survey.event, start, end)
    if not rows:
        return 0
    taken = set(
        Invitation.objects.filter(event_key__in=[r["key"] for r in rows]).values_list(
            "event_key", flat=True
        )
    )
    rows = [r for r in rows if r["key"] not in taken]
    if not rows:
        return 0
    people = {r["beneficiary_id"] for r in rows}
    opted_out = set(
        Beneficiary.objects.filter(pk__in=people, accepts_surveys=False).values_list(
            "pk", flat=True
        )
    )
    recent_since = now - timedelta(days=_conf("MIN_DAYS_BETWEEN"))
    recent = set(
        Invitation.objects.filter(
            beneficiary_id__in=people,
            created_at__gte=recent_since,
            status__in=[
                InvitationStatus.PENDING,
                InvitationStatus.SENT,
                InvitationStatus.ANSWERED,
                InvitationStatus.EXPIRED,
            ],
        ).values_list("beneficiary_id", flat=True)
    )
    invitations = []
    for row in sorted(rows, key=lambda r: r["at"]):
        send_after = row["at"] + timedelta(hours=survey.delay_hours)
        invitation = Invitation(
            version=version,
            beneficiary_id=row["beneficiary_id"],
            event=survey.event,
            event_key=row["key"],
            event_at=row["at"],
            subject_reference=row["reference"][:40],
            branch_id=row["branch_id"],
            service_channel_id=row["channel_id"],
            aid_type_id=row["aid_type_id"],
            staff_id=row["staff_id"],
            send_after=send_after,
            expires_at=send_after + timedelta(days=survey.valid_days),
        )
        invitation.token_hash = token_hash(token_for(invitation.public_id))
        if row["beneficiary_id"] in opted_out:
            invitation.status, invitation.skip_reason = (
                InvitationStatus.SKIPPED,
                SkipReason.OPTED_OUT,
            )
        elif row["beneficiary_id"] in recent:
            _skip(invitation, SkipReason.RECENT)
        else:
            # Two events of one person in the same batch: ask about the first only.
            recent.add(row["beneficiary_id"])
        invitations.append(invitation)
    # ignore_conflicts: another worker may have created the same event's row meanwhile.
    Invitation.objects.bulk_create(invitations, ignore_conflicts=True)
    return len(invitations)


def _skip(invitation: Invitation, reason: str) -> None:
    invitation.status, invitation.skip_reason = InvitationStatus.SKIPPED, reason


def invitations_send(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send the invitations whose time has come, on the survey's channel or the person's
    preferred one, as SMS/WhatsApp/e-mail through the outbox (the templates keep to daytime
    hours). Logs `surveys.invitation.sent` on each person's file. Returns how many were sent."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Invitation.objects.select_for_update(skip_locked=True)
            .filter(status=InvitationStatus.PENDING, send_after__lte=now, expires_at__gt=now)
            .select_related("beneficiary", "version__survey")
            .order_by("send_after", "id")[:limit]
        )
        return _send(due, template_code=INVITE_TEMPLATE, now=now, reminder=False)


def invitations_remind(*, now: datetime | None = None, limit: int = 500) -> int:
    """One reminder for a sent invitation not answered within the survey's reminder delay,
    while its link is still valid."""
    now = now or timezone.now()
    with transaction.atomic():
        candidates = (
            Invitation.objects.select_for_update(skip_locked=True)
            .filter(
                status=InvitationStatus.SENT,
                reminded_at__isnull=True,
                expires_at__gt=now,
                version__survey__reminder_after_hours__gt=0,
            )
            .select_related("beneficiary", "version__survey")
            .order_by("sent_at", "id")
        )
        due = [
            i
            for i in candidates[: limit * 4]
            if i.sent_at + timedelta(hours=i.version.survey.reminder_after_hours) <= now
        ][:limit]
        return _send(due, template_code=REMINDER_TEMPLATE, now=now, reminder=True)


def _send(
    invitations: list[Invitation], *, template_code: str, now: datetime, reminder: bool
) -> int:
    from notify.services import Notice, beneficiary_address, message_enqueue_many

    by_channel: dict[str, list[tuple[Invitation, Notice]]] = {}
    skipped: list[Invitation] = []
    for invitation in invitations:
        person = invitation.beneficiary
        if not person.accepts_surveys:
            invitation.status, invitation.skip_reason = (
                InvitationStatus.SKIPPED,
                SkipReason.OPTED_OUT,
            )
            skipped.append(invitation)
            continue
        channel, recipient = _address(invitation, beneficiary_address)
        if not recipient:
            _skip(invitation, SkipReason.NO_ADDRESS)
            skipped.append(invitation)
            continue
        notice = Notice(
            recipient=recipient,
            context={
                "name": person.first_name,
                "link": link_for(invitation.public_id),
                "days": invitation.version.survey.valid_days,
                "about": invitation.get_event_display(),
            },
            idempotency_key=f"survey:{invitation.public_id}:{'reminder' if reminder else 'invite'}",
            about=person,
        )
        by_channel.setdefault(channel, []).append((invitation, notice))

    sent: list[Invitation] = []
    for channel, pairs in by_channel.items():
        message_enqueue_many(
            channel=channel, template_code=template_code, notices=[n for _, n in pairs]
        )
        for invitation, _notice in pairs:
            if reminder:
                invitation.reminded_at = now
            else:
                invitation.status, invitation.sent_at = InvitationStatus.SENT, now
                invitation.send_channel = channel
            sent.append(invitation)
    fields = ["status", "skip_reason", "sent_at", "reminded_at", "send_channel", "updated_at"]
    for invitation in sent + skipped:
        invitation.updated_at = now
    Invitation.objects.bulk_update(sent + skipped, fields)
    action = "surveys.invitation.reminded" if reminder else "surveys.invitation.sent"
    log_actions(
        {
            "actor": None,
            "action": action,
            "target": invitation,
            "subject": invitation.beneficiary,
            "data": {"event": invitation.event, "channel": invitation.send_channel},
        }
        for invitation in sent
    )
    return len(sent)


def _address(invitation: Invitation, preferred) -> tuple[str, str]:
    person = invitation.beneficiary
    channel = invitation.version.survey.channel
    if channel == SendChannel.PREFERRED:
        return preferred(person)
    if channel == SendChannel.EMAIL:
        return channel, person.email
    return channel, person.mobile


def invitations_expire(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return Invitation.objects.filter(
        status__in=[InvitationStatus.PENDING, InvitationStatus.SENT], expires_at__lte=now
    ).update(status=InvitationStatus.EXPIRED, updated_at=now)


# --- Answering ------------------------------------------------------------------------------


class LinkRefused(Exception):
    """The link is unknown, already used, expired or withdrawn. Which of these is never said:
    the person sees one page whatever the reason, so a guessed token learns nothing."""


def invitation_by_token(token: str) -> Invitation:
    """The open invitation a link's token belongs to, or LinkRefused."""
    if not token or len(token) > 100:
        raise LinkRefused
    invitation = (
        Invitation.objects.select_related("version__survey", "beneficiary")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise LinkRefused
    return invitation


@transaction.atomic
def response_submit(
    *,
    invitation: Invitation,
    answers: dict[int, Any],
    anonymous: bool,
    via: str,
    actor=None,
    today: date | None = None,
) -> Response:
    """Record one answer to an invitation; a second one is refused (the invitation row is
    locked, so two submissions at once record one).

    `answers` maps question ids to a score (CSAT, NPS, effort, yes/no as 1/0) or a text
    (choice, free text); the form has checked them, the database checks ranges again. An
    anonymous answer keeps no link to the invitation or the person (see models). `actor` is
    the staff member filling it in during a call (via STAFF), else None: the person, through
    the link or the portal. A low satisfaction, a detractor score or a hard experience opens a
    follow-up for the quality officer. Logs `surveys.invitation.answered` on the person's file
    (whether it was anonymous, never what was said)."""
    if via == AnsweredVia.STAFF:
        if actor is None or not permissions.can_record_answers(actor):
            raise PermissionDenied
        anonymous = False  # someone who said it to a staff member is not anonymous to us
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("version__survey", "beneficiary")
        .get(pk=invitation.pk)
    )
    if not invitation.is_open:
        raise LinkRefused
    survey = invitation.version.survey
    if anonymous and not survey.allow_anonymous:
        raise ValidationError(_("This survey cannot be answered anonymously."), code="anonymous")
    today = today or timezone.localdate()
    hijri = to_hijri(today)
    questions = list(invitation.version.questions.all())
    response = Response(
        version=invitation.version,
        invitation=None if anonymous else invitation,
        anonymous=anonymous,
        via=via,
        recorded_by=actor if via == AnsweredVia.STAFF else None,
        answered_on=today,
        hijri_year=hijri.year,
        hijri_month=hijri.month,
        event=invitation.event,
        branch_id=invitation.branch_id,
        service_channel_id=invitation.service_channel_id,
        aid_type_id=invitation.aid_type_id,
        staff_id=invitation.staff_id,
    )
    rows, texts = _answers(questions, answers, response)
    response.comment = mask_personal("\n".join(texts))[:4000]
    response.full_clean(exclude=["version", "branch"], validate_unique=False)
    response.save(force_insert=True)
    Answer.objects.bulk_create(rows)

    invitation.status = InvitationStatus.ANSWERED
    invitation.answered_on = today
    invitation.save(update_fields=["status", "answered_on", "updated_at"])
    log_action(
        actor=actor,
        action="surveys.invitation.answered",
        target=invitation,
        subject=invitation.beneficiary,
        data={"anonymous": anonymous, "answered_via": via},
    )
    _follow_up_if_low(response, today)
    return response


def _answers(
    questions: list[Question], answers: dict[int, Any], response: Response
) -> tuple[list[Answer], list[str]]:
    rows: list[Answer] = []
    texts: list[str] = []
    for question in questions:
        value = answers.get(question.pk)
        if value in (None, ""):
            if question.required:
                raise ValidationError(
                    _("Please answer: %(question)s"),
                    code="required",
                    params={"question": question.text},
                )
            continue
        if question.kind in SCALES:
            low, high = SCALES[question.kind]
            score = int(value)
            if not low <= score <= high:
                raise ValidationError(_("An answer is out of range."), code="range")
            rows.append(Answer(response=response, question=question, score=score))
            field = {"csat": "csat", "nps": "nps", "effort": "effort"}.get(question.kind)
            if field and getattr(response, field) is None:
                setattr(response, field, score)
        else:
            text = str(value).strip()[:2000]
            if question.kind == QuestionKind.CHOICE:
                if text not in {v for v, _label in question.option_list()}:
                    raise ValidationError(_("Choose one of the options."), code="choice")
            else:
                text = mask_personal(text)
                texts.append(text)
            rows.append(Answer(response=response, question=question, text=text))
    return rows, texts


def _follow_up_if_low(response: Response, today: date) -> FollowUp | None:
    reason = None
    if response.csat is not None and response.csat <= _conf("LOW_CSAT"):
        reason = FollowUpReason.LOW_SATISFACTION
    elif response.nps is not None and response.nps <= _conf("DETRACTOR_MAX"):
        reason = FollowUpReason.DETRACTOR
    elif response.effort is not None and response.effort <= 2:
        reason = FollowUpReason.HARD
    if reason is None:
        return None
    follow_up = FollowUp.objects.create(
        response=response,
        reason=reason,
        due_on=today + timedelta(days=_conf("FOLLOW_UP_DAYS")),
    )
    log_action(
        actor=None,
        action="surveys.follow_up.opened",
        target=follow_up,
        data={"reason": reason},
    )
    return follow_up


def survey_opt_out(*, invitation: Invitation) -> None:
    """The person, through their link, asks to be sent no more surveys: recorded on their file
    and every invitation not yet sent is withdrawn."""
    from beneficiaries.services import contact_preferences_set

    contact_preferences_set(actor=None, beneficiary=invitation.beneficiary, accepts_surveys=False)
    Invitation.objects.filter(
        beneficiary=invitation.beneficiary, status=InvitationStatus.PENDING
    ).update(
        status=InvitationStatus.SKIPPED,
        skip_reason=SkipReason.OPTED_OUT,
        updated_at=timezone.now(),
    )
