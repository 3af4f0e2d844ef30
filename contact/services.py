"""Every write of the contact centre: contacts, the reception desk, and tickets.

Tickets follow one service per transition — lock the row, check the move and the actor,
save, write the ticket's history (TicketEvent) and the audit log, notify through the outbox
(queued in the transaction, sent after commit). No other code assigns `Ticket.status`.

Complaints about staff are confidential (quality officer and managers only): their audit
rows are written against the ticket rather than the beneficiary, so no beneficiary timeline
ever shows them, and their notices go to nobody else.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Branch, Role
from contact import escalation, permissions
from contact.models import (
    Direction,
    EventKind,
    Interaction,
    Kind,
    Platform,
    Priority,
    ReceptionVisit,
    ReplyChannel,
    SuggestionOutcome,
    Ticket,
    TicketCategory,
    TicketEvent,
    TicketSequence,
    TicketStatus,
)
from core.activity import both_languages, log_action
from core.hijri import format_dual
from core.models import Channel
from core.sequences import next_in_hijri_year
from core.sla import add_business_hours
from core.validators import normalize_phone

# --- Shared helpers ---------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _channel(value) -> Channel:
    """A channel record, or its code (callers outside the app often hold only the code)."""
    if isinstance(value, Channel):
        return value
    try:
        return Channel.objects.get(code=value, is_active=True)
    except Channel.DoesNotExist as exc:
        raise ValidationError({"channel": _("Choose a channel.")}) from exc


def _phone(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return normalize_phone(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _email(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValidationError({field: _("Enter a valid e-mail address.")}) from exc
    local, at, domain = value.rpartition("@")
    return f"{local}{at}{domain.lower()}"


def _head_office() -> Branch:
    return Branch.objects.get(code="head-office")


def _in_scope(actor, branch_id: int) -> bool:
    return not (actor is not None and actor.branch_id and actor.branch_id != branch_id)


# --- Contacts (P4) ---------------------------------------------------------------------

# What each channel must record, by the channel's code (the channels are editable records;
# their codes are fixed by the data migration of core).
CHANNEL_DETAILS = {
    "phone": ("duration_seconds",),
    "social_media": ("platform", "handle"),
    "letter": ("letter_reference",),
    "branch_representative": ("representative",),
    "volunteer": ("volunteer",),
}
_DETAIL_FIELDS = (
    "duration_seconds",
    "platform",
    "handle",
    "letter_reference",
    "representative",
    "volunteer",
)
_TEXT_DETAILS = ("platform", "handle", "letter_reference")
MAX_CALL_SECONDS = 4 * 3600
# A contact logged "now" by a clock a little ahead of the server's is not in the future.
CLOCK_SKEW = timedelta(minutes=5)


def _channel_details(code: str, given: dict, actor) -> dict:
    """The channel's own fields, checked; fields of other channels are dropped so a contact
    never carries, say, a call duration for a letter."""
    needed = CHANNEL_DETAILS.get(code, ())
    details = {name: given.get(name) for name in _DETAIL_FIELDS if name in needed}
    # The actor is the representative or volunteer when they log their own contact.
    if code == "branch_representative" and actor.role == Role.BRANCH_REPRESENTATIVE:
        details["representative"] = details["representative"] or actor
    if code == "volunteer" and actor.role == Role.VOLUNTEER:
        details["volunteer"] = details["volunteer"] or actor
    errors = {}
    if code == "phone":
        seconds = details["duration_seconds"]
        if not seconds or seconds <= 0:
            errors["duration_seconds"] = _("Give the call's duration, e.g. 4:30.")
        elif seconds > MAX_CALL_SECONDS:
            errors["duration_seconds"] = _("A call of more than four hours? Check the duration.")
    if code == "social_media":
        if details["platform"] not in Platform.values:
            errors["platform"] = _("Choose the platform.")
        details["handle"] = (details["handle"] or "").strip()
        if not details["handle"]:
            errors["handle"] = _("Give the account or handle the person wrote from.")
    if code == "letter":
        details["letter_reference"] = (details["letter_reference"] or "").strip()
        if not details["letter_reference"]:
            errors["letter_reference"] = _("Give the letter's reference number.")
    if code == "branch_representative":
        rep = details["representative"]
        if rep is None or rep.role != Role.BRANCH_REPRESENTATIVE:
            errors["representative"] = _("Choose the branch representative.")
    if code == "volunteer":
        volunteer = details["volunteer"]
        if volunteer is None or volunteer.role != Role.VOLUNTEER:
            errors["volunteer"] = _("Choose the volunteer who relayed the contact.")
    if errors:
        raise ValidationError(errors)
    for name in _DETAIL_FIELDS:
        details.setdefault(name, "" if name in _TEXT_DETAILS else None)
    return details


@transaction.atomic
def interaction_log(
    *,
    actor,
    channel,
    subject: str,
    summary: str,
    direction: str = Direction.INBOUND,
    beneficiary=None,
    person_name: str = "",
    person_phone: str = "",
    occurred_at: datetime | None = None,
    support_request=None,
    branch=None,
    duration_seconds: int | None = None,
    platform: str = "",
    handle: str = "",
    letter_reference: str = "",
    representative=None,
    volunteer=None,
) -> Interaction:
    """Log one contact on one channel (P4), with what that channel needs.

    A volunteer logs only contacts of the volunteer channel, with the person's name and
    phone: volunteers never pick a registry file (not even by an exact number, which would
    tell them whether someone is a beneficiary); staff link such a contact to its file later
    (`interaction_identify`). Logs `contact.interaction.logged` against the beneficiary, so
    it shows on their timeline.
    """
    _require(permissions.can_log_contacts(actor))
    channel = _channel(channel)
    volunteer_only = not permissions.can_log_with_registry(actor)
    person_name = " ".join((person_name or "").split())
    person_phone = _phone(person_phone, "person_phone")
    if volunteer_only:
        if channel.code != permissions.VOLUNTEER_CHANNEL:
            raise ValidationError(
                {"channel": _("Volunteers log contacts of the volunteer channel.")}
            )
        if beneficiary is not None or support_request is not None:
            raise PermissionDenied
        errors = {}
        if not person_name:
            errors["person_name"] = _("Give the person's name.")
        if not person_phone:
            errors["person_phone"] = _("Give the person's phone, so staff can call back.")
        if errors:
            raise ValidationError(errors)
    if support_request is not None:
        if beneficiary is None:
            beneficiary = support_request.beneficiary
        elif support_request.beneficiary_id != beneficiary.pk:
            raise ValidationError(_("The request belongs to another beneficiary."))
    if beneficiary is not None and not _in_scope(actor, beneficiary.branch_id):
        raise PermissionDenied
    if beneficiary is None and not (person_name or person_phone):
        raise ValidationError(
            {"person_name": _("Choose the beneficiary or give the person's name or phone.")}
        )
    if beneficiary is not None:
        branch = beneficiary.branch
    elif actor.branch_id:
        branch = actor.branch
    elif branch is None:
        branch = _head_office()
    if not _in_scope(actor, branch.pk):
        raise PermissionDenied
    now = timezone.now()
    occurred_at = occurred_at or now
    if occurred_at > now + CLOCK_SKEW:
        raise ValidationError({"occurred_at": _("The time cannot be in the future.")})
    if direction not in Direction.values:
        raise ValidationError({"direction": _("Choose the direction.")})
    details = _channel_details(
        channel.code,
        {
            "duration_seconds": duration_seconds,
            "platform": platform,
            "handle": handle,
            "letter_reference": letter_reference,
            "representative": representative,
            "volunteer": volunteer,
        },
        actor,
    )
    interaction = Interaction(
        channel=channel,
        direction=direction,
        beneficiary=beneficiary,
        person_name=person_name,
        person_phone=person_phone,
        branch=branch,
        subject=" ".join((subject or "").split()),
        summary=(summary or "").strip(),
        occurred_at=occurred_at,
        recorded_by=actor,
        support_request=support_request,
        **details,
    )
    interaction.full_clean()
    interaction.save()
    _log_interaction(actor, "contact.interaction.logged", interaction)
    return interaction


def _log_interaction(actor, action: str, interaction: Interaction, **data) -> None:
    log_action(
        actor=actor,
        action=action,
        target=interaction,
        subject=interaction.beneficiary or interaction,
        data={
            "interaction": str(interaction.public_id),
            "subject": interaction.subject,
            "channel": interaction.channel.name_ar,
            "channel_en": interaction.channel.name_en,
            **both_languages("direction", Direction(interaction.direction).label),
            **data,
        },
    )


@transaction.atomic
def interaction_identify(*, actor, interaction: Interaction, beneficiary) -> Interaction:
    """Link a contact logged without a file (a volunteer's, an unknown caller's) to the
    beneficiary it turned out to be. Logs `contact.interaction.identified` on their file."""
    _require(permissions.can_log_with_registry(actor))
    if not (_in_scope(actor, interaction.branch_id) and _in_scope(actor, beneficiary.branch_id)):
        raise PermissionDenied
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    if interaction.beneficiary_id:
        raise ValidationError(_("This contact is already linked to a file."))
    interaction.beneficiary = beneficiary
    interaction.save(update_fields=["beneficiary", "updated_at"])
    _log_interaction(actor, "contact.interaction.identified", interaction)
    return interaction


# --- Reception (P6.1) -------------------------------------------------------------------


def _lock_visit(visit: ReceptionVisit) -> ReceptionVisit:
    return (
        ReceptionVisit.objects.select_for_update(of=("self",))
        .select_related("beneficiary", "branch")
        .get(pk=visit.pk)
    )


def _require_visit(actor, visit: ReceptionVisit) -> None:
    _require(permissions.can_run_reception(actor) and _in_scope(actor, visit.branch_id))


def _log_visit(actor, action: str, visit: ReceptionVisit, target=None, **data) -> None:
    log_action(
        actor=actor,
        action=action,
        target=target or visit,
        subject=visit.beneficiary or visit,
        data={"visit": str(visit.public_id), "purpose": visit.purpose, **data},
    )


@transaction.atomic
def visit_check_in(
    *,
    actor,
    purpose: str,
    beneficiary=None,
    visitor_name: str = "",
    visitor_phone: str = "",
    branch=None,
    arrived_at: datetime | None = None,
) -> ReceptionVisit:
    """A visitor arrives at the front desk: the waiting clock starts. The branch is the
    actor's (staff of every branch choose the desk). Logs `contact.visit.arrived`."""
    _require(permissions.can_run_reception(actor))
    if actor.branch_id:
        branch = actor.branch
    branch = branch or _head_office()
    if not _in_scope(actor, branch.pk):
        raise PermissionDenied
    if beneficiary is not None and not _in_scope(actor, beneficiary.branch_id):
        raise PermissionDenied
    visitor_name = " ".join((visitor_name or "").split())
    if beneficiary is None and not visitor_name:
        raise ValidationError(
            {"visitor_name": _("Choose the beneficiary or give the visitor's name.")}
        )
    now = timezone.now()
    arrived_at = arrived_at or now
    if arrived_at > now + CLOCK_SKEW:
        raise ValidationError({"arrived_at": _("The time cannot be in the future.")})
    visit = ReceptionVisit(
        branch=branch,
        beneficiary=beneficiary,
        visitor_name=visitor_name,
        visitor_phone=_phone(visitor_phone, "visitor_phone"),
        purpose=" ".join((purpose or "").split()),
        arrived_at=arrived_at,
        recorded_by=actor,
    )
    visit.full_clean()
    visit.save()
    _log_visit(actor, "contact.visit.arrived", visit)
    return visit


