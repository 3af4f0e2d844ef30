"""Satisfaction results (P3.5, P3.7.3): what beneficiaries said, by service, stage, channel,
branch and Hijri month, computed in the database.

Figures, for any set of answers:
- answers: how many responses;
- response rate: of the invitations *sent* in the period (same filters), the share answered;
- average satisfaction (CSAT, 1–5) and the share satisfied (4 or 5);
- NPS: % promoters (9–10) minus % detractors (0–6), from −100 to +100;
- average ease (1 very hard – 5 very easy).

Every group of fewer than `SURVEYS["MIN_GROUP"]` answers shows the threshold message instead
of its numbers, and so does a staff member's page as a whole: evaluation is a tool for
development, never for punishment (P3.7.3). No function here groups by staff member.

Each grouping is one aggregate query over responses and one over invitations, whatever the
number of groups; labels come from three small configuration tables read once. A user tied to
a branch sees that branch's results only.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Branch
from assistance.models import AidType
from core import charts
from core.hijri import format_dual, hijri_month_name, hijri_to_gregorian, to_hijri
from core.models import Channel
from core.text import mask_personal
from surveys import permissions
from surveys.models import Event, Invitation, InvitationStatus, Response

DIMENSIONS = ("service", "stage", "channel", "branch", "month")
SATISFIED_FROM = 4  # CSAT 4 and 5
PROMOTER_FROM = 9  # NPS 9 and 10
DETRACTOR_TO = 6  # NPS 0 to 6
TREND_MONTHS = 12  # a month's trend: the 12 months ending with it
MAX_TREND_MONTHS = 36  # a date range's trend is cut to its last 36 months


def min_group() -> int:
    return int(settings.MUSTAFID["SURVEYS"]["MIN_GROUP"])


def threshold_message() -> str:
    n = min_group()
    return ngettext("Fewer than %(n)s answer", "Fewer than %(n)s answers", n) % {"n": n}


# --- The period ---------------------------------------------------------------------------


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _prev_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def hijri_month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last Gregorian days of a Hijri (Umm al-Qura) month."""
    start = hijri_to_gregorian(year, month, 1)
    end = hijri_to_gregorian(*_next_month(year, month), 1) - timedelta(days=1)
    return start, end


def month_label(year: int, month: int) -> str:
    return f"{hijri_month_name(month)} {year}"


@dataclass(frozen=True)
class Period:
    """A Hijri year, a Hijri month, or a range of days (both ends included)."""

    start: date
    end: date
    hijri_year: int | None = None
    hijri_month: int | None = None

    @classmethod
    def hijri(cls, year: int, month: int | None = None) -> Period:
        if month:
            start, end = hijri_month_bounds(year, month)
        else:
            start = hijri_month_bounds(year, 1)[0]
            end = hijri_month_bounds(year, 12)[1]
        return cls(start=start, end=end, hijri_year=year, hijri_month=month or None)

    @classmethod
    def days(cls, start: date, end: date) -> Period:
        return cls(start=start, end=end)

    @classmethod
    def this_year(cls) -> Period:
        return cls.hijri(to_hijri(timezone.localdate()).year)

    @property
    def is_hijri(self) -> bool:
        return self.hijri_year is not None

    @property
    def label(self) -> str:
        if self.hijri_month:
            return month_label(self.hijri_year, self.hijri_month)
        if self.hijri_year:
            return _("The year %(year)s AH") % {"year": self.hijri_year}
        return _("From %(start)s to %(end)s") % {
            "start": format_dual(self.start),
            "end": format_dual(self.end),
        }

    def response_q(self) -> Q:
        if self.hijri_month:
            return Q(hijri_year=self.hijri_year, hijri_month=self.hijri_month)
        if self.hijri_year:
            return Q(hijri_year=self.hijri_year)
        return Q(answered_on__gte=self.start, answered_on__lte=self.end)

    def sent_q(self) -> Q:
        return _sent_between(self.start, self.end)

    def trend_months(self) -> list[tuple[int, int]]:
        """The Hijri months the trend shows: a year's twelve, the twelve ending with a month,
        or those a range of days touches (at most the last 36)."""
        if self.hijri_year and not self.hijri_month:
            return [(self.hijri_year, m) for m in range(1, 13)]
        if self.hijri_month:
            months = [(self.hijri_year, self.hijri_month)]
            while len(months) < TREND_MONTHS:
                months.insert(0, _prev_month(*months[0]))
            return months
        first, last = to_hijri(self.start), to_hijri(self.end)
        if first is None or last is None:
            return []
        months = [(last.year, last.month)]
        while months[0] != (first.year, first.month) and len(months) < MAX_TREND_MONTHS:
            months.insert(0, _prev_month(*months[0]))
        return months


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _sent_between(start: date, end: date) -> Q:
    return Q(sent_at__gte=_aware(start), sent_at__lt=_aware(end + timedelta(days=1)))


