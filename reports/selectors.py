"""The manager's dashboard and the policy compliance report, and the lists behind them.

The figures are sums over the daily figures (reports.models, rebuilt by reports.recount every
five minutes), so a page costs a fixed, small number of queries over a few thousand rows a
month whatever the volume. Who may count what mirrors the feature apps' own scoped querysets
(`assistance.selectors.requests_for`, `contact.selectors.tickets_for` and
`interactions_for`), so nobody sees a figure built from rows they could not open; the
drill-down lists read those querysets live. A branch-bound user's figures are their branch's
whatever the filters ask (`Filters.scoped`).

Definitions (the same on the dashboard, in the report and in the drill-down lists):
- A request belongs to the period when it was *submitted* in it (drafts never count).
  Requests by category count a beneficiary in two categories in both; under a category
  filter that breakdown is the one category's line.
- Its decision is the committee's first final decision (approved or rejected; a deferral
  is not one). Decision time runs from submission to that decision. "On time" means decided on
  or before the expected decision date promised at submission (P6.5); "overdue" means still
  awaiting a decision with that date passed. The share on time is on time ÷ (decided +
  overdue): a request not yet due counts neither way. Acceptance is approved ÷ (approved +
  rejected) over those first decisions.
- A ticket belongs to the period it was opened in; response and resolution times are in
  calendar hours, the shares on time are against the business-hour deadlines fixed when it
  was opened, over the tickets answered (or resolved) or past that deadline.
- Contacts count by when they happened; survey answers by the day they were given and
  grouped by their Hijri month. Survey answers are anonymous, so the beneficiary-category
  filter does not apply to them; a satisfaction figure over fewer than
  ``MUSTAFID["SURVEYS"]["MIN_GROUP"]`` answers is not shown (P3.7.3).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Branch
from accounts.permissions import can_view_registry
from assistance import selectors as assistance_selectors
from assistance.models import (
    AWAITING_DECISION,
    Outcome,
    Status,
    SupportRequest,
)
from beneficiaries.models import Beneficiary, Category
from contact import permissions as contact_permissions
from contact import selectors as contact_selectors
from contact.models import Interaction, Kind, Ticket
from core.hijri import format_dual, hijri_month_name, hijri_to_gregorian, to_hijri
from core.models import Channel
from reports.models import (
    AnswerFigures,
    ContactFigures,
    InvitationFigures,
    Recount,
    RequestFigures,
    TicketFigures,
)
from reports.permissions import can_view_reports
from surveys.models import Invitation, Response

FINAL_OUTCOMES = (Outcome.APPROVED, Outcome.REJECTED)

# --- Filters --------------------------------------------------------------------------------


def current_hijri_year() -> int:
    return to_hijri(timezone.localdate()).year


def hijri_period(year: int, month: int | None = None) -> tuple[date, date]:
    """First and last Gregorian day of a Hijri year, or of one of its months."""
    if month:
        start = hijri_to_gregorian(year, month, 1)
        after = hijri_to_gregorian(year + (month == 12), month % 12 + 1, 1)
    else:
        start = hijri_to_gregorian(year, 1, 1)
        after = hijri_to_gregorian(year + 1, 1, 1)
    return start, after - timedelta(days=1)


@dataclass(frozen=True)
class Filters:
    """What a page is about: a period (first and last day, inclusive) and optionally one
    branch, channel and beneficiary category. Build it with `Filters.hijri(...)` or
    `Filters(start=..., end=...)`; the form in reports.forms builds it from a request."""

    start: date
    end: date
    branch: Branch | None = None
    channel: Channel | None = None
    category: Category | None = None
    hijri_year: int | None = None
    hijri_month: int | None = None

    @classmethod
    def hijri(cls, year: int, month: int | None = None, **kwargs) -> Filters:
        start, end = hijri_period(year, month)
        return cls(start=start, end=end, hijri_year=year, hijri_month=month or None, **kwargs)

    @classmethod
    def default(cls) -> Filters:
        return cls.hijri(current_hijri_year())

    def scoped(self, user) -> Filters:
        """The filters as `user` may have them: a branch-bound user's branch, always."""
        if user.branch_id and (self.branch is None or self.branch.pk != user.branch_id):
            return replace(self, branch=user.branch)
        return self

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def label(self) -> str:
        if self.hijri_year and self.hijri_month:
            return f"{hijri_month_name(self.hijri_month)} {self.hijri_year}هـ"
        if self.hijri_year:
            return gettext("The year %(year)sH") % {"year": self.hijri_year}
        return f"{format_dual(self.start)} – {format_dual(self.end)}"

    def params(self, **overrides: Any) -> dict[str, str]:
        """GET parameters that reproduce these filters (drill-down links), with overrides;
        an override of None drops the parameter."""
        if self.hijri_year:
            params = {"year": str(self.hijri_year)}
            if self.hijri_month:
                params["month"] = str(self.hijri_month)
        else:
            params = {"date_from": self.start.isoformat(), "date_to": self.end.isoformat()}
        for name in ("branch", "channel", "category"):
            value = getattr(self, name)
            if value is not None:
                params[name] = value.code
        for key, value in overrides.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = str(value)
        return params


