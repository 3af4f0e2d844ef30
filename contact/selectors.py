"""Reads of the contact centre, always scoped to the acting user; 404 to outsiders.

Tickets: a user tied to a branch sees that branch's; complaints about staff are seen only by
the quality officer and managers, and never by the staff member concerned; a social
researcher sees only the tickets linked to a request referred to them. Every list, count,
search and page goes through `tickets_for`, so no screen can forget one of these rules.

Contacts: branch-scoped like the registry; a volunteer sees only what they logged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import fmean
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Branch, Role, User
from contact import permissions
from contact.models import (
    OPEN_STATUSES,
    Interaction,
    ReceptionVisit,
    Ticket,
    TicketStatus,
)
from core import activity

# --- Keyset pagination ------------------------------------------------------------------


@dataclass
class KeysetPage:
    """One page of a list ordered by (column, pk): no OFFSET, no COUNT per request, so the
    hundredth page costs what the first does (DESIGN.md §6)."""

    object_list: list
    next_cursor: str
    is_first: bool
    total: int | None = None

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)


def _encode_cursor(value: datetime, pk: int) -> str:
    raw = f"{value.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        value, pk = raw.rsplit("|", 1)
        moment = parse_datetime(value)
        return (moment, int(pk)) if moment else None
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def keyset_page(
    qs: QuerySet, *, column: str, descending: bool, cursor: str, per_page: int
) -> KeysetPage:
    """The page after `cursor` (the first page for an empty or unreadable cursor).

    The condition `column <= v AND (column < v OR pk < id)` keeps a plain range on the
    indexed column, which both databases serve from the index, and breaks ties on pk.
    """
    after = _decode_cursor(cursor)
    sign = "-" if descending else ""
    qs = qs.order_by(f"{sign}{column}", f"{sign}pk")
    if after is not None:
        value, pk = after
        if descending:
            qs = qs.filter(
                Q(**{f"{column}__lte": value}) & (Q(**{f"{column}__lt": value}) | Q(pk__lt=pk))
            )
        else:
            qs = qs.filter(
                Q(**{f"{column}__gte": value}) & (Q(**{f"{column}__gt": value}) | Q(pk__gt=pk))
            )
    rows = list(qs[: per_page + 1])
    next_cursor = ""
    if len(rows) > per_page:
        rows = rows[:per_page]
        last = rows[-1]
        next_cursor = _encode_cursor(getattr(last, column), last.pk)
    return KeysetPage(rows, next_cursor, after is None)


def cached_count(qs: QuerySet, *, seconds: int = 300) -> int:
    """COUNT(*) of a filtered list, kept for a few minutes: a big list shows "about N"
    without counting a million rows on every page."""
    key = "contact:count:" + hashlib.sha256(str(qs.query).encode()).hexdigest()
    return cache.get_or_set(key, qs.order_by().count, seconds)


# --- Contacts ---------------------------------------------------------------------------


def interactions_for(user) -> QuerySet[Interaction]:
    if not permissions.can_view_contacts(user):
        return Interaction.objects.none()
    qs = Interaction.objects.all()
    if permissions.is_volunteer(user):
        return qs.filter(recorded_by=user)
    if user.branch_id:
        qs = qs.filter(branch_id=user.branch_id)
    return qs


def interaction_get(user, public_id) -> Interaction:
    try:
        return (
            interactions_for(user)
            .select_related(
                "channel", "beneficiary", "branch", "recorded_by", "representative", "volunteer"
            )
            .get(public_id=public_id)
        )
    except (Interaction.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def _local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def interaction_list(
    user,
    *,
    channel: str = "",
    branch: Branch | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    direction: str = "",
) -> QuerySet[Interaction]:
    """The contacts list's rows, filtered; the caller orders and pages (keyset)."""
    qs = interactions_for(user)
    if channel:
        qs = qs.filter(channel__code=channel)
    if branch is not None:
        qs = qs.filter(branch=branch)
    if direction:
        qs = qs.filter(direction=direction)
    if date_from:
        qs = qs.filter(occurred_at__gte=_local_day_start(date_from))
    if date_to:
        qs = qs.filter(occurred_at__lt=_local_day_start(date_to + timedelta(days=1)))
    return qs.select_related("channel", "beneficiary", "branch", "recorded_by")


def interaction_detail(user, interaction: Interaction) -> dict[str, Any]:
    return {
        "interaction": interaction,
        "tickets": list(
            tickets_for(user).filter(interaction=interaction).select_related("category")
        ),
        "visit": ReceptionVisit.objects.filter(interaction=interaction).first(),
    }


# --- Reception --------------------------------------------------------------------------