# --- Filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    period: Period
    branch_id: int | None = None
    channel_id: int | None = None
    event: str = ""
    aid_type_id: int | None = None

    def as_query(self) -> dict[str, str]:
        """The filters as query parameters (drill-down links, exports)."""
        p = self.period
        params: dict[str, str] = {}
        if p.is_hijri:
            params["year"] = str(p.hijri_year)
            if p.hijri_month:
                params["month"] = str(p.hijri_month)
        else:
            params["date_from"] = p.start.isoformat()
            params["date_to"] = p.end.isoformat()
        for name, value in (
            ("branch", self.branch_id),
            ("channel", self.channel_id),
            ("stage", self.event),
            ("aid_type", self.aid_type_id),
        ):
            if value:
                params[name] = str(value)
        return params


def _dimension_q(filters: Filters) -> Q:
    q = Q()
    if filters.branch_id:
        q &= Q(branch_id=filters.branch_id)
    if filters.channel_id:
        q &= Q(service_channel_id=filters.channel_id)
    if filters.event:
        q &= Q(event=filters.event)
    if filters.aid_type_id:
        q &= Q(aid_type_id=filters.aid_type_id)
    return q


def responses_in_scope(user) -> QuerySet[Response]:
    """Responses the user may read results of: all, or their branch's."""
    if not permissions.can_view_results(user):
        return Response.objects.none()
    if user.branch_id:
        return Response.objects.filter(branch_id=user.branch_id)
    return Response.objects.all()


def invitations_in_scope(user) -> QuerySet[Invitation]:
    if not permissions.can_view_results(user):
        return Invitation.objects.none()
    qs = Invitation.objects.filter(sent_at__isnull=False)
    if user.branch_id:
        qs = qs.filter(branch_id=user.branch_id)
    return qs


# --- Figures ------------------------------------------------------------------------------

_RESPONSE_AGGREGATES = {
    "n": Count("pk"),
    "csat_n": Count("csat"),
    "csat_sum": Sum("csat"),
    "satisfied": Count("pk", filter=Q(csat__gte=SATISFIED_FROM)),
    "nps_n": Count("nps"),
    "promoters": Count("pk", filter=Q(nps__gte=PROMOTER_FROM)),
    "detractors": Count("pk", filter=Q(nps__lte=DETRACTOR_TO)),
    "effort_n": Count("effort"),
    "effort_sum": Sum("effort"),
}
_INVITATION_AGGREGATES = {
    "sent": Count("pk"),
    "answered": Count("pk", filter=Q(status=InvitationStatus.ANSWERED)),
}
_COUNTS = (*_RESPONSE_AGGREGATES, *_INVITATION_AGGREGATES)


@dataclass
class Stats:
    """Sums and counts of a group of answers; averages are derived, so groups add up."""

    n: int = 0
    csat_n: int = 0
    csat_sum: int = 0
    satisfied: int = 0
    nps_n: int = 0
    promoters: int = 0
    detractors: int = 0
    effort_n: int = 0
    effort_sum: int = 0
    sent: int = 0
    answered: int = 0

    @classmethod
    def from_row(cls, row: dict) -> Stats:
        return cls(**{name: row.get(name) or 0 for name in _COUNTS})

    def add(self, row: dict) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + (row.get(name) or 0))

    @property
    def hidden(self) -> bool:
        """Too few answers to show anything: the threshold message instead."""
        return self.n < min_group()

    @property
    def csat(self) -> float | None:
        return round(self.csat_sum / self.csat_n, 2) if self.csat_n else None

    @property
    def satisfied_pct(self) -> float | None:
        return round(100 * self.satisfied / self.csat_n, 1) if self.csat_n else None

    @property
    def nps(self) -> float | None:
        if not self.nps_n:
            return None
        return round(100 * (self.promoters - self.detractors) / self.nps_n, 1)

    @property
    def effort(self) -> float | None:
        return round(self.effort_sum / self.effort_n, 2) if self.effort_n else None

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.answered / self.sent, 1) if self.sent else None