# --- Scoped rows of the period --------------------------------------------------------------


def _in_category(category: Category) -> Exists:
    return Exists(
        Beneficiary.categories.through.objects.filter(
            beneficiary_id=OuterRef("beneficiary_id"), category_id=category.pk
        )
    )


def _narrowed(qs: QuerySet, f: Filters, *, channel: str = "channel_id", category: bool = True):
    """`qs` narrowed to the filters' branch, channel (the row's `channel` column) and, unless
    `category` is false, beneficiary category."""
    if f.branch is not None:
        qs = qs.filter(branch_id=f.branch.pk)
    if f.channel is not None:
        qs = qs.filter(**{channel: f.channel.pk})
    if category and f.category is not None:
        qs = qs.filter(_in_category(f.category))
    return qs


def requests_in_period(user, filters: Filters) -> QuerySet[SupportRequest]:
    """Requests submitted in the period that `user` may see, filtered."""
    if not can_view_reports(user):
        return SupportRequest.objects.none()
    f = filters.scoped(user)
    qs = assistance_selectors.requests_for(user)
    return _narrowed(qs.filter(submitted_at__gte=f.start_at, submitted_at__lt=f.end_at), f)


def tickets_in_period(user, filters: Filters) -> QuerySet[Ticket]:
    if not can_view_reports(user):
        return Ticket.objects.none()
    f = filters.scoped(user)
    qs = contact_selectors.tickets_for(user)
    return _narrowed(qs.filter(created_at__gte=f.start_at, created_at__lt=f.end_at), f)


def interactions_in_period(user, filters: Filters) -> QuerySet[Interaction]:
    if not can_view_reports(user):
        return Interaction.objects.none()
    f = filters.scoped(user)
    qs = contact_selectors.interactions_for(user)
    return _narrowed(qs.filter(occurred_at__gte=f.start_at, occurred_at__lt=f.end_at), f)


def responses_in_period(user, filters: Filters) -> QuerySet[Response]:
    """Survey answers of the period (anonymous: the category filter does not apply)."""
    if not can_view_reports(user):
        return Response.objects.none()
    f = filters.scoped(user)
    qs = Response.objects.filter(answered_on__gte=f.start, answered_on__lte=f.end)
    return _narrowed(qs, f, channel="service_channel_id", category=False)


def invitations_in_period(user, filters: Filters) -> QuerySet[Invitation]:
    """Survey invitations sent in the period."""
    if not can_view_reports(user):
        return Invitation.objects.none()
    f = filters.scoped(user)
    qs = Invitation.objects.filter(sent_at__gte=f.start_at, sent_at__lt=f.end_at)
    return _narrowed(qs, f, channel="service_channel_id")


# --- Results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: `key` is what the drill-down filters by (a code, a status);
    empty for a line that has no list of its own."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class DecisionStats:
    decided: int
    approved: int
    rejected: int
    on_time: int
    late: int
    overdue: int
    waiting: int
    avg_days: float | None

    @property
    def due(self) -> int:
        return self.decided + self.overdue

    @property
    def on_time_share(self) -> float | None:
        return percent(self.on_time, self.due)

    @property
    def acceptance_rate(self) -> float | None:
        return percent(self.approved, self.approved + self.rejected)