def visits_for(user, *, predicate=permissions.can_run_reception) -> QuerySet[ReceptionVisit]:
    """Visits of the user's branch (all branches for staff of every branch). The desk's
    staff work on them; `predicate` lets the quality officer read them for the averages."""
    if not predicate(user):
        return ReceptionVisit.objects.none()
    qs = ReceptionVisit.objects.all()
    if user.branch_id:
        qs = qs.filter(branch_id=user.branch_id)
    return qs


def visit_get(user, public_id) -> ReceptionVisit:
    try:
        return visits_for(user).select_related("branch", "beneficiary").get(public_id=public_id)
    except (ReceptionVisit.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def desk_branch(user, requested: str = "") -> Branch:
    """The branch whose desk is shown: the user's own, or (for staff of every branch) the one
    asked for, else the head office."""
    if user.branch_id:
        return user.branch
    if requested:
        branch = Branch.objects.filter(code=requested, is_active=True).first()
        if branch is not None:
            return branch
    return Branch.objects.get(code="head-office")


def desk(user, branch: Branch) -> dict[str, Any]:
    """Who is waiting and who is being served at a branch's desk today, in two queries."""
    now = timezone.now()
    today = _local_day_start(timezone.localdate())
    qs = visits_for(user).filter(branch=branch, left_at__isnull=True, arrived_at__gte=today)
    waiting = list(
        qs.filter(served_at__isnull=True).select_related("beneficiary").order_by("arrived_at")
    )
    serving = list(
        qs.filter(served_at__isnull=False)
        .select_related("beneficiary", "served_by")
        .order_by("served_at")
    )
    for visit in waiting:
        visit.waiting_minutes = int((now - visit.arrived_at).total_seconds() // 60)
    for visit in serving:
        visit.service_minutes = int((now - visit.served_at).total_seconds() // 60)
    done = visits_for(user).filter(branch=branch, arrived_at__gte=today, left_at__isnull=False)
    return {"waiting": waiting, "serving": serving, "served_today": done.count(), "now": now}


@dataclass
class VisitStats:
    day: date
    branch: str
    visits: int
    served: int
    avg_wait_minutes: float | None
    avg_service_minutes: float | None


MAX_STATS_DAYS = 92


def visit_stats(
    user, *, date_from: date, date_to: date, branch: Branch | None = None
) -> list[VisitStats]:
    """Average waiting and service time per day and branch (P6.1).

    Computed in Python from the period's three timestamps: a branch desk sees tens of
    visits a day, the period is capped at three months, and it keeps the arithmetic the same
    on both databases (interval averages differ between SQLite and PostgreSQL).
    """
    date_to = min(date_to, date_from + timedelta(days=MAX_STATS_DAYS - 1))
    qs = visits_for(user, predicate=permissions.can_view_reception_stats).filter(
        arrived_at__gte=_local_day_start(date_from),
        arrived_at__lt=_local_day_start(date_to + timedelta(days=1)),
    )
    if branch is not None:
        qs = qs.filter(branch=branch)
    rows = qs.values_list("branch_id", "arrived_at", "served_at", "left_at")
    groups: dict[tuple[date, int], list[tuple]] = {}
    for branch_id, arrived, served, left in rows:
        groups.setdefault((timezone.localdate(arrived), branch_id), []).append(
            (arrived, served, left)
        )
    names = {b.pk: b.name for b in Branch.objects.filter(pk__in={k[1] for k in groups})}
    stats = []
    for (day, branch_id), visits in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1])):
        waits = [(s - a).total_seconds() / 60 for a, s, _left in visits if s]
        services = [(lf - s).total_seconds() / 60 for _a, s, lf in visits if s and lf]
        stats.append(
            VisitStats(
                day=day,
                branch=names.get(branch_id, ""),
                visits=len(visits),
                served=len(waits),
                avg_wait_minutes=round(fmean(waits), 1) if waits else None,
                avg_service_minutes=round(fmean(services), 1) if services else None,
            )
        )
    return stats


# --- Tickets ----------------------------------------------------------------------------


def tickets_for(user) -> QuerySet[Ticket]:
    """Every ticket read starts here (see the module docstring for the rules)."""
    if not permissions.can_view_tickets(user):
        return Ticket.objects.none()
    qs = Ticket.objects.all()
    if user.branch_id:
        qs = qs.filter(branch_id=user.branch_id)
    if not permissions.can_see_staff_complaints(user):
        # The ticket's own flag, set when it is opened in a category about staff and when
        # its category becomes so (services.category_save): no join to the categories.
        qs = qs.filter(about_staff=False)
    # The staff member a complaint is about never sees it, whatever their role.
    qs = qs.filter(Q(staff_member__isnull=True) | ~Q(staff_member=user))
    if user.role == Role.SOCIAL_RESEARCHER:
        from assistance.models import Research

        qs = qs.filter(
            Exists(
                Research.objects.filter(request_id=OuterRef("support_request_id"), researcher=user)
            )
        )
    return qs


