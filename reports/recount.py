"""Rebuild the daily figures (reports.models) from the feature apps' rows.

Why a recount rather than live counts: the dashboard must answer in half a second for any
period, and over 1,000,000 contacts, 300,000 tickets and 200,000 requests the live aggregates
of one year cost more than that on PostgreSQL; summed per day they are a few thousand rows a
month. The figures are as of the last recount (the pages say when), which reports.tasks runs
every five minutes; the lists behind a number stay live.

Each source below is an ORM query grouped by the day and the dimensions of its table; its
rows go into the table with one INSERT … SELECT, so nothing passes through Python. A key
may get rows from more than one source (a request's stage, its first final decision and
whether it still awaits one are three queries, each evaluating its subquery once); pages
sum the rows of a key, so that is the same as one row.

At 200,000 requests, 300,000 tickets, 1,000,000 contacts and 450,000 survey invitations a
recount takes about 20 seconds of the database on two cores (bench/reports.py prints it).

The definitions are the ones in reports.selectors' docstring.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Sum, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from assistance.models import AWAITING_DECISION, AgendaItem, Outcome, SupportRequest
from contact.models import Interaction, Kind, Ticket
from reports.models import (
    AnswerFigures,
    ContactFigures,
    InvitationFigures,
    Recount,
    RequestFigures,
    TicketFigures,
)
from reports.selectors import FINAL_OUTCOMES, duration_between
from surveys.models import Invitation, InvitationStatus, Response

FIGURE_TABLES = (RequestFigures, TicketFigures, ContactFigures, InvitationFigures, AnswerFigures)
NPS_DETRACTOR_MAX = 6  # NPS's own definition: detractors answer 0–6, promoters 9–10


@dataclass(frozen=True)
class Source:
    """One grouped query and the table columns its aliases fill (`column: alias`)."""

    model: type[models.Model]
    queryset: QuerySet
    columns: dict[str, str]
    constants: dict[str, Any] = field(default_factory=dict)


def _grouped(
    model,
    qs: QuerySet,
    dims: dict[str, Any],
    aggregates: dict[str, Any],
    *,
    by_category: bool | None,
    category_path: str = "beneficiary__categories",
) -> Source:
    """`qs` grouped by `dims` (column → expression) — and by each category of the
    beneficiary when `by_category` — with `aggregates` (column → aggregate). `by_category`
    None: a table without categories."""
    dims = dict(dims)
    if by_category:
        dims["category_id"] = F(category_path)
    alias = {column: f"f_{column}" for column in (*dims, *aggregates)}
    grouped = (
        qs.values(**{alias[c]: e for c, e in dims.items()})
        .annotate(**{alias[c]: a for c, a in aggregates.items()})
        .order_by()
    )
    constants = {} if by_category is None else {"by_category": by_category}
    return Source(model, grouped, alias, constants)


def _twice(model, qs, dims, aggregates, category_path="beneficiary__categories") -> list[Source]:
    """The totals and the per-category rows of one query (reports.models.ByCategory)."""
    return [
        _grouped(model, qs, dims, aggregates, by_category=flag, category_path=category_path)
        for flag in (False, True)
    ]


def _request_sources(today: date) -> list[Source]:
    requests = SupportRequest.objects.filter(submitted_at__isnull=False)
    dims = {
        "day": TruncDate("submitted_at"),
        "branch_id": F("branch_id"),
        "channel_id": F("channel_id"),
        "status": F("status"),
    }
    # The committee's first final decision on each request: a final item with no earlier
    # final item on the same request (the same anti-join as the drill-down's definition).
    earlier = AgendaItem.objects.filter(
        request_id=OuterRef("request_id"), outcome__in=FINAL_OUTCOMES
    ).filter(
        Q(decided_at__lt=OuterRef("decided_at"))
        | Q(decided_at=OuterRef("decided_at"), pk__lt=OuterRef("pk"))
    )
    first_finals = AgendaItem.objects.filter(
        outcome__in=FINAL_OUTCOMES, request__submitted_at__isnull=False
    ).exclude(Exists(earlier))
    # The decisions' and the waiting requests' rows leave the stage empty: nothing breaks
    # them down by stage, and fewer keys make fewer rows to sum.
    decision_dims = {
        "day": TruncDate("request__submitted_at"),
        "branch_id": F("request__branch_id"),
        "channel_id": F("request__channel_id"),
    }
    final = AgendaItem.objects.filter(request_id=OuterRef("pk"), outcome__in=FINAL_OUTCOMES)
    awaiting = requests.filter(status__in=AWAITING_DECISION).exclude(Exists(final))
    sources = _twice(RequestFigures, requests, dims, {"requests": Count("*")})
    sources += _twice(
        RequestFigures,
        first_finals,
        decision_dims,
        {
            "decided": Count("*"),
            "approved": Count("pk", filter=Q(outcome=Outcome.APPROVED)),
            "on_time": Count(
                "pk", filter=Q(decided_at__date__lte=F("request__expected_decision_date"))
            ),
            "decision_time": Sum(duration_between("decided_at", "request__submitted_at")),
        },
        category_path="request__beneficiary__categories",
    )
    sources += _twice(
        RequestFigures,
        awaiting,
        {column: dims[column] for column in ("day", "branch_id", "channel_id")},
        {
            "overdue": Count("pk", filter=Q(expected_decision_date__lt=today)),
            "waiting": Count("pk", filter=Q(expected_decision_date__gte=today)),
        },
    )
    return sources


def _ticket_sources(now: datetime) -> list[Source]:
    responded = Q(first_responded_at__isnull=False)
    resolved = Q(resolved_at__isnull=False)
    dims = {
        "day": TruncDate("created_at"),
        "branch_id": F("branch_id"),
        "channel_id": F("channel_id"),
        "kind": F("kind"),
        # Only complaints are broken down by category (complaints by category).
        "ticket_category_id": Case(When(kind=Kind.COMPLAINT, then=F("category_id"))),
        "about_staff": F("about_staff"),
        "staff_member_id": F("staff_member_id"),
    }
    aggregates = {
        "tickets": Count("*"),
        "with_owner": Count("pk", filter=Q(owner__isnull=False)),
        "responded": Count("pk", filter=responded),
        "responded_on_time": Count(
            "pk", filter=responded & Q(first_responded_at__lte=F("first_response_due"))
        ),
        "response_measured": Count("pk", filter=responded | Q(first_response_due__lt=now)),
        "response_time": Sum(
            duration_between("first_responded_at", "created_at"), filter=responded
        ),
        "resolved": Count("pk", filter=resolved),
        "resolved_on_time": Count("pk", filter=resolved & Q(resolved_at__lte=F("resolution_due"))),
        "resolution_measured": Count("pk", filter=resolved | Q(resolution_due__lt=now)),
        "resolution_time": Sum(duration_between("resolved_at", "created_at"), filter=resolved),
        "suggestions_with_outcome": Count("pk", filter=Q(kind=Kind.SUGGESTION) & ~Q(outcome="")),
    }
    return _twice(TicketFigures, Ticket.objects.all(), dims, aggregates)


def _contact_sources() -> list[Source]:
    dims = {
        "day": TruncDate("occurred_at"),
        "branch_id": F("branch_id"),
        "channel_id": F("channel_id"),
    }
    return _twice(ContactFigures, Interaction.objects.all(), dims, {"contacts": Count("*")})


def _survey_sources() -> list[Source]:
    invitation_dims = {
        "day": TruncDate("sent_at"),
        "branch_id": F("branch_id"),
        "channel_id": F("service_channel_id"),
    }
    sources = _twice(
        InvitationFigures,
        Invitation.objects.filter(sent_at__isnull=False),
        invitation_dims,
        {
            "sent": Count("*"),
            "answered": Count("pk", filter=Q(status=InvitationStatus.ANSWERED)),
        },
    )
    answers = _grouped(
        AnswerFigures,
        Response.objects.all(),
        {
            "day": F("answered_on"),
            "branch_id": F("branch_id"),
            "channel_id": F("service_channel_id"),
            "hijri_year": F("hijri_year"),
            "hijri_month": F("hijri_month"),
        },
        {
            "answers": Count("*"),
            "csat_n": Count("csat"),
            "csat_sum": Sum("csat"),
            "nps_n": Count("nps"),
            "promoters": Count("pk", filter=Q(nps__gte=9)),
            "detractors": Count("pk", filter=Q(nps__lte=NPS_DETRACTOR_MAX)),
        },
        by_category=None,
    )
    return [*sources, answers]


def _insert(source: Source) -> None:
    """INSERT INTO the table (its columns) SELECT the grouped query's aliases."""
    qn = connection.ops.quote_name
    inner, params = source.queryset.query.sql_with_params()
    columns = [*source.columns, *source.constants]
    values = [f"g.{qn(alias)}" for alias in source.columns.values()]
    values += ["%s"] * len(source.constants)
    # Identifiers come from the models and are quoted; every value is a bound parameter.
    sql = (
        f"INSERT INTO {qn(source.model._meta.db_table)} "  # noqa: S608
        f"({', '.join(qn(c) for c in columns)}) "
        f"SELECT {', '.join(values)} FROM ({inner}) g"
    )
    # The constants' placeholders come before the inner query's in the statement.
    with connection.cursor() as cursor:
        cursor.execute(sql, (*source.constants.values(), *params))


def recount(now: datetime | None = None) -> Recount:
    """Replace every daily figure with a count of the rows as they are `now`, in one
    transaction: readers see the previous recount until this one commits."""
    now = now or timezone.now()
    started = time.monotonic()
    sources = [
        *_request_sources(timezone.localdate(now)),
        *_ticket_sources(now),
        *_contact_sources(),
        *_survey_sources(),
    ]
    with transaction.atomic():
        # The one Recount row is locked first, so two recounts at once (the task is also
        # locked in Huey) run one after the other instead of both inserting.
        Recount.objects.get_or_create(pk=1, defaults={"seconds": 0})
        Recount.objects.select_for_update().get(pk=1)
        for model in FIGURE_TABLES:
            model.objects.all().delete()
        for source in sources:
            _insert(source)
        recount, _ = Recount.objects.update_or_create(
            pk=1, defaults={"counted_at": now, "seconds": round(time.monotonic() - started, 3)}
        )
    return recount