@dataclass(frozen=True)
class TicketStats:
    total: int
    by_kind: dict[str, int]
    with_owner: int
    responded: int
    responded_on_time: int
    response_measured: int
    avg_response_hours: float | None
    resolved: int
    resolved_on_time: int
    resolution_measured: int
    avg_resolution_hours: float | None
    suggestions_with_outcome: int

    @property
    def response_on_time_share(self) -> float | None:
        return percent(self.responded_on_time, self.response_measured)

    @property
    def resolution_on_time_share(self) -> float | None:
        return percent(self.resolved_on_time, self.resolution_measured)

    @property
    def owner_share(self) -> float | None:
        return percent(self.with_owner, self.total)


@dataclass(frozen=True)
class SatisfactionPoint:
    year: int
    month: int
    label: str
    answers: int
    csat: float | None  # hidden (None) under the minimum group
    nps: float | None


@dataclass(frozen=True)
class Satisfaction:
    points: list[SatisfactionPoint]
    answers: int
    csat: float | None
    nps: float | None
    invitations_sent: int
    invitations_answered: int
    min_group: int

    @property
    def response_rate(self) -> float | None:
        return percent(self.invitations_answered, self.invitations_sent)


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    requests_total: int
    by_stage: list[Row]
    by_channel: list[Row]
    by_branch: list[Row]
    by_category: list[Row]
    decisions: DecisionStats
    tickets: TicketStats
    complaints_by_category: list[Row]
    contacts_total: int
    contacts_by_channel: list[Row]
    satisfaction: Satisfaction
    counted_at: datetime | None  # the recount the figures come from


def percent(part: int | float, whole: int | float) -> float | None:
    """part ÷ whole as a percentage to one decimal, or None when there is nothing to divide."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


def _days(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def _hours(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 1)


def duration_between(end: str, start: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _by_key(rows, key: str) -> dict:
    totals: dict = {}
    for row in rows:
        totals[row[key]] = totals.get(row[key], 0) + row["n"]
    return totals


# --- The daily figures of the period ----------------------------------------------------------
# The pages read reports.models' daily figures (as of the last recount), not the rows. Who may
# count which rows mirrors the feature apps' scoped querysets (`requests_for`, `tickets_for`,
# `interactions_for`) for the roles that read reports; reports/tests/test_recount.py holds
# them equal.


def _figures(model, user, filters: Filters, *, rows: str = "totals") -> QuerySet:
    """The rows of `model` for the period and the filters as `user` may have them. `rows`:
    "totals" (the category filter, if any, applies), "categories" (every category's rows,
    for the breakdown by category), or "plain" (a table without categories)."""
    f = filters.scoped(user)
    qs = _narrowed(model.objects.filter(day__gte=f.start, day__lte=f.end), f, category=False)
    if rows == "categories" or (rows == "totals" and f.category is not None):
        qs = qs.filter(by_category=True)
        if f.category is not None:
            qs = qs.filter(category_id=f.category.pk)
    elif rows == "totals":
        qs = qs.filter(by_category=False)
    return qs


def _request_figures(user, filters: Filters, *, rows: str = "totals") -> QuerySet:
    if not (can_view_reports(user) and can_view_registry(user)):
        return RequestFigures.objects.none()
    return _figures(RequestFigures, user, filters, rows=rows)


def _ticket_figures(user, filters: Filters) -> QuerySet:
    if not (can_view_reports(user) and contact_permissions.can_view_tickets(user)):
        return TicketFigures.objects.none()
    qs = _figures(TicketFigures, user, filters)
    if not contact_permissions.can_see_staff_complaints(user):
        qs = qs.filter(about_staff=False)
    # The staff member a complaint is about never counts it either.
    return qs.filter(Q(staff_member__isnull=True) | ~Q(staff_member_id=user.pk))


def _contact_figures(user, filters: Filters) -> QuerySet:
    if not (can_view_reports(user) and contact_permissions.can_view_contacts(user)):
        return ContactFigures.objects.none()
    return _figures(ContactFigures, user, filters)


def last_recount() -> Recount | None:
    """The last recount of the daily figures that finished, or None before the first."""
    return Recount.objects.filter(pk=1, counted_at__isnull=False).first()


def _positive(totals: dict) -> dict:
    return {k: v for k, v in totals.items() if v}


def request_breakdowns(
    user, filters: Filters, channels: list[Channel] | None = None
) -> dict[str, Any]:
    """Requests of the period by stage, channel and branch (one grouped query) and by
    beneficiary category (one more: a beneficiary in two categories counts in both)."""
    groups = list(
        _request_figures(user, filters)
        .values("status", "channel_id", "branch_id")
        .annotate(n=Sum("requests"))
        .order_by()
    )
    by_status = _positive(_by_key(groups, "status"))
    by_channel = _by_key(groups, "channel_id")
    by_branch = _positive(_by_key(groups, "branch_id"))
    categories = _positive(
        dict(
            _request_figures(user, filters, rows="categories")
            .values_list("category_id")
            .annotate(n=Sum("requests"))
            .order_by()
        )
    )
    channels = channels if channels is not None else ordered_channels()
    branches = Branch.objects.filter(pk__in=by_branch.keys()) if by_branch else []
    category_rows = (
        Category.objects.filter(pk__in=[k for k in categories if k]) if categories else []
    )
    stage_rows = [
        Row(status.value, str(status.label), by_status[status.value])
        for status in Status
        if by_status.get(status.value)
    ]
    channel_rows = [Row(c.code, c.name, by_channel.get(c.pk) or 0) for c in channels]
    branch_rows = sorted(
        (Row(b.code, b.name, by_branch[b.pk]) for b in branches), key=lambda r: (-r.value, r.label)
    )
    category_rows = sorted(
        (Row(c.code, c.name, categories[c.pk]) for c in category_rows),
        key=lambda r: (-r.value, r.label),
    )
    if categories.get(None):
        category_rows.append(Row("", gettext("No category"), categories[None]))
    return {
        "total": sum(by_status.values()),
        "by_stage": stage_rows,
        "by_channel": channel_rows,
        "by_branch": branch_rows,
        "by_category": category_rows,
    }


def ordered_channels() -> list[Channel]:
    """The channels of P4 in their order (the inactive ones only if they were used)."""
    return list(Channel.objects.all())


def decision_stats(user, filters: Filters) -> DecisionStats:
    """Decisions of the period's requests against the promised date, in one query."""
    if not can_view_reports(user):
        raise PermissionDenied
    totals = _request_figures(user, filters).aggregate(
        decided=Sum("decided"),
        approved=Sum("approved"),
        on_time=Sum("on_time"),
        decision_time=Sum("decision_time"),
        overdue=Sum("overdue"),
        waiting=Sum("waiting"),
    )
    decided = totals["decided"] or 0
    approved = totals["approved"] or 0
    on_time = totals["on_time"] or 0
    return DecisionStats(
        decided=decided,
        approved=approved,
        rejected=decided - approved,
        on_time=on_time,
        late=decided - on_time,
        overdue=totals["overdue"] or 0,
        waiting=totals["waiting"] or 0,
        avg_days=_days(_average(totals["decision_time"], decided)),
    )