def ticket_get(user, public_id) -> Ticket:
    try:
        return (
            tickets_for(user)
            .select_related(
                "category",
                "channel",
                "branch",
                "beneficiary",
                "owner",
                "created_by",
                "staff_member",
                "support_request",
                "interaction",
            )
            .get(public_id=public_id)
        )
    except (Ticket.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def ticket_by_reference(user, reference: str) -> Ticket | None:
    """A ticket found by its reference, if the user may see it (the queue's search box)."""
    reference = (reference or "").strip().upper()
    if not reference.startswith("TKT-"):
        return None
    return tickets_for(user).filter(reference=reference).first()


QUEUE_VIEWS = ("open", "mine", "unassigned", "overdue", "closed")


def ticket_queue(
    user,
    *,
    view: str = "open",
    kind: str = "",
    category: str = "",
    status: str = "",
    now: datetime | None = None,
) -> QuerySet[Ticket]:
    """A queue's rows: open ones by deadline (the most urgent first); the caller pages."""
    now = now or timezone.now()
    qs = tickets_for(user)
    if view == "closed":
        qs = qs.filter(status__in=[TicketStatus.RESOLVED, TicketStatus.CLOSED])
    elif status in OPEN_STATUSES:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if view == "mine":
        qs = qs.filter(owner=user)
    elif view == "unassigned":
        qs = qs.filter(owner__isnull=True)
    elif view == "overdue":
        qs = qs.filter(resolution_due__lt=now)
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category__code=category)
    return qs.select_related("category", "owner", "branch", "beneficiary")


def queue_counts(user, *, now: datetime | None = None) -> dict[str, int]:
    """The numbers on the queue tabs, in one aggregate query over the user's tickets."""
    now = now or timezone.now()
    qs = tickets_for(user).filter(status__in=OPEN_STATUSES).order_by()
    return qs.aggregate(
        open=Count("pk"),
        mine=Count("pk", filter=Q(owner=user)),
        unassigned=Count("pk", filter=Q(owner__isnull=True)),
        overdue=Count("pk", filter=Q(resolution_due__lt=now)),
    )


def ticket_detail(user, ticket: Ticket) -> dict[str, Any]:
    """The ticket page: its history with actors, and the linked records the user may open."""
    events = list(ticket.events.select_related("actor"))
    linked_request = None
    if ticket.support_request_id:
        from assistance.selectors import requests_for

        linked_request = requests_for(user).filter(pk=ticket.support_request_id).first()
    linked_interaction = None
    if ticket.interaction_id:
        linked_interaction = interactions_for(user).filter(pk=ticket.interaction_id).first()
    beneficiary_visible = False
    if ticket.beneficiary_id:
        from beneficiaries.selectors import beneficiaries_for

        beneficiary_visible = beneficiaries_for(user).filter(pk=ticket.beneficiary_id).exists()
    return {
        "ticket": ticket,
        "events": events,
        "linked_request": linked_request,
        "linked_interaction": linked_interaction,
        "beneficiary_visible": beneficiary_visible,
        "timeline": list(activity.entries_for(ticket, limit=50)),
    }


def owner_choices(ticket: Ticket) -> QuerySet[User]:
    """Who may own this ticket (the same rule as services._check_owner, as a query)."""
    roles = (
        permissions.STAFF_COMPLAINT_READERS
        if ticket.about_staff or ticket.category.about_staff
        else permissions.TICKET_OWNERS
    )
    qs = User.objects.filter(is_active=True, role__in=roles).filter(
        Q(branch__isnull=True) | Q(branch_id=ticket.branch_id)
    )
    if ticket.staff_member_id:
        qs = qs.exclude(pk=ticket.staff_member_id)
    return qs.order_by("full_name", "username")


def staff_choices() -> QuerySet[User]:
    """Staff a complaint may be about: every active account with a role."""
    return User.objects.filter(is_active=True).exclude(role="").order_by("full_name", "username")


def beneficiary_tickets(user, beneficiary) -> list[Ticket]:
    """The beneficiary's tickets the user may see (for the file page)."""
    return list(
        tickets_for(user)
        .filter(beneficiary=beneficiary)
        .select_related("category")
        .order_by("-created_at")[:20]
    )


# --- The person's own tickets (the portal) --------------------------------------------------


