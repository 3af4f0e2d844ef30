"""Escalation of overdue tickets (P2: everything followed to closure).

The ladder: a ticket climbs one level at a time, and never comes down. Each deadline
(first response, resolution) has its own rows in `EscalationLevel` saying, for each level,
how many business hours after that deadline the level is reached and who is told. The next
level is reached at the earliest time any deadline still unmet gives for it: a ticket nobody
answered climbs on the first-response rows; once answered, only the resolution rows count.
Rows for a category replace the default rows (category empty) of the same deadline.

The services keep `Ticket.next_escalation_at` — the moment of the next level, or null when
no row is left or the ticket is not running (resolved, closed, or waiting for the person) —
so the sweep (`tickets_escalate`, every ten minutes) finds its work with one range scan of a
partial index, however many tickets are open.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from contact import permissions
from contact.models import (
    EscalationLevel,
    EscalationTrigger,
    EventKind,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from core.hijri import format_dual
from core.models import ActivityLog, Holiday
from core.sla import add_business_hours

ESCALATION_TEMPLATE = "ticket.escalated"
SWEEP_BATCH = 500  # tickets locked and escalated per transaction


@dataclass(frozen=True)
class Step:
    level: int
    trigger: str
    due_at: datetime
    rule: EscalationLevel


class Ladder:
    """The escalation rows, read once and looked up per category and deadline."""

    def __init__(self, rows: Iterable[EscalationLevel]) -> None:
        self._rows: dict[tuple[int | None, str], dict[int, EscalationLevel]] = defaultdict(dict)
        for row in rows:
            self._rows[(row.category_id, row.trigger)][row.level] = row

    @classmethod
    def load(cls) -> Ladder:
        return cls(EscalationLevel.objects.all())

    def rule(self, category_id: int | None, trigger: str, level: int) -> EscalationLevel | None:
        own = self._rows.get((category_id, trigger))
        rows = own if own else self._rows.get((None, trigger), {})
        return rows.get(level)


def all_holidays() -> set[date]:
    """Every holiday: a few dozen rows, read once per sweep instead of once per ticket."""
    return set(Holiday.objects.values_list("date", flat=True))


def next_step(
    ticket: Ticket, ladder: Ladder, *, holidays: Collection[date] | None = None
) -> Step | None:
    """The next level this ticket would reach, and when; None if it cannot climb further."""
    if ticket.status not in (TicketStatus.NEW, TicketStatus.IN_PROGRESS):
        return None
    level = ticket.escalation_level + 1
    deadlines = {EscalationTrigger.RESOLUTION: ticket.resolution_due}
    if ticket.first_responded_at is None:
        deadlines[EscalationTrigger.FIRST_RESPONSE] = ticket.first_response_due
    best: Step | None = None
    for trigger, deadline in deadlines.items():
        rule = ladder.rule(ticket.category_id, trigger, level)
        if rule is None:
            continue
        due = (
            deadline
            if rule.hours_after == 0
            else add_business_hours(deadline, rule.hours_after, holidays=holidays)
        )
        if best is None or due < best.due_at:
            best = Step(level, trigger, due, rule)
    return best


def schedule(ticket: Ticket, *, ladder: Ladder | None = None) -> None:
    """Set `next_escalation_at` from the ticket's state (the caller saves the ticket)."""
    step = next_step(ticket, ladder or Ladder.load())
    ticket.next_escalation_at = step.due_at if step else None


# --- Who is told ---------------------------------------------------------------------------


def _recipients(
    ticket: Ticket, rule: EscalationLevel, staff: dict[str, list[User]], owner: User | None
) -> list[User]:
    """The owner (if the level says so) and the staff of the level's roles who work in the
    ticket's branch or across the organisation. A complaint about staff goes only to the
    quality officer and managers, never to the staff member concerned."""
    confidential = ticket.about_staff or ticket.category.about_staff
    people: dict[int, User] = {}
    if rule.notify_owner and owner is not None:
        people[owner.pk] = owner
    for role in rule.notify_roles or []:
        for user in staff.get(role, []):
            if user.branch_id in (None, ticket.branch_id):
                people[user.pk] = user
    return [
        user
        for user in people.values()
        if user.is_active
        and user.email
        and user.pk != ticket.staff_member_id
        and (not confidential or permissions.can_see_staff_complaints(user))
    ]