def _duration(value) -> timedelta | None:
    """A summed duration column as a timedelta: PostgreSQL sums intervals, SQLite sums the
    microseconds it stores them as and returns the number."""
    if value is None or isinstance(value, timedelta):
        return value
    return timedelta(microseconds=int(value))


def _average(total, count: int) -> timedelta | None:
    total = _duration(total)
    return total / count if total is not None and count else None


def ticket_stats(user, filters: Filters) -> TicketStats:
    """Tickets of the period in one grouped query (by kind)."""
    columns = (
        "tickets",
        "with_owner",
        "responded",
        "responded_on_time",
        "response_measured",
        "response_time",
        "resolved",
        "resolved_on_time",
        "resolution_measured",
        "resolution_time",
        "suggestions_with_outcome",
    )
    groups = {
        g["kind"]: g
        for g in _ticket_figures(user, filters)
        .values("kind")
        .annotate(**{c: Sum(c) for c in columns})
        .order_by()
    }
    totals = {
        c: sum(
            (_duration(g[c]) if c in TICKET_DURATIONS else g[c] for g in groups.values() if g[c]),
            start=_zero(c),
        )
        for c in columns
    }
    return TicketStats(
        total=totals["tickets"],
        by_kind={k: groups[k]["tickets"] if k in groups else 0 for k in Kind.values},
        with_owner=totals["with_owner"],
        responded=totals["responded"],
        responded_on_time=totals["responded_on_time"],
        response_measured=totals["response_measured"],
        avg_response_hours=_hours(_average(totals["response_time"], totals["responded"])),
        resolved=totals["resolved"],
        resolved_on_time=totals["resolved_on_time"],
        resolution_measured=totals["resolution_measured"],
        avg_resolution_hours=_hours(_average(totals["resolution_time"], totals["resolved"])),
        suggestions_with_outcome=totals["suggestions_with_outcome"],
    )