def _moment(at: datetime | None, earliest: datetime, field: str) -> datetime:
    """Now, or a time the desk gives when recording late (not in the future, not before the
    step it follows)."""
    now = timezone.now()
    if at is None:
        return max(now, earliest)
    if at > now + CLOCK_SKEW:
        raise ValidationError({field: _("The time cannot be in the future.")})
    if at < earliest:
        raise ValidationError({field: _("The time cannot be before the previous step.")})
    return at


@transaction.atomic
def visit_start(*, actor, visit: ReceptionVisit, at: datetime | None = None) -> ReceptionVisit:
    """The visitor is called in: the waiting time ends, served by the actor. `at` records a
    start noted late. Logs `contact.visit.served`."""
    _require_visit(actor, visit)
    visit = _lock_visit(visit)
    if visit.served_at is not None:
        raise ValidationError(_("This visitor is already being served."))
    visit.served_at = _moment(at, visit.arrived_at, "served_at")
    visit.served_by = actor
    visit.full_clean()
    visit.save()
    _log_visit(actor, "contact.visit.served", visit)
    return visit


@transaction.atomic
def visit_end(
    *,
    actor,
    visit: ReceptionVisit,
    summary: str,
    subject: str = "",
    at: datetime | None = None,
) -> ReceptionVisit:
    """The visit ends: the service time is known and the conversation is logged as an
    `interview` contact linked to the visit, so it shows on the beneficiary's timeline.
    `at` records an end noted late. Logs `contact.visit.ended` (with the waiting and
    service minutes)."""
    _require_visit(actor, visit)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Write what was discussed and done.")})
    visit = _lock_visit(visit)
    if visit.served_at is None:
        raise ValidationError(_("Start serving the visitor first."))
    if visit.left_at is not None:
        raise ValidationError(_("This visit has already ended."))
    visit.left_at = _moment(at, visit.served_at, "left_at")
    interaction = Interaction(
        channel=Channel.objects.get(code="interview"),
        direction=Direction.INBOUND,
        beneficiary=visit.beneficiary,
        person_name=visit.visitor_name,
        person_phone=visit.visitor_phone,
        branch=visit.branch,
        subject=" ".join((subject or visit.purpose).split())[:200],
        summary=summary,
        occurred_at=visit.served_at,
        recorded_by=actor,
    )
    interaction.full_clean()
    interaction.save()
    visit.interaction = interaction
    visit.full_clean()
    visit.save()
    _log_visit(
        actor,
        "contact.visit.ended",
        visit,
        target=interaction,
        wait=visit.waiting_seconds // 60,
        service=(visit.service_seconds or 0) // 60,
    )
    return visit