def _staff_by_role(ladder_roles: set[str]) -> dict[str, list[User]]:
    staff: dict[str, list[User]] = defaultdict(list)
    if ladder_roles:
        for user in User.objects.filter(role__in=ladder_roles, is_active=True).exclude(email=""):
            staff[user.role].append(user)
    return staff


def ticket_url(ticket: Ticket) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("contact:ticket", args=[ticket.public_id])


def _ticket_url_pattern() -> str:
    """The ticket link with `{}` where the public id goes: one `reverse()` per sweep instead
    of one per line of every e-mail (tens of thousands after an outage)."""
    placeholder = uuid.UUID(int=0)
    return ticket_url(Ticket(public_id=placeholder)).replace(str(placeholder), "{}")


def _notice_lines(escalated: list[tuple[Ticket, Step]], url_pattern: str) -> str:
    """One line per ticket: reference, level, which deadline, link. Never a name or what the
    complaint says: the e-mail leaves the system."""
    lines = []
    for ticket, step in escalated:
        level = _("level %(n)d") % {"n": step.level}
        label = EscalationTrigger(step.trigger).label
        link = url_pattern.format(ticket.public_id)
        lines.append(f"- {ticket.reference} — {level} — {label} — {link}")
    return "\n".join(lines)


def _notify(by_user: dict[int, tuple[User, list[tuple[Ticket, Step]]]], now: datetime) -> None:
    """Queue one e-mail per person told, all in a fixed number of queries."""
    from notify.services import Notice, message_enqueue_many

    url_pattern = _ticket_url_pattern()
    with translation.override("ar"):
        when = f"{format_dual(timezone.localdate(now))} {timezone.localtime(now):%H:%M}"
        notices = []
        for user, escalated in by_user.values():
            # The same set of (ticket, level) gives the same key: a re-run sends nothing twice.
            digest = hashlib.sha256(
                ",".join(
                    f"{t.pk}:{s.level}" for t, s in sorted(escalated, key=lambda e: e[0].pk)
                ).encode()
            ).hexdigest()[:24]
            notices.append(
                Notice(
                    recipient=user.email,
                    context={
                        "count": len(escalated),
                        "date": when,
                        "items": _notice_lines(escalated, url_pattern),
                    },
                    idempotency_key=f"{ESCALATION_TEMPLATE}:{user.pk}:{digest}",
                )
            )
    message_enqueue_many(channel="email", template_code=ESCALATION_TEMPLATE, notices=notices)


