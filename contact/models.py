"""The contact centre (policy P2, P3.7.5, P4, P6.1): every contact on the eight channels, the
reception desk's visit log, and tickets — inquiries, complaints, suggestions and praise —
followed to closure with deadlines and escalation.

`Ticket.status` is assigned only in contact.services (one service per transition).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BilingualNameModel, PublicIdModel, TimeStampedModel

# --- Interactions (P4, P6.1) --------------------------------------------------------------


class Direction(models.TextChoices):
    INBOUND = "in", _("Incoming")
    OUTBOUND = "out", _("Outgoing")


class Platform(models.TextChoices):
    """Social-media platforms people in Saudi Arabia reach the waqf on."""

    X = "x", _("X (Twitter)")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SNAPCHAT = "snapchat", _("Snapchat")
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")
    FACEBOOK = "facebook", _("Facebook")
    OTHER = "other", _("Other")


class Interaction(PublicIdModel, TimeStampedModel):
    """One contact with a beneficiary or with someone not (yet) identified, on one channel.

    The columns after `summary` hold what a given channel needs (a call's duration, a
    platform and handle, a letter's reference, the representative or volunteer involved);
    which of them a channel requires is checked in the service, by the channel's code.
    """

    channel = models.ForeignKey(
        "core.Channel", verbose_name=_("channel"), on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.INBOUND
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("beneficiary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interactions",
    )
    # An unidentified person: what they gave, so they can be called back or identified later.
    person_name = models.CharField(_("name"), max_length=150, blank=True)
    person_phone = models.CharField(_("phone"), max_length=16, blank=True)
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)
    summary = models.TextField(_("summary"))
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    support_request = models.ForeignKey(
        "assistance.SupportRequest",
        verbose_name=_("support request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    # Channel details.
    duration_seconds = models.PositiveIntegerField(
        _("call duration (seconds)"), null=True, blank=True
    )
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices, blank=True)
    handle = models.CharField(_("account or handle"), max_length=100, blank=True)
    letter_reference = models.CharField(_("letter reference"), max_length=40, blank=True)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("branch representative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("relayed by volunteer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(beneficiary__isnull=False) | ~Q(person_name="") | ~Q(person_phone=""),
                name="interaction_has_person",
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "-occurred_at"], name="interaction_branch_idx"),
            models.Index(fields=["beneficiary", "-occurred_at"], name="interaction_benef_idx"),
            models.Index(fields=["channel", "-occurred_at"], name="interaction_channel_idx"),
            models.Index(fields=["-occurred_at", "-id"], name="interaction_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


class ReceptionVisit(PublicIdModel, TimeStampedModel):
    """A visitor at a branch's front desk (P6.1): arrival and service times, so waiting time
    and time given are known."""

    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("beneficiary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reception_visits",
    )
    visitor_name = models.CharField(_("visitor's name"), max_length=150, blank=True)
    visitor_phone = models.CharField(_("phone"), max_length=16, blank=True)
    purpose = models.CharField(_("purpose of the visit"), max_length=200)
    arrived_at = models.DateTimeField(_("arrived at"), default=timezone.now)
    served_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    left_at = models.DateTimeField(_("service ended at"), null=True, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("served by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The interview logged when the visit ends: the visit then shows on the timeline.
    interaction = models.OneToOneField(
        Interaction, null=True, blank=True, on_delete=models.SET_NULL, related_name="visit"
    )

    class Meta:
        verbose_name = _("reception visit")
        verbose_name_plural = _("reception visits")
        ordering = ["-arrived_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(beneficiary__isnull=False) | ~Q(visitor_name=""),
                name="visit_has_visitor",
            ),
            models.CheckConstraint(
                condition=Q(served_at__isnull=True) | Q(served_at__gte=models.F("arrived_at")),
                name="visit_served_after_arrival",
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True)
                | (Q(served_at__isnull=False) & Q(left_at__gte=models.F("served_at"))),
                name="visit_ends_after_service",
            ),
        ]
        indexes = [models.Index(fields=["branch", "-arrived_at"], name="visit_branch_idx")]

    def __str__(self) -> str:
        return self.purpose

    @property
    def waiting_seconds(self) -> int:
        """Time from arrival to the start of service; still counting while they wait."""
        end = self.served_at or timezone.now()
        return int((end - self.arrived_at).total_seconds())

    @property
    def service_seconds(self) -> int | None:
        if self.served_at and self.left_at:
            return int((self.left_at - self.served_at).total_seconds())
        return None


# --- Tickets (P2, P3.7.5) -----------------------------------------------------------------


class Kind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class TicketStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_PERSON = "awaiting_person", _("Waiting for the person")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (TicketStatus.NEW, TicketStatus.IN_PROGRESS, TicketStatus.AWAITING_PERSON)


class ReplyChannel(models.TextChoices):
    """How the person hears the answer: the outbox sends SMS and e-mail; a call or a letter is
    made by staff and recorded as an interaction."""

    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")
    LETTER = "letter", _("Letter")


class SuggestionOutcome(models.TextChoices):
    NONE = "", _("Not decided yet")
    ACCEPTED = "accepted", _("Accepted")
    IMPLEMENTED = "implemented", _("Implemented")
    DECLINED = "declined", _("Declined")


class TicketCategory(BilingualNameModel):
    """What a ticket is about, with its deadlines in business hours (working hours of working
    days, skipping the Friday–Saturday weekend and the holiday table)."""

    kind = models.CharField(
        _("for tickets of kind"),
        max_length=12,
        choices=Kind.choices,
        blank=True,
        help_text=_("Leave empty for a category that fits every kind."),
    )
    first_response_hours = models.PositiveSmallIntegerField(
        _("first response within (business hours)"), default=8
    )
    resolution_hours = models.PositiveSmallIntegerField(
        _("resolution within (business hours)"), default=40
    )
    about_staff = models.BooleanField(
        _("about a staff member"),
        default=False,
        help_text=_("Tickets in this category are seen only by the quality officer and managers."),
    )

    class Meta(BilingualNameModel.Meta):
        verbose_name = _("ticket category")
        verbose_name_plural = _("ticket categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_response_hours__lte=models.F("resolution_hours")),
                name="ticket_category_response_before_resolution",
            ),
        ]


class EscalationTrigger(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response overdue")
    RESOLUTION = "resolution", _("Resolution overdue")


class EscalationLevel(models.Model):
    """Who is told when a deadline passes, and how long after: level 1 tells the owner and the
    branch's managers at the deadline, level 2 a day later tells the quality officer, and so on.
    Rows without a category apply to every category."""

    category = models.ForeignKey(
        TicketCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="escalation_levels",
    )
    trigger = models.CharField(_("when"), max_length=16, choices=EscalationTrigger.choices)
    level = models.PositiveSmallIntegerField(_("level"))
    hours_after = models.PositiveSmallIntegerField(
        _("business hours after the deadline"), default=0
    )
    notify_roles = models.JSONField(
        _("roles told"), default=list, help_text=_('Role codes, e.g. ["manager"].')
    )
    notify_owner = models.BooleanField(_("tell the ticket's owner"), default=True)

    class Meta:
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation levels")
        ordering = ["trigger", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "trigger", "level"], name="escalation_level_unique"
            ),
            models.UniqueConstraint(
                fields=["trigger", "level"],
                condition=Q(category__isnull=True),
                name="escalation_level_default_unique",
            ),
            models.CheckConstraint(condition=Q(level__gte=1), name="escalation_level_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} {self.level}"


class TicketSequence(models.Model):
    """The last ticket number used in a Hijri year (TKT-<year>-<sequence>)."""

    hijri_year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.hijri_year}: {self.last}"


class Ticket(PublicIdModel, TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    category = models.ForeignKey(
        TicketCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TicketStatus.choices, default=TicketStatus.NEW
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    channel = models.ForeignKey(
        "core.Channel", verbose_name=_("channel"), on_delete=models.PROTECT, related_name="+"
    )
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("beneficiary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    # Someone not identified (a member of the public, an inbound message).
    person_name = models.CharField(_("name"), max_length=150, blank=True)
    person_phone = models.CharField(_("phone"), max_length=16, blank=True)
    person_email = models.EmailField(_("e-mail"), blank=True)
    reply_channel = models.CharField(
        _("answer by"), max_length=8, choices=ReplyChannel.choices, default=ReplyChannel.SMS
    )
    support_request = models.ForeignKey(
        "assistance.SupportRequest",
        verbose_name=_("support request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    # Complaints about staff are confidential (quality officer and managers only).
    about_staff = models.BooleanField(_("about a staff member"), default=False)
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_tickets",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Deadlines, fixed when the ticket is opened from its category (business hours).
    first_response_due = models.DateTimeField(_("first response due"))
    resolution_due = models.DateTimeField(_("resolution due"))
    first_responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    resolution = models.TextField(_("resolution"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=SuggestionOutcome.choices, blank=True
    )
    outcome_reason = models.TextField(_("reason for the outcome"), blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # When the escalation sweep must next look at this ticket (the next level's time on a
    # deadline still unmet), or null when nothing more can escalate. Kept by the services, so
    # the sweep finds its work with one range scan of a partial index instead of computing
    # business hours for every open ticket.
    next_escalation_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(beneficiary__isnull=False)
                | ~Q(person_name="")
                | ~Q(person_phone="")
                | ~Q(person_email=""),
                name="ticket_has_person",
            ),
            models.CheckConstraint(
                condition=Q(first_response_due__lte=models.F("resolution_due")),
                name="ticket_response_due_before_resolution",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(kind="suggestion"),
                name="ticket_outcome_only_for_suggestions",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="declined") | ~Q(outcome_reason=""),
                name="ticket_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"]) | Q(resolved_at__isnull=False),
                name="ticket_resolved_has_time",
            ),
        ]
        indexes = [
            # The queues: open tickets by deadline, per branch, per owner.
            models.Index(fields=["status", "resolution_due"], name="ticket_status_due_idx"),
            models.Index(fields=["branch", "status", "resolution_due"], name="ticket_branch_idx"),
            models.Index(fields=["owner", "status", "resolution_due"], name="ticket_owner_idx"),
            models.Index(fields=["beneficiary", "-created_at"], name="ticket_benef_idx"),
            models.Index(
                fields=["next_escalation_at"],
                condition=Q(next_escalation_at__isnull=False),
                name="ticket_escalation_due_idx",
            ),
            # The queues read open tickets by deadline (keyset on resolution_due, id). With
            # the status in the index predicate rather than its first column, PostgreSQL
            # walks the index in order and stops after a page, instead of sorting every open
            # ticket (an IN list of statuses defeats an ordered scan of the index above).
            models.Index(
                fields=["resolution_due", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="ticket_open_due_idx",
            ),
            models.Index(
                fields=["branch", "resolution_due", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="ticket_open_branch_due_idx",
            ),
            models.Index(
                fields=["owner", "resolution_due", "id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="ticket_open_owner_due_idx",
            ),
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(status__in=["resolved", "closed"]),
                name="ticket_done_recent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    NOTE = "note", _("Internal note")
    REPLY = "reply", _("Reply to the person")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    ESCALATED = "escalated", _("Escalated")
    OUTCOME = "outcome", _("Outcome of the suggestion")
    MESSAGE = "message", _("Message from the person")


class TicketEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Ticket history is insert-only.")

    def delete(self):
        raise TypeError("Ticket history is insert-only.")


class TicketEvent(models.Model):
    """The ticket's history, insert-only: status moves, assignments, notes, replies sent and
    escalations, each with who and when. A database trigger refuses UPDATE as well
    (migration 0002), as for core.ActivityLog."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=16, choices=TicketStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=TicketStatus.choices, blank=True)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = TicketEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="ticket_event_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Ticket history is insert-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ticket history is insert-only.")