# --- Tickets: helpers -------------------------------------------------------------------

# How the person's own message is named in what we send them, by kind.
KIND_PHRASES = {
    Kind.INQUIRY: gettext_lazy("your inquiry"),
    Kind.COMPLAINT: gettext_lazy("your complaint"),
    Kind.SUGGESTION: gettext_lazy("your suggestion"),
    Kind.PRAISE: gettext_lazy("your message of thanks"),
}

# The moves of a ticket; reopening and the suggestion outcome have their own services.
TRANSITIONS: dict[str, set[str]] = {
    # A new ticket may be answered and resolved at once (an inquiry settled on the call).
    TicketStatus.NEW: {
        TicketStatus.IN_PROGRESS,
        TicketStatus.AWAITING_PERSON,
        TicketStatus.RESOLVED,
    },
    TicketStatus.IN_PROGRESS: {TicketStatus.AWAITING_PERSON, TicketStatus.RESOLVED},
    TicketStatus.AWAITING_PERSON: {TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED},
    TicketStatus.RESOLVED: {TicketStatus.CLOSED, TicketStatus.IN_PROGRESS},
    TicketStatus.CLOSED: {TicketStatus.IN_PROGRESS},
}


def category_save(*, category: TicketCategory) -> int:
    """Save a ticket category (its configuration screen is the admin).

    A category about staff makes every one of its tickets confidential in the same
    transaction, with one UPDATE: the queues filter on the ticket's own flag
    (`selectors.tickets_for`), so the row must say it. The flag is never cleared when a
    category stops being about staff: a complaint once confidential stays so. Returns the
    number of tickets newly made confidential."""
    with transaction.atomic():
        category.full_clean()
        category.save()
        if not category.about_staff:
            return 0
        return Ticket.objects.filter(category=category, about_staff=False).update(about_staff=True)