@dataclass
class Group:
    key: object
    label: str
    stats: Stats = field(default_factory=Stats)
    url: str = ""


def _stats(responses: QuerySet, invitations: QuerySet) -> Stats:
    stats = Stats.from_row(responses.aggregate(**_RESPONSE_AGGREGATES))
    stats.add(invitations.aggregate(**_INVITATION_AGGREGATES))
    return stats


@dataclass
class Labels:
    """The configuration tables results are labelled by, read once per page."""

    aid_types: dict[int, AidType]
    channels: dict[int, Channel]
    branches: dict[int, Branch]

    @classmethod
    def load(cls) -> Labels:
        return cls(
            aid_types={a.pk: a for a in AidType.objects.all()},
            channels={c.pk: c for c in Channel.objects.all()},
            branches={b.pk: b for b in Branch.objects.all()},
        )


def _event_label(code: str) -> str:
    return str(Event(code).label) if code in Event.values else code


def _event_order(code: str) -> int:
    return Event.values.index(code) if code in Event.values else len(Event.values)


def _grouped(
    responses: QuerySet, invitations: QuerySet, fields: tuple[str, ...], key
) -> dict[object, Stats]:
    """Aggregates per key; `key` maps a row's `fields` values to the group it belongs to
    (several rows may add up into one group)."""
    groups: dict[object, Stats] = {}
    for qs, aggregates in (
        (responses, _RESPONSE_AGGREGATES),
        (invitations, _INVITATION_AGGREGATES),
    ):
        for row in qs.order_by().values(*fields).annotate(**aggregates):
            groups.setdefault(key(row), Stats()).add(row)
    return groups


def _service_key(row: dict) -> tuple[str, object]:
    # A request's answers are reported by the aid type; a ticket's, a visit's or a request
    # answered before any aid was chosen, by the stage.
    if row["aid_type"] is not None:
        return ("aid", row["aid_type"])
    return ("stage", row["event"])


def groups_by(
    dimension: str, responses: QuerySet, invitations: QuerySet, labels: Labels
) -> list[Group]:
    """The groups of one dimension (service, stage, channel or branch), in a stable order."""
    if dimension == "service":
        raw = _grouped(responses, invitations, ("aid_type", "event"), _service_key)
        aid = sorted(
            (k for k in raw if k[0] == "aid"),
            key=lambda k: (labels.aid_types[k[1]].sort_order, labels.aid_types[k[1]].name),
        )
        stages = sorted((k for k in raw if k[0] == "stage"), key=lambda k: _event_order(k[1]))
        return [
            Group(
                key=k,
                label=labels.aid_types[k[1]].name if k[0] == "aid" else _event_label(k[1]),
                stats=raw[k],
            )
            for k in [*aid, *stages]
        ]
    if dimension == "stage":
        raw = _grouped(responses, invitations, ("event",), lambda r: r["event"])
        return [
            Group(key=k, label=_event_label(k), stats=raw[k]) for k in sorted(raw, key=_event_order)
        ]
    if dimension == "channel":
        raw = _grouped(responses, invitations, ("service_channel",), lambda r: r["service_channel"])
        known = sorted(
            (k for k in raw if k is not None),
            key=lambda k: (labels.channels[k].sort_order, labels.channels[k].name),
        )
        groups = [Group(key=k, label=labels.channels[k].name, stats=raw[k]) for k in known]
        if None in raw:
            groups.append(Group(key=None, label=_("Channel not recorded"), stats=raw[None]))
        return groups
    if dimension == "branch":
        raw = _grouped(responses, invitations, ("branch",), lambda r: r["branch"])
        return [
            Group(key=k, label=labels.branches[k].name, stats=raw[k])
            for k in sorted(
                raw, key=lambda k: (labels.branches[k].sort_order, labels.branches[k].name)
            )
        ]
    raise ValueError(f"Unknown dimension {dimension!r}")


