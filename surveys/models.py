"""Satisfaction surveys (P3.5, P3.7.3): what is asked, who is invited, what they answered, and
what the organisation did about it.

A survey is defined by the quality officer and asked after one kind of event (a decision told,
an aid delivery, a ticket resolved, a home visit, a reception visit). Its questions belong to a
version: once a version has been sent it is never edited, so every answer can be read against
the exact wording it answered; a change publishes the next version.

An invitation is one person asked once about one event. Its link carries a token derived from
the invitation (`surveys.tokens`); only a keyed hash of it is stored, so the table cannot be
used to answer for someone.

A response answered anonymously keeps no link to its invitation or the person: its primary key
is random and it records the day, not the time, so it cannot be joined back through ids or
timestamps. It keeps what results are reported by (stage, aid type, channel, branch, the staff
member who served, the Hijri month), and every result with a staff member's name needs at
least `SURVEYS["MIN_GROUP"]` answers to be shown at all.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import PublicIdModel, TimeStampedModel


class Event(models.TextChoices):
    """The process stage a survey follows (the "stage" results are grouped by)."""

    DECISION = "decision", _("Decision told")
    DELIVERY = "delivery", _("Aid delivered")
    TICKET = "ticket", _("Inquiry or complaint resolved")
    HOME_VISIT = "home_visit", _("Home visit")
    RECEPTION = "reception", _("Reception visit")


class SendChannel(models.TextChoices):
    """How an invitation reaches the person. PREFERRED follows the beneficiary's choice."""

    PREFERRED = "preferred", _("The person's preferred channel")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")