def is_confidential(ticket: Ticket) -> bool:
    """A complaint about staff, by its own flag or by its category's."""
    return bool(ticket.about_staff or ticket.category.about_staff)


def may_see_ticket(user, ticket: Ticket) -> bool:
    """The row-level rule of contact.selectors.tickets_for, for one loaded ticket."""
    from contact.selectors import tickets_for

    if not permissions.can_view_tickets(user):
        return False
    if user.branch_id and ticket.branch_id != user.branch_id:
        return False
    if ticket.staff_member_id and ticket.staff_member_id == user.pk:
        return False
    if is_confidential(ticket) and not permissions.can_see_staff_complaints(user):
        return False
    if user.role == Role.SOCIAL_RESEARCHER:
        return tickets_for(user).filter(pk=ticket.pk).exists()
    return True


def _require_ticket(actor, ticket: Ticket, predicate=permissions.can_handle_tickets) -> None:
    """The actor may act on this ticket: role and row. An outsider gets the same refusal as
    a wrong role; the views answer 404 before this for tickets the user cannot see."""
    _require(predicate(actor) and may_see_ticket(actor, ticket))


def _lock(ticket: Ticket) -> Ticket:
    """Re-read under a row lock: two officers acting at once serialise here."""
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("category", "beneficiary", "owner", "branch")
        .get(pk=ticket.pk)
    )


def _move(ticket: Ticket, to: str) -> str:
    if to not in TRANSITIONS.get(ticket.status, set()):
        raise ValidationError(
            _("This ticket is “%(status)s”; it cannot become “%(to)s”.")
            % {"status": ticket.get_status_display(), "to": TicketStatus(to).label}
        )
    before = ticket.status
    ticket.status = to
    return before


def _event(ticket: Ticket, kind: str, actor, *, before: str = "", body: str = "", **data):
    TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        created_at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=before,
        to_status=ticket.status if before else "",
        body=body,
        data=data,
    )


def _log(actor, action: str, ticket: Ticket, data: dict | None = None) -> None:
    subject = ticket.beneficiary if ticket.beneficiary_id and not is_confidential(ticket) else None
    log_action(
        actor=actor,
        action=action,
        target=ticket,
        subject=subject or ticket,
        data={"ticket": str(ticket.public_id), "reference": ticket.reference, **(data or {})},
    )


def _next_reference(on: date) -> str:
    year, number = next_in_hijri_year(TicketSequence, on)
    return f"TKT-{year}-{number:06d}"


def person_mobile(ticket: Ticket) -> str:
    if ticket.person_phone:
        return ticket.person_phone
    return ticket.beneficiary.mobile if ticket.beneficiary_id else ""


def person_email(ticket: Ticket) -> str:
    if ticket.person_email:
        return ticket.person_email
    return ticket.beneficiary.email if ticket.beneficiary_id else ""