def person_tickets(beneficiary) -> QuerySet[Ticket]:
    """The beneficiary's own tickets, newest first, whatever channel they came by. For the
    portal, where the beneficiary is the reader: no staff scoping applies, and the caller
    shows only what `person_ticket_history` returns about each."""
    return (
        Ticket.objects.filter(beneficiary=beneficiary)
        .select_related("category")
        .order_by("-created_at", "-id")
    )


def person_ticket_get(beneficiary, public_id) -> Ticket:
    """One of the beneficiary's tickets by its public id; 404 for anyone else's."""
    from django.core.exceptions import ValidationError

    try:
        return person_tickets(beneficiary).get(public_id=public_id)
    except (Ticket.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


@dataclass
class PersonEntry:
    """One step of a ticket as its person may see it: what they wrote, what we answered,
    how it ended. `who` is "person" or "us", never a staff member's name."""

    when: datetime
    who: str
    kind: str  # "message", "reply", "resolved", "outcome", "closed", "reopened"
    text: str = ""
    channel: str = ""  # how an answer reached them: a ReplyChannel value
    outcome: str = ""  # a SuggestionOutcome value


def person_ticket_history(ticket: Ticket) -> list[PersonEntry]:
    """The ticket's history cut to what the person may see: their own messages, the answers
    sent to them, the resolution, a suggestion's outcome and the closing. Internal notes,
    assignments, escalations, waiting notes, reopening reasons and every staff name are
    left out (a complaint about staff must not reveal how it is handled). The opening text
    is the ticket's description, shown by the page itself."""
    from contact.models import EventKind, Kind

    entries: list[PersonEntry] = []
    events = ticket.events.exclude(
        kind__in=[EventKind.NOTE, EventKind.ASSIGNED, EventKind.ESCALATED, EventKind.OPENED]
    ).only("kind", "created_at", "to_status", "from_status", "body", "data")
    for event in events:
        data = event.data or {}
        if event.kind == EventKind.REPLY:
            entries.append(
                PersonEntry(
                    event.created_at, "us", "reply", event.body, channel=data.get("channel", "")
                )
            )
        elif event.kind == EventKind.OUTCOME:
            entries.append(
                PersonEntry(
                    event.created_at,
                    "us",
                    "outcome",
                    event.body,
                    outcome=data.get("outcome", ""),
                )
            )
        elif event.kind == EventKind.MESSAGE:
            entries.append(PersonEntry(event.created_at, "person", "message", event.body))
        elif event.kind == EventKind.STATUS:
            if event.to_status == TicketStatus.RESOLVED:
                # A suggestion is resolved by its outcome, whose entry already says why.
                text = "" if ticket.kind == Kind.SUGGESTION else event.body
                entries.append(
                    PersonEntry(
                        event.created_at, "us", "resolved", text, channel=data.get("channel", "")
                    )
                )
            elif event.to_status == TicketStatus.CLOSED:
                entries.append(PersonEntry(event.created_at, "us", "closed"))
            elif event.to_status == TicketStatus.IN_PROGRESS and event.from_status in (
                TicketStatus.RESOLVED,
                TicketStatus.CLOSED,
            ):
                entries.append(PersonEntry(event.created_at, "us", "reopened"))
    return entries


# --- Events a satisfaction survey follows (read by surveys.events; keys documented there) ---


def tickets_resolved_between(start: datetime, end: datetime) -> list[dict]:
    """Resolved tickets of identified beneficiaries (someone unidentified has no file to
    record the opt-out on, so is not surveyed)."""
    rows = Ticket.objects.filter(
        resolved_at__gte=start, resolved_at__lt=end, beneficiary__isnull=False
    ).values(
        "pk",
        "resolved_at",
        "beneficiary_id",
        "branch_id",
        "channel_id",
        "owner_id",
        "reference",
    )
    return [
        {
            "key": f"ticket:{r['pk']}",
            "at": r["resolved_at"],
            "beneficiary_id": r["beneficiary_id"],
            "branch_id": r["branch_id"],
            "channel_id": r["channel_id"],
            "aid_type_id": None,
            "staff_id": r["owner_id"],
            "reference": r["reference"],
        }
        for r in rows
    ]


def reception_visits_ended_between(start: datetime, end: datetime) -> list[dict]:
    rows = ReceptionVisit.objects.filter(
        left_at__gte=start, left_at__lt=end, beneficiary__isnull=False
    ).values(
        "pk", "left_at", "beneficiary_id", "branch_id", "served_by_id", "interaction__channel_id"
    )
    return [
        {
            "key": f"reception:{r['pk']}",
            "at": r["left_at"],
            "beneficiary_id": r["beneficiary_id"],
            "branch_id": r["branch_id"],
            "channel_id": r["interaction__channel_id"],
            "aid_type_id": None,
            "staff_id": r["served_by_id"],
            "reference": "",
        }
        for r in rows
    ]