class Survey(TimeStampedModel):
    name_ar = models.CharField(_("Arabic name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    event = models.CharField(_("asked after"), max_length=12, choices=Event.choices)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only an active survey sends invitations.")
    )
    allow_anonymous = models.BooleanField(
        _("may be answered anonymously"),
        default=True,
        help_text=_("The person may choose that their answer is not linked to them."),
    )
    delay_hours = models.PositiveIntegerField(
        _("send after (hours)"),
        default=2,
        help_text=_("Hours after the event before the invitation is sent."),
    )
    channel = models.CharField(
        _("send by"), max_length=10, choices=SendChannel.choices, default=SendChannel.PREFERRED
    )
    reminder_after_hours = models.PositiveIntegerField(
        _("reminder after (hours)"),
        default=48,
        help_text=_("One reminder if there is no answer by then; 0 sends none."),
    )
    valid_days = models.PositiveSmallIntegerField(
        _("link valid for (days)"), default=7, help_text=_("After this the link no longer works.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["event", "name_ar"]
        constraints = [
            # One survey per event at a time: an event never sends two invitations.
            models.UniqueConstraint(
                fields=["event"], condition=Q(is_active=True), name="one_active_survey_per_event"
            ),
            models.CheckConstraint(condition=Q(valid_days__gte=1), name="survey_valid_days"),
        ]

    def __str__(self) -> str:
        return self.name_ar

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "ar").startswith("en") and self.name_en:
            return self.name_en
        return self.name_ar


class SurveyVersion(models.Model):
    """The questions of a survey as sent; frozen once `published_at` is set."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    intro_ar = models.TextField(_("Arabic introduction"), blank=True)
    intro_en = models.TextField(_("English introduction"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        ordering = ["survey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="unique_survey_version"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class QuestionKind(models.TextChoices):
    CSAT = "csat", _("Satisfaction, 1 to 5")
    NPS = "nps", _("Likelihood to recommend, 0 to 10")
    EFFORT = "effort", _("Ease, 1 (very hard) to 5 (very easy)")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One choice from a list")
    TEXT = "text", _("Free text")


# The inclusive range of each scored kind; the database checks answers against it.
SCALES = {
    QuestionKind.CSAT: (1, 5),
    QuestionKind.NPS: (0, 10),
    QuestionKind.EFFORT: (1, 5),
    QuestionKind.YES_NO: (0, 1),
}


class Question(models.Model):
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text_ar = models.CharField(_("Arabic wording"), max_length=300)
    text_en = models.CharField(_("English wording"), max_length=300, blank=True)
    # CHOICE only: one option per line, Arabic and English separated by " | ".
    options = models.TextField(_("options"), blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="question_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="choice") | ~Q(options=""), name="choice_question_has_options"
            ),
        ]

    def __str__(self) -> str:
        return self.text_ar

    @property
    def text(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "ar").startswith("en") and self.text_en:
            return self.text_en
        return self.text_ar

    def option_list(self) -> list[tuple[str, str]]:
        """(value, label) pairs of a CHOICE question; the value is the Arabic wording."""
        from django.utils.translation import get_language

        english = (get_language() or "ar").startswith("en")
        pairs = []
        for line in self.options.splitlines():
            if not line.strip():
                continue
            ar, _sep, en = line.partition("|")
            ar, en = ar.strip(), en.strip()
            pairs.append((ar, en if english and en else ar))
        return pairs


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired")
    SKIPPED = "skipped", _("Not sent")


class SkipReason(models.TextChoices):
    NONE = "", _("—")
    OPTED_OUT = "opted_out", _("The person asked not to be surveyed")
    NO_ADDRESS = "no_address", _("No mobile or e-mail to send to")
    RECENT = "recent", _("Asked recently about another service")


class Invitation(PublicIdModel, TimeStampedModel):
    """One person asked once about one event. Status moves only in `surveys.services`."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="+")
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary", on_delete=models.PROTECT, related_name="survey_invitations"
    )
    event = models.CharField(_("stage"), max_length=12, choices=Event.choices)
    # "<event>:<id of the delivery, ticket …>": one invitation per event, ever.
    event_key = models.CharField(max_length=60, unique=True)
    event_at = models.DateTimeField(_("event time"))
    # What the event was, for the staff list and the person's page (a request or ticket
    # reference); never personal data.
    subject_reference = models.CharField(_("about"), max_length=40, blank=True)
    # The dimensions results are reported by, fixed from the event.
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    service_channel = models.ForeignKey(
        "core.Channel",
        verbose_name=_("channel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    aid_type = models.ForeignKey(
        "assistance.AidType",
        verbose_name=_("aid type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("served by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    send_channel = models.CharField(
        _("sent by"), max_length=10, choices=SendChannel.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    skip_reason = models.CharField(max_length=12, choices=SkipReason.choices, blank=True)
    send_after = models.DateTimeField(_("send after"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"))
    # The day only: with the time, an anonymous answer could be matched to its invitation.
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-event_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(answered_on__isnull=False),
                name="answered_invitation_has_day",
            ),
            models.CheckConstraint(
                condition=~Q(status="skipped") | ~Q(skip_reason=""),
                name="skipped_invitation_has_reason",
            ),
        ]
        indexes = [
            # The dispatcher: what is due to be sent, and what is due a reminder.
            models.Index(fields=["status", "send_after"], name="invitation_due_idx"),
            models.Index(fields=["beneficiary", "status"], name="invitation_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.subject_reference}"

    @property
    def is_open(self) -> bool:
        return self.status in (InvitationStatus.PENDING, InvitationStatus.SENT) and (
            self.expires_at > timezone.now()
        )


class AnsweredVia(models.TextChoices):
    LINK = "link", _("The link in a message")
    PORTAL = "portal", _("The portal")
    STAFF = "staff", _("By phone, filled in by staff")


class Response(models.Model):
    """One completed survey. The scores of the first CSAT, NPS and effort questions are copied
    here so results over hundreds of thousands of answers are one grouped scan."""

    # Random, so anonymous answers cannot be ordered against invitations.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    # Empty when answered anonymously.
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="response"
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    via = models.CharField(_("answered through"), max_length=8, choices=AnsweredVia.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_on = models.DateField(_("answered on"))
    hijri_year = models.PositiveSmallIntegerField()
    hijri_month = models.PositiveSmallIntegerField()
    event = models.CharField(_("stage"), max_length=12, choices=Event.choices)
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    service_channel = models.ForeignKey(
        "core.Channel",
        verbose_name=_("channel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    aid_type = models.ForeignKey(
        "assistance.AidType",
        verbose_name=_("aid type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("served by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    csat = models.PositiveSmallIntegerField(null=True, blank=True)
    nps = models.PositiveSmallIntegerField(null=True, blank=True)
    effort = models.PositiveSmallIntegerField(null=True, blank=True)
    # The free-text answers joined, identity numbers and phones masked before storing.
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(invitation__isnull=True, recorded_by__isnull=True),
                name="anonymous_response_unlinked",
            ),
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__gte=1, csat__lte=5), name="response_csat"
            ),
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__lte=10), name="response_nps"
            ),
            models.CheckConstraint(
                condition=Q(effort__isnull=True) | Q(effort__gte=1, effort__lte=5),
                name="response_effort",
            ),
            models.CheckConstraint(
                condition=Q(hijri_month__gte=1, hijri_month__lte=12), name="response_hijri_month"
            ),
        ]
        indexes = [
            models.Index(fields=["answered_on"], name="response_day_idx"),
            models.Index(fields=["hijri_year", "hijri_month"], name="response_hijri_idx"),
            models.Index(fields=["branch", "answered_on"], name="response_branch_idx"),
            models.Index(fields=["staff", "answered_on"], name="response_staff_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.answered_on}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # Scored kinds (CSAT, NPS, effort, yes/no as 1/0) in `score`; choice and text in `text`.
    score = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_q"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=10),
                name="answer_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score if self.score is not None else self.text}"


# --- The closed loop (P3.7.5) ---------------------------------------------------------------


class FollowUpReason(models.TextChoices):
    LOW_SATISFACTION = "low_csat", _("Low satisfaction")
    DETRACTOR = "detractor", _("Would not recommend us")
    HARD = "hard", _("Found it hard")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONTACTED = "contacted", _("Person contacted")
    CLOSED = "closed", _("Closed")


class FollowUp(PublicIdModel, TimeStampedModel):
    """Opened by a low score, for the quality officer: understand what went wrong, call the
    person back where they gave their name, and close with what was done."""

    response = models.OneToOneField(Response, on_delete=models.PROTECT, related_name="follow_up")
    reason = models.CharField(_("reason"), max_length=10, choices=FollowUpReason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    outcome = models.TextField(_("what was done"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.ForeignKey(
        "ImprovementAction",
        verbose_name=_("improvement action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="closed_follow_up_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="follow_up_open_idx")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · {self.due_on}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ImprovementAction(PublicIdModel, TimeStampedModel):
    """What the organisation will change because of what beneficiaries said (P3.7.5)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    event = models.CharField(_("stage"), max_length=12, choices=Event.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="improvement_actions",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    result = models.TextField(_("result"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_at__isnull=False), name="done_action_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.title