def _save_steps(tickets: list[Ticket]) -> None:
    """Write each ticket's new level and next time, in one statement per batch.

    Not `bulk_update`: it builds a CASE WHEN per row and field, over a second of Python in a
    catch-up sweep of 7,000 tickets. PostgreSQL joins the rows to three arrays (one UPDATE);
    elsewhere (SQLite, in-process) one prepared UPDATE is run for each row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                'UPDATE "contact_ticket" SET "escalation_level" = v.level,'
                ' "next_escalation_at" = v.next_at'
                " FROM unnest(%s::bigint[], %s::smallint[], %s::timestamptz[])"
                ' AS v(id, level, next_at) WHERE "contact_ticket"."id" = v.id',
                [
                    [t.pk for t in tickets],
                    [t.escalation_level for t in tickets],
                    [t.next_escalation_at for t in tickets],
                ],
            )
        else:
            cursor.executemany(
                'UPDATE "contact_ticket" SET "escalation_level" = %s, "next_escalation_at" = %s'
                ' WHERE "id" = %s',
                [
                    (
                        t.escalation_level,
                        connection.ops.adapt_datetimefield_value(t.next_escalation_at),
                        t.pk,
                    )
                    for t in tickets
                ],
            )


# --- The sweep ------------------------------------------------------------------------------


def _escalate_batch(
    now: datetime, ladder: Ladder, holidays: set[date], staff: dict[str, list[User]]
) -> int:
    """Lock up to SWEEP_BATCH due tickets, climb each as far as it is due, record the
    events and the audit rows in bulk and queue one e-mail per person told. A constant number
    of queries per batch, however many tickets are due and people told."""
    with transaction.atomic():
        tickets = list(
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("category", "owner")
            .filter(
                next_escalation_at__lte=now,
                status__in=[TicketStatus.NEW, TicketStatus.IN_PROGRESS],
            )
            .order_by("next_escalation_at")[:SWEEP_BATCH]
        )
        if not tickets:
            return 0
        events: list[TicketEvent] = []
        audit: list[ActivityLog] = []
        by_user: dict[int, tuple[User, list[tuple[Ticket, Step]]]] = {}
        ticket_type = ContentType.objects.get_for_model(Ticket)
        beneficiary_type = None
        for ticket in tickets:
            step = next_step(ticket, ladder, holidays=holidays)
            # Catch up after an outage: each level due is reached (and told) in turn.
            while step is not None and step.due_at <= now:
                ticket.escalation_level = step.level
                events.append(
                    TicketEvent(
                        ticket=ticket,
                        kind=EventKind.ESCALATED,
                        created_at=now,
                        data={"level": step.level, "trigger": step.trigger},
                    )
                )
                if ticket.beneficiary_id and not (
                    ticket.about_staff or ticket.category.about_staff
                ):
                    if beneficiary_type is None:
                        from beneficiaries.models import Beneficiary

                        beneficiary_type = ContentType.objects.get_for_model(Beneficiary)
                    subject = (beneficiary_type, str(ticket.beneficiary_id))
                else:
                    subject = (ticket_type, str(ticket.pk))
                audit.append(
                    ActivityLog(
                        created_at=now,
                        action="contact.ticket.escalated",
                        target_type=ticket_type,
                        target_id=str(ticket.pk),
                        subject_type=subject[0],
                        subject_id=subject[1],
                        data={
                            "ticket": str(ticket.public_id),
                            "reference": ticket.reference,
                            "level": step.level,
                            "trigger": step.trigger,
                        },
                    )
                )
                for user in _recipients(ticket, step.rule, staff, ticket.owner):
                    by_user.setdefault(user.pk, (user, []))[1].append((ticket, step))
                step = next_step(ticket, ladder, holidays=holidays)
            ticket.next_escalation_at = step.due_at if step else None
        _save_steps(tickets)
        TicketEvent.objects.bulk_create(events)
        ActivityLog.objects.bulk_create(audit)
        _notify(by_user, now)
        return len(tickets)


def tickets_escalate(*, now: datetime | None = None) -> int:
    """Raise every ticket whose next escalation time has passed; run every ten minutes.

    For each such ticket: the level goes up (as many levels as are due), a TicketEvent
    `escalated` and an audit row `contact.ticket.escalated` are written per level, and the
    owner and the level's roles (see `_recipients`) get one e-mail per run listing the
    references reached — template `ticket.escalated`, no names, nothing of the content.

    Idempotent: the level and the next time are saved in the same transaction as the
    e-mails are queued, so a second run finds nothing due and a level is never told twice;
    rows locked by a concurrent run are skipped, not waited for. Returns the number of
    tickets escalated.
    """
    now = now or timezone.now()
    ladder = Ladder.load()
    holidays = all_holidays()
    roles = {
        role
        for row in EscalationLevel.objects.values_list("notify_roles", flat=True)
        for role in (row or [])
        if role in Role.values
    }
    staff = _staff_by_role(roles)
    total = 0
    while True:
        done = _escalate_batch(now, ladder, holidays, staff)
        total += done
        if done < SWEEP_BATCH:
            return total