TICKET_DURATIONS = frozenset({"response_time", "resolution_time"})


def _zero(column: str):
    return timedelta(0) if column in TICKET_DURATIONS else 0


def complaints_by_category(user, filters: Filters) -> list[Row]:
    rows = (
        _ticket_figures(user, filters)
        .filter(kind=Kind.COMPLAINT)
        .values("ticket_category__code", "ticket_category__name_ar", "ticket_category__name_en")
        .annotate(n=Sum("tickets"))
        .order_by("-n", "ticket_category__name_ar")
    )
    english = _english()
    return [
        Row(
            r["ticket_category__code"],
            (r["ticket_category__name_en"] if english and r["ticket_category__name_en"] else None)
            or r["ticket_category__name_ar"],
            r["n"],
        )
        for r in rows
    ]


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "ar").startswith("en")


def contacts_by_channel(user, filters: Filters, channels: list[Channel] | None = None) -> list[Row]:
    """Contacts of the period per channel, every active channel listed (P4)."""
    counts = dict(
        _contact_figures(user, filters)
        .values_list("channel_id")
        .annotate(n=Sum("contacts"))
        .order_by()
    )
    channels = channels if channels is not None else ordered_channels()
    return [
        Row(c.code, c.name, counts.get(c.pk, 0))
        for c in channels
        if c.is_active or counts.get(c.pk)
    ]


def _months_between(start: date, end: date) -> list[tuple[int, int]]:
    first, last = to_hijri(start), to_hijri(end)
    if first is None or last is None:
        return []
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def satisfaction(user, filters: Filters) -> Satisfaction:
    """Average satisfaction (1–5) and NPS (% promoters 9–10 minus % detractors 0–6) by Hijri
    month, one grouped query; the response rate of the invitations sent, one more."""
    if not can_view_reports(user):
        raise PermissionDenied
    minimum = settings.MUSTAFID["SURVEYS"]["MIN_GROUP"]
    sums = ("answers", "csat_n", "csat_sum", "nps_n", "promoters", "detractors")
    groups = {
        (g["hijri_year"], g["hijri_month"]): g
        for g in _figures(AnswerFigures, user, filters, rows="plain")
        .values("hijri_year", "hijri_month")
        .annotate(**{c: Sum(c) for c in sums})
        .order_by()
    }
    f = filters.scoped(user)
    points = []
    for year, month in _months_between(f.start, f.end):
        g = groups.get((year, month))
        points.append(
            SatisfactionPoint(
                year=year,
                month=month,
                label=f"{hijri_month_name(month)} {year}",
                answers=g["answers"] if g else 0,
                csat=_csat(g, minimum),
                nps=_nps(g, minimum),
            )
        )
    total = {key: sum(g[key] or 0 for g in groups.values()) for key in sums}
    invitations = _figures(InvitationFigures, user, filters).aggregate(
        sent=Sum("sent"), answered=Sum("answered")
    )
    return Satisfaction(
        points=points,
        answers=total["answers"],
        csat=_csat(total, minimum),
        nps=_nps(total, minimum),
        invitations_sent=invitations["sent"] or 0,
        invitations_answered=invitations["answered"] or 0,
        min_group=minimum,
    )


def _csat(group: dict | None, minimum: int) -> float | None:
    if not group or group["csat_n"] < minimum:
        return None
    return round(group["csat_sum"] / group["csat_n"], 2)


def _nps(group: dict | None, minimum: int) -> float | None:
    if not group or group["nps_n"] < minimum:
        return None
    return round(100 * (group["promoters"] - group["detractors"]) / group["nps_n"], 1)