def _due_text(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{format_dual(local.date())} {local:%H:%M}"


def _tell_person(ticket: Ticket, notice: str, key: str, **context) -> str:
    """Send `notice` to the person on their reply channel; returns how they were told.

    SMS and e-mail go through the outbox (templates `ticket.<notice>` and
    `ticket.<notice>_email`); a phone call or a letter is made by staff, so nothing is sent
    and the event records that the answer is given that way.
    """
    from notify.services import message_enqueue

    with translation.override("ar"):
        context = {
            "reference": ticket.reference,
            "kind": str(KIND_PHRASES[ticket.kind]),
            **{k: str(v) for k, v in context.items()},
        }
    if ticket.reply_channel == ReplyChannel.SMS:
        message_enqueue(
            channel="sms",
            recipient=person_mobile(ticket),
            template_code=f"ticket.{notice}",
            context=context,
            idempotency_key=f"ticket.{notice}:{key}",
            about=ticket,
        )
    elif ticket.reply_channel == ReplyChannel.EMAIL:
        message_enqueue(
            channel="email",
            recipient=person_email(ticket),
            template_code=f"ticket.{notice}_email",
            context=context,
            idempotency_key=f"ticket.{notice}_email:{key}",
            about=ticket,
        )
    return ticket.reply_channel


def _tell_owner(ticket: Ticket, actor) -> None:
    """E-mail the new owner (not when they took it themselves): reference, kind, deadline
    and link only."""
    from notify.services import message_enqueue

    owner = ticket.owner
    if owner is None or owner == actor or not owner.email:
        return
    with translation.override("ar"):
        context = {
            "reference": ticket.reference,
            "kind": str(Kind(ticket.kind).label),
            "due": _due_text(ticket.resolution_due),
            "url": escalation.ticket_url(ticket),
        }
    stamp = int(timezone.now().timestamp())
    message_enqueue(
        channel="email",
        recipient=owner.email,
        template_code="ticket.assigned",
        context=context,
        idempotency_key=f"ticket.assigned:{ticket.pk}:{owner.pk}:{stamp}",
        about=ticket,
    )


def _check_owner(owner, ticket: Ticket) -> None:
    """Who may own this ticket: a role that owns tickets, working in its branch (or across
    the organisation), never the staff member a complaint is about, and for a complaint
    about staff only the quality officer or a manager."""
    problem = None
    if not permissions.can_own_tickets(owner):
        problem = _("This person cannot own tickets.")
    elif owner.branch_id and owner.branch_id != ticket.branch_id:
        problem = _("This person works in another branch.")
    elif ticket.staff_member_id and owner.pk == ticket.staff_member_id:
        problem = _("A complaint cannot be owned by the staff member it is about.")
    elif is_confidential(ticket) and not permissions.can_see_staff_complaints(owner):
        problem = _("A complaint about staff is owned by the quality officer or a manager.")
    if problem:
        raise ValidationError({"owner": problem})


# --- Tickets: opening -------------------------------------------------------------------


@transaction.atomic
def ticket_open(
    *,
    actor,
    kind,
    category,
    subject,
    description,
    channel,
    branch=None,
    beneficiary=None,
    person_name="",
    person_phone="",
    person_email="",
    reply_channel=ReplyChannel.SMS,
    priority=Priority.NORMAL,
    support_request=None,
    interaction=None,
    about_staff=False,
    staff_member=None,
    owner=None,
) -> Ticket:
    """Open an inquiry, complaint, suggestion or praise and fix its deadlines (P2, P3.7.5).

    Called by the ticket screens, the inbox and the portal. `actor` is the staff member
    recording it, or None when the person opened it themselves through a self-service
    channel the caller has authenticated (the portal, the website form). `channel` and
    `category` may be records or their codes. The branch is the beneficiary's, else the
    actor's, else the head office. A complaint naming a staff member, or in a category about
    staff, is confidential (quality officer and managers only).

    Deadlines are counted in business hours from now by the category and never move
    afterwards. Logs `contact.ticket.opened` (and `.assigned` with an owner); the person gets
    an acknowledgement with the reference on their reply channel (SMS or e-mail) and the
    owner, if someone else, an e-mail.
    """
    if actor is not None:
        _require(permissions.can_handle_tickets(actor))
    channel = _channel(channel)
    if not isinstance(category, TicketCategory):
        category = TicketCategory.objects.filter(code=category).first()
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what kind of message this is.")})
    if category is None or not category.is_active:
        raise ValidationError({"category": _("Choose a category.")})
    if category.kind and category.kind != kind:
        raise ValidationError({"category": _("This category is for another kind of message.")})

    # Links: a request or a contact brings its beneficiary; all must agree.
    for linked in (support_request, interaction):
        if linked is not None and linked.beneficiary_id:
            if beneficiary is None:
                beneficiary = linked.beneficiary
            elif linked.beneficiary_id != beneficiary.pk:
                raise ValidationError(_("The linked records belong to different people."))
    if beneficiary is not None and not _in_scope(actor, beneficiary.branch_id):
        raise PermissionDenied
    if branch is None:
        if beneficiary is not None:
            branch = beneficiary.branch
        elif actor is not None and actor.branch_id:
            branch = actor.branch
        else:
            branch = _head_office()
    if not _in_scope(actor, branch.pk):
        raise PermissionDenied

    about_staff = bool(about_staff or category.about_staff)
    if staff_member is not None and kind == Kind.COMPLAINT:
        about_staff = True
    if about_staff and kind != Kind.COMPLAINT:
        raise ValidationError({"about_staff": _("Only a complaint can be about a staff member.")})
    if staff_member is not None and kind not in (Kind.COMPLAINT, Kind.PRAISE):
        raise ValidationError(
            {"staff_member": _("Name a staff member only in a complaint or a praise.")}
        )

    now = timezone.now()
    ticket = Ticket(
        kind=kind,
        category=category,
        priority=priority,
        subject=" ".join((subject or "").split()),
        description=(description or "").strip(),
        channel=channel,
        branch=branch,
        beneficiary=beneficiary,
        person_name=" ".join((person_name or "").split()),
        person_phone=_phone(person_phone, "person_phone"),
        person_email=_email(person_email, "person_email"),
        reply_channel=reply_channel,
        support_request=support_request,
        interaction=interaction,
        about_staff=about_staff,
        staff_member=staff_member,
        created_by=actor,
        created_at=now,
        first_response_due=add_business_hours(now, category.first_response_hours),
        resolution_due=add_business_hours(now, category.resolution_hours),
        reference="TKT-pending",
    )
    _check_reachable(ticket)
    if owner is not None:
        _check_owner(owner, ticket)
        ticket.owner = owner
        ticket.status = TicketStatus.IN_PROGRESS
    ticket.full_clean(exclude=["reference"])
    ticket.reference = _next_reference(timezone.localdate(now))
    escalation.schedule(ticket)
    ticket.save()
    _event(ticket, EventKind.OPENED, actor, body=ticket.description)
    data = both_languages("kind", Kind(kind).label)
    _log(actor, "contact.ticket.opened", ticket, data)
    if owner is not None:
        _event(ticket, EventKind.ASSIGNED, actor, owner=owner.display_name)
        _log(actor, "contact.ticket.assigned", ticket, {"owner": owner.display_name})
        _tell_owner(ticket, actor)
    _tell_person(ticket, "received", str(ticket.pk), due=_due_text(ticket.resolution_due))
    return ticket


def _check_reachable(ticket: Ticket) -> None:
    """Someone to answer, by the way they asked to be answered."""
    if not (
        ticket.beneficiary_id or ticket.person_name or ticket.person_phone or ticket.person_email
    ):
        raise ValidationError(
            {"person_name": _("Choose the beneficiary or give the person's name or phone.")}
        )
    if ticket.reply_channel not in ReplyChannel.values:
        raise ValidationError({"reply_channel": _("Choose how the person is answered.")})
    if ticket.reply_channel == ReplyChannel.SMS and not person_mobile(ticket):
        raise ValidationError({"person_phone": _("An answer by SMS needs a mobile number.")})
    if ticket.reply_channel == ReplyChannel.EMAIL and not person_email(ticket):
        raise ValidationError({"person_email": _("An answer by e-mail needs an address.")})
    if ticket.reply_channel == ReplyChannel.PHONE and not person_mobile(ticket):
        raise ValidationError({"person_phone": _("An answer by phone needs a number.")})


# --- Tickets: transitions ---------------------------------------------------------------


def _after_change(ticket: Ticket) -> None:
    """Recompute when the sweep must next look at the ticket, then save it."""
    escalation.schedule(ticket)
    ticket.full_clean()
    ticket.save()


@transaction.atomic
def ticket_assign(*, actor, ticket: Ticket, owner) -> Ticket:
    """Give the ticket an owner. Supervisors (quality officer, managers) assign anyone
    eligible; the current owner may hand it over; anyone who handles tickets may take an
    unassigned one (owner = themselves). A new ticket moves to "in progress".

    Logs `contact.ticket.assigned`; the new owner, if someone else, gets an e-mail.
    """
    _require_ticket(actor, ticket)
    ticket = _lock(ticket)
    if not ticket.is_open:
        raise ValidationError(_("Only an open ticket can be assigned."))
    taking = owner == actor and ticket.owner_id is None
    handing_over = ticket.owner_id == actor.pk
    _require(taking or handing_over or permissions.can_supervise_tickets(actor))
    if ticket.owner_id == owner.pk:
        raise ValidationError({"owner": _("This ticket is already theirs.")})
    _check_owner(owner, ticket)
    ticket.owner = owner
    before = ""
    if ticket.status == TicketStatus.NEW:
        before = _move(ticket, TicketStatus.IN_PROGRESS)
    _after_change(ticket)
    _event(ticket, EventKind.ASSIGNED, actor, before=before, owner=owner.display_name)
    _log(actor, "contact.ticket.assigned", ticket, {"owner": owner.display_name})
    _tell_owner(ticket, actor)
    return ticket


def ticket_take(*, actor, ticket: Ticket) -> Ticket:
    """The actor takes an unassigned ticket (see ticket_assign)."""
    return ticket_assign(actor=actor, ticket=ticket, owner=actor)


@transaction.atomic
def ticket_reply(*, actor, ticket: Ticket, body: str, article=None) -> Ticket:
    """Answer the person on their reply channel: SMS or e-mail through the outbox (templates
    `ticket.reply`, `ticket.reply_email`, the officer's text); for a phone call or a letter,
    record that the answer was given that way. The first answer sets `first_responded_at`,
    which ends the first-response deadline; an unassigned ticket becomes the replier's.

    `article` is a knowledge-base article whose text was inserted into the reply: its use is
    counted through knowledge.services.article_used. Logs `contact.ticket.replied`.
    """
    _require_ticket(actor, ticket)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the answer.")})
    ticket = _lock(ticket)
    if not ticket.is_open:
        raise ValidationError(_("Reopen the ticket before answering it."))
    before = ""
    if ticket.owner_id is None and permissions.can_own_tickets(actor):
        _check_owner(actor, ticket)
        ticket.owner = actor
    if ticket.status in (TicketStatus.NEW, TicketStatus.AWAITING_PERSON):
        before = _move(ticket, TicketStatus.IN_PROGRESS)
    first = ticket.first_responded_at is None
    if first:
        ticket.first_responded_at = timezone.now()
    _after_change(ticket)
    count = ticket.events.filter(kind=EventKind.REPLY).count() + 1
    how = _tell_person(ticket, "reply", f"{ticket.pk}:{count}", reply=body)
    data = {"channel": how, "first": first}
    if article is not None:
        data["article"] = str(article.public_id)
    _event(ticket, EventKind.REPLY, actor, before=before, body=body, **data)
    label = ReplyChannel(how).label
    _log(actor, "contact.ticket.replied", ticket, both_languages("channel", label))
    if article is not None:
        from knowledge.services import article_used

        article_used(actor=actor, article=article)
    return ticket


@transaction.atomic
def ticket_note(*, actor, ticket: Ticket, body: str) -> TicketEvent:
    """An internal note, never sent to the person. Researchers may note the tickets of
    their requests. Logs `contact.ticket.noted` (the text stays in the ticket's history)."""
    _require_ticket(actor, ticket, permissions.can_note_tickets)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    ticket = _lock(ticket)
    _event(ticket, EventKind.NOTE, actor, body=body)
    _log(actor, "contact.ticket.noted", ticket)
    return ticket.events.order_by("-pk").first()


@transaction.atomic
def ticket_wait(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    """Wait for the person (an answer, a document). Escalation pauses while waiting: the
    delay is not the staff's. Logs `contact.ticket.waiting`."""
    _require_ticket(actor, ticket)
    ticket = _lock(ticket)
    before = _move(ticket, TicketStatus.AWAITING_PERSON)
    _after_change(ticket)
    _event(ticket, EventKind.STATUS, actor, before=before, body=(note or "").strip())
    _log(actor, "contact.ticket.waiting", ticket)
    return ticket


@transaction.atomic
def ticket_resume(*, actor, ticket: Ticket, note: str) -> Ticket:
    """The person answered: record what they said and work on. The deadlines were fixed at
    opening, so a ticket past them escalates at the next sweep. Logs `contact.ticket.resumed`."""
    _require_ticket(actor, ticket)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write what the person answered.")})
    ticket = _lock(ticket)
    if ticket.status != TicketStatus.AWAITING_PERSON:
        raise ValidationError(_("This ticket is not waiting for the person."))
    before = _move(ticket, TicketStatus.IN_PROGRESS)
    _after_change(ticket)
    _event(ticket, EventKind.STATUS, actor, before=before, body=note)
    _log(actor, "contact.ticket.resumed", ticket)
    return ticket


@transaction.atomic
def ticket_resolve(*, actor, ticket: Ticket, resolution: str) -> Ticket:
    """Resolve with what was done, told to the person on their channel (templates
    `ticket.resolved`, `ticket.resolved_email`; by phone or letter, recorded as given).
    A suggestion is resolved by its outcome (`ticket_outcome`). Logs
    `contact.ticket.resolved`."""
    _require_ticket(actor, ticket)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Write how the matter was resolved.")})
    ticket = _lock(ticket)
    if ticket.kind == Kind.SUGGESTION:
        raise ValidationError(_("A suggestion is closed by recording its outcome."))
    return _resolve(actor, ticket, resolution)


def _resolve(actor, ticket: Ticket, resolution: str, **data) -> Ticket:
    before = _move(ticket, TicketStatus.RESOLVED)
    if ticket.owner_id is None and permissions.can_own_tickets(actor):
        _check_owner(actor, ticket)
        ticket.owner = actor
    now = timezone.now()
    ticket.resolution = resolution
    ticket.resolved_at = now
    # Resolving answers the person too, if nobody had yet.
    ticket.first_responded_at = ticket.first_responded_at or now
    _after_change(ticket)
    if ticket.kind != Kind.SUGGESTION:
        how = _tell_person(
            ticket,
            "resolved",
            f"{ticket.pk}:{ticket.reopened_count}",
            resolution=resolution,
        )
        data["channel"] = how
    _event(ticket, EventKind.STATUS, actor, before=before, body=resolution, **data)
    _log(actor, "contact.ticket.resolved", ticket)
    return ticket


@transaction.atomic
def ticket_outcome(*, actor, ticket: Ticket, outcome: str, reason: str = "") -> Ticket:
    """Record a suggestion's outcome and tell the person (templates `ticket.outcome`,
    `ticket.outcome_email`). Accepted keeps it open until implemented; implemented or
    declined (with a reason) resolves it. Logs `contact.ticket.outcome`."""
    _require_ticket(actor, ticket)
    reason = (reason or "").strip()
    if outcome not in {o for o in SuggestionOutcome.values if o}:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if outcome == SuggestionOutcome.DECLINED and not reason:
        raise ValidationError({"reason": _("Give the reason for declining the suggestion.")})
    ticket = _lock(ticket)
    if ticket.kind != Kind.SUGGESTION:
        raise ValidationError(_("Only a suggestion has an outcome."))
    if not ticket.is_open:
        raise ValidationError(_("Reopen the ticket before changing its outcome."))
    if ticket.outcome == outcome:
        raise ValidationError({"outcome": _("This outcome is already recorded.")})
    ticket.outcome = outcome
    ticket.outcome_reason = reason
    label = SuggestionOutcome(outcome).label
    key = f"{ticket.pk}:{ticket.reopened_count}:{outcome}"
    how = _tell_person(ticket, "outcome", key, outcome=label, reason=reason)
    _event(ticket, EventKind.OUTCOME, actor, body=reason, outcome=outcome, channel=how)
    _log(actor, "contact.ticket.outcome", ticket, both_languages("outcome", label))
    if outcome == SuggestionOutcome.ACCEPTED:
        if ticket.status == TicketStatus.NEW:
            before = _move(ticket, TicketStatus.IN_PROGRESS)
            _event(ticket, EventKind.STATUS, actor, before=before)
        ticket.first_responded_at = ticket.first_responded_at or timezone.now()
        _after_change(ticket)
        return ticket
    with translation.override("ar"):
        text = reason or str(label)
    return _resolve(actor, ticket, text)


@transaction.atomic
def ticket_close(*, actor, ticket: Ticket) -> Ticket:
    """Close a resolved ticket for good (it can still be reopened). Logs
    `contact.ticket.closed`."""
    _require_ticket(actor, ticket)
    ticket = _lock(ticket)
    before = _move(ticket, TicketStatus.CLOSED)
    ticket.closed_at = timezone.now()
    _after_change(ticket)
    _event(ticket, EventKind.STATUS, actor, before=before)
    _log(actor, "contact.ticket.closed", ticket)
    return ticket


@transaction.atomic
def ticket_reopen(*, actor, ticket: Ticket, reason: str) -> Ticket:
    """The person is not satisfied: a resolved or closed ticket goes back to work, counted.
    Deadlines are not moved (they are the promise made at opening), so a reopened ticket
    past them resumes its escalation where it stood. Logs `contact.ticket.reopened`."""
    _require_ticket(actor, ticket)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the ticket is reopened.")})
    ticket = _lock(ticket)
    if ticket.is_open:
        raise ValidationError(_("Only a resolved or closed ticket can be reopened."))
    before = _move(ticket, TicketStatus.IN_PROGRESS)
    ticket.reopened_count += 1
    ticket.resolved_at = None
    ticket.closed_at = None
    _after_change(ticket)
    _event(ticket, EventKind.STATUS, actor, before=before, body=reason)
    _log(actor, "contact.ticket.reopened", ticket, {"reason": reason})
    return ticket


# --- Tickets: the person writes (the portal) -------------------------------------------------

PERSON_MESSAGE_MAX = 5000


@transaction.atomic
def ticket_person_message(*, beneficiary, ticket: Ticket, text: str) -> TicketEvent:
    """The person adds a message to their own open ticket on the portal (no staff actor).

    Recorded in the ticket's history as a message event (with the status change when there
    is one), so staff see it beside the other steps and the person sees their own words. A
    ticket waiting for the person goes back to "in progress"; its deadlines do not move (they
    are the promise made at opening). Refused on a resolved or closed ticket, and for a ticket that
    is not the beneficiary's. Logs `contact.ticket.person_wrote` (no actor, `via: portal`);
    the owner, if any and with an e-mail address, is told by e-mail (template
    `ticket.person_wrote`: reference and link only).
    """
    if ticket.beneficiary_id is None or ticket.beneficiary_id != beneficiary.pk:
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your message.")})
    if len(text) > PERSON_MESSAGE_MAX:
        raise ValidationError(
            {
                "text": _("Your message is too long: at most %(max)d characters.")
                % {"max": PERSON_MESSAGE_MAX}
            }
        )
    ticket = _lock(ticket)
    if not ticket.is_open:
        raise ValidationError(
            {"text": _("This matter is closed. If you need more, send a new message.")}
        )
    before = ""
    if ticket.status == TicketStatus.AWAITING_PERSON:
        before = _move(ticket, TicketStatus.IN_PROGRESS)
        _after_change(ticket)
    _event(ticket, EventKind.MESSAGE, None, before=before, body=text, via="portal")
    event = ticket.events.order_by("-pk").first()
    _log(None, "contact.ticket.person_wrote", ticket, {"via": "portal"})
    owner = ticket.owner
    if owner is not None and owner.email:
        from notify.services import message_enqueue

        message_enqueue(
            channel="email",
            recipient=owner.email,
            template_code="ticket.person_wrote",
            context={"reference": ticket.reference, "url": escalation.ticket_url(ticket)},
            idempotency_key=f"ticket.person_wrote:{ticket.pk}:{event.pk}",
            about=ticket,
        )
    return event