def _month_q(months: list[tuple[int, int]]) -> Q:
    (y1, m1), (y2, m2) = months[0], months[-1]
    if y1 == y2:
        return Q(hijri_year=y1, hijri_month__gte=m1, hijri_month__lte=m2)
    return (
        Q(hijri_year=y1, hijri_month__gte=m1)
        | Q(hijri_year__gt=y1, hijri_year__lt=y2)
        | Q(hijri_year=y2, hijri_month__lte=m2)
    )


def groups_by_month(period: Period, responses: QuerySet, invitations: QuerySet) -> list[Group]:
    """One group per Hijri month of the period's trend (`Period.trend_months`), months
    without answers included. `responses` and `invitations` carry every filter but the
    period: this function applies the months (and, for a range of days, the range too)."""
    months = period.trend_months()
    if not months:
        return []
    if not period.is_hijri:
        responses = responses.filter(answered_on__gte=period.start, answered_on__lte=period.end)
        invitations = invitations.filter(period.sent_q())
    by_month: dict[tuple[int, int], Stats] = {m: Stats() for m in months}
    rows = (
        responses.filter(_month_q(months))
        .order_by()
        .values("hijri_year", "hijri_month")
        .annotate(**_RESPONSE_AGGREGATES)
    )
    for row in rows:
        by_month[(row["hijri_year"], row["hijri_month"])].add(row)
    # Invitations have no Hijri columns: one conditional count per month, in one query.
    conditions = {}
    for i, (year, month) in enumerate(months):
        start, end = hijri_month_bounds(year, month)
        sent = _sent_between(start, end)
        conditions[f"sent_{i}"] = Count("pk", filter=sent)
        conditions[f"answered_{i}"] = Count("pk", filter=sent & Q(status=InvitationStatus.ANSWERED))
    counts = invitations.aggregate(**conditions)
    for i, month in enumerate(months):
        by_month[month].add({"sent": counts[f"sent_{i}"], "answered": counts[f"answered_{i}"]})
    return [Group(key=m, label=month_label(*m), stats=by_month[m]) for m in months]


# --- Pages --------------------------------------------------------------------------------


@dataclass
class Results:
    filters: Filters
    summary: Stats
    tables: dict[str, list[Group]]
    labels: Labels


def results_for(user, filters: Filters, labels: Labels | None = None) -> Results:
    """Everything the results page shows, in a fixed number of queries (3 label tables,
    2 for the summary, 2 per dimension)."""
    labels = labels or Labels.load()
    dims = _dimension_q(filters)
    base_responses = responses_in_scope(user).filter(dims)
    base_invitations = invitations_in_scope(user).filter(dims)
    responses = base_responses.filter(filters.period.response_q())
    invitations = base_invitations.filter(filters.period.sent_q())
    tables = {
        dimension: groups_by(dimension, responses, invitations, labels)
        for dimension in ("service", "stage", "channel", "branch")
    }
    tables["month"] = groups_by_month(filters.period, base_responses, base_invitations)
    return Results(
        filters=filters,
        summary=_stats(responses, invitations),
        tables=tables,
        labels=labels,
    )


@dataclass
class StaffResults:
    staff_member: object
    period: Period
    summary: Stats
    stages: list[Group]
    months: list[Group]

    @property
    def hidden(self) -> bool:
        return self.summary.hidden


def staff_results(staff_member, period: Period) -> StaffResults:
    """The results of the answers about one staff member's service. The caller has checked
    `permissions.can_view_staff_results`; the page shows nothing but the threshold message
    when `hidden`. Not scoped by branch: a person's own results follow them."""
    responses = Response.objects.filter(staff=staff_member)
    invitations = Invitation.objects.filter(staff=staff_member, sent_at__isnull=False)
    in_period = responses.filter(period.response_q())
    sent_in_period = invitations.filter(period.sent_q())
    summary = _stats(in_period, sent_in_period)
    if summary.hidden:
        return StaffResults(staff_member, period, summary, [], [])
    stages = groups_by("stage", in_period, sent_in_period, labels=None)
    months = groups_by_month(period, responses, invitations)
    return StaffResults(staff_member, period, summary, stages, months)