def dashboard(user, filters: Filters) -> Dashboard:
    """Every figure of the manager's dashboard for `filters`, as `user` may see them.

    A dozen queries over the daily figures, whatever the volume: requests grouped by (stage,
    channel, branch), by category, their decisions, the tickets by kind, complaints by
    category, contacts by channel, satisfaction by month, invitations, the last recount, and
    the labels of channels, branches and categories.
    """
    if not can_view_reports(user):
        raise PermissionDenied
    last = last_recount()
    channels = ordered_channels()
    requests = request_breakdowns(user, filters, channels)
    contacts = contacts_by_channel(user, filters, channels)
    return Dashboard(
        filters=filters.scoped(user),
        requests_total=requests["total"],
        by_stage=requests["by_stage"],
        by_channel=requests["by_channel"],
        by_branch=requests["by_branch"],
        by_category=requests["by_category"],
        decisions=decision_stats(user, filters),
        tickets=ticket_stats(user, filters),
        complaints_by_category=complaints_by_category(user, filters),
        contacts_total=sum(r.value for r in contacts),
        contacts_by_channel=contacts,
        satisfaction=satisfaction(user, filters),
        counted_at=last.counted_at if last else None,
    )


# --- Drill-down lists -----------------------------------------------------------------------

# What a number on the dashboard narrows its list by, beyond the shared filters.
REQUEST_DECISIONS = ("decided", "approved", "rejected", "on_time", "late", "overdue", "waiting")
TICKET_SLA = ("response_on_time", "response_late", "resolution_on_time", "resolution_late")


def request_drilldown(
    user, filters: Filters, *, status: str = "", decision: str = "", no_category: bool = False
) -> QuerySet[SupportRequest]:
    """The requests behind a dashboard number, annotated with their first final decision;
    the caller orders and pages them."""
    final = Q(agenda_items__outcome__in=FINAL_OUTCOMES)
    qs = requests_in_period(user, filters)
    if status in Status.values:
        qs = qs.filter(status=status)
    if no_category:
        qs = qs.filter(beneficiary__categories__isnull=True)
    qs = qs.annotate(
        first_final=Min("agenda_items__decided_at", filter=final),
        first_final_day=Min(TruncDate("agenda_items__decided_at"), filter=final),
        first_approved=Min(
            "agenda_items__decided_at", filter=Q(agenda_items__outcome=Outcome.APPROVED)
        ),
    )
    today = timezone.localdate()
    awaiting = Q(first_final__isnull=True, status__in=AWAITING_DECISION)
    conditions = {
        "decided": Q(first_final__isnull=False),
        "approved": Q(first_final__isnull=False, first_approved=F("first_final")),
        "rejected": Q(first_final__isnull=False)
        & (Q(first_approved__isnull=True) | Q(first_approved__gt=F("first_final"))),
        "on_time": Q(first_final_day__lte=F("expected_decision_date")),
        "late": Q(first_final_day__gt=F("expected_decision_date")),
        "overdue": awaiting & Q(expected_decision_date__lt=today),
        "waiting": awaiting & Q(expected_decision_date__gte=today),
    }
    if decision in conditions:
        qs = qs.filter(conditions[decision])
    return qs.select_related("beneficiary", "branch", "channel")


def ticket_drilldown(
    user, filters: Filters, *, kind: str = "", ticket_category: str = "", sla: str = ""
) -> QuerySet[Ticket]:
    now = timezone.now()
    qs = tickets_in_period(user, filters)
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if ticket_category:
        qs = qs.filter(category__code=ticket_category)
    conditions = {
        "response_on_time": Q(first_responded_at__lte=F("first_response_due")),
        "response_late": Q(first_responded_at__gt=F("first_response_due"))
        | Q(first_responded_at__isnull=True, first_response_due__lt=now),
        "resolution_on_time": Q(resolved_at__lte=F("resolution_due")),
        "resolution_late": Q(resolved_at__gt=F("resolution_due"))
        | Q(resolved_at__isnull=True, resolution_due__lt=now),
    }
    if sla in conditions:
        qs = qs.filter(conditions[sla])
    return qs.select_related("beneficiary", "branch", "channel", "category", "owner")


def contact_drilldown(user, filters: Filters) -> QuerySet[Interaction]:
    return interactions_in_period(user, filters).select_related(
        "beneficiary", "branch", "channel", "recorded_by"
    )


__all__ = [
    "Dashboard",
    "DecisionStats",
    "Filters",
    "Row",
    "Satisfaction",
    "SatisfactionPoint",
    "TicketStats",
    "contact_drilldown",
    "dashboard",
    "request_drilldown",
    "ticket_drilldown",
]