def staff_in_scope(manager) -> QuerySet:
    """The staff a manager may pick, one at a time, to see their results (no figures here:
    nothing lists staff side by side)."""
    from django.contrib.auth import get_user_model

    if not permissions.can_pick_staff_results(manager):
        return get_user_model().objects.none()
    qs = get_user_model().objects.filter(is_active=True).exclude(role="")
    if manager.branch_id:
        qs = qs.filter(branch_id=manager.branch_id)
    return qs.order_by("full_name", "username")


# --- Comments -----------------------------------------------------------------------------

BANDS = {
    "low": Q(csat__lte=2),
    "neutral": Q(csat=3),
    "high": Q(csat__gte=SATISFIED_FROM),
}


def comments_for(user, filters: Filters, band: str = "") -> QuerySet[Response]:
    """Responses with a comment, newest first, with what they are about and never who wrote
    them (the template reads only the fields listed here)."""
    qs = (
        responses_in_scope(user)
        .filter(filters.period.response_q())
        .filter(_dimension_q(filters))
        .exclude(comment="")
    )
    if band in BANDS:
        qs = qs.filter(BANDS[band])
    return qs.select_related("aid_type", "branch", "service_channel").order_by("-answered_on", "id")


@dataclass(frozen=True)
class Comment:
    """A comment as shown and exported: the Hijri month (not the day), what it was about,
    the scores, and the text masked again."""

    month: str
    stage: str
    service: str
    branch: str
    channel: str
    csat: int | None
    nps: int | None
    effort: int | None
    text: str


def comment_rows(responses) -> list[Comment]:
    return [
        Comment(
            month=month_label(r.hijri_year, r.hijri_month),
            stage=_event_label(r.event),
            service=r.aid_type.name if r.aid_type_id else _event_label(r.event),
            branch=r.branch.name,
            channel=r.service_channel.name if r.service_channel_id else "",
            csat=r.csat,
            nps=r.nps,
            effort=r.effort,
            # Masked when stored; masked again in case the rule has grown since.
            text=mask_personal(r.comment),
        )
        for r in responses
    ]


# --- Charts and tables --------------------------------------------------------------------


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


def bar_chart(groups: list[Group]) -> list[charts.Bar]:
    """Average satisfaction of each group as bars; a group under the threshold keeps its
    place and label, with the threshold message for a value and no bar."""
    rows = [
        (g.label, None if g.stats.hidden else (g.stats.csat if g.stats.csat is not None else 0))
        for g in groups
    ]
    bars = charts.bars(rows, fmt=lambda v: f"{v:.2f}", urls=[g.url for g in groups])
    message = threshold_message()
    return [
        dataclasses.replace(bar, display=message, percent=0.0)
        if group.stats.hidden
        else (dataclasses.replace(bar, display="—") if group.stats.csat is None else bar)
        for bar, group in zip(bars, groups, strict=True)
    ]


def trend_chart(groups: list[Group]) -> charts.Trend:
    """Average satisfaction by month on the 1–5 scale; a month under the threshold is a gap."""
    return charts.trend(
        [(g.label, None if g.stats.hidden else g.stats.csat) for g in groups],
        low=1,
        high=5,
        fmt=lambda v: f"{v:.2f}",
    )


def table_headers(first: str) -> list[str]:
    return [
        first,
        _("Answers"),
        _("Response rate"),
        _("Average satisfaction (1–5)"),
        _("Satisfied (4–5)"),
        _("NPS"),
        _("Average ease (1–5)"),
    ]


def display_row(stats: Stats) -> list[str]:
    """A group's figures as text for the page; the threshold message in place of all of them
    for a group under the threshold."""
    if stats.hidden:
        return [threshold_message()]
    return [
        f"{stats.n:,}",
        _percent(stats.response_rate),
        _score(stats.csat),
        _percent(stats.satisfied_pct),
        _signed(stats.nps),
        _score(stats.effort),
    ]


def export_row(label: str, stats: Stats) -> list:
    """A group's figures as numbers for a spreadsheet (the threshold message as text)."""
    if stats.hidden:
        return [label, threshold_message(), None, None, None, None, None]
    return [
        label,
        stats.n,
        stats.response_rate,
        stats.csat,
        stats.satisfied_pct,
        stats.nps,
        stats.effort,
    ]
