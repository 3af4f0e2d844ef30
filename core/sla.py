"""Deadline arithmetic on the Saudi calendar.

The weekend is Friday and Saturday (DOMAIN.md §3); official holidays come from the Holiday
table. "Two weeks" in the policy may mean calendar or working days — the caller says which.
Ticket deadlines are counted in business hours (`add_business_hours`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Python weekday numbers: Monday is 0, so Friday is 4 and Saturday 5.
WEEKEND = frozenset({4, 5})


def holidays_between(start: date, end: date) -> set[date]:
    from core.models import Holiday

    rows = Holiday.objects.filter(date__gte=start, date__lte=end)
    return set(rows.values_list("date", flat=True))


def is_working_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() not in WEEKEND and day not in holidays


def add_days(start: date, days: int, *, working_days: bool) -> date:
    """The date `days` days after `start`.

    Calendar days: a plain addition, but a deadline that lands on a weekend or holiday moves
    to the next working day (nobody can answer on it). Working days: count only working days.
    One query for the holidays, whatever the length of the period.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    # Generous window: 2 weekend days a week plus a long Eid break fit many times in this.
    holidays = holidays_between(start, start + timedelta(days=days * 2 + 30))
    if not working_days:
        due = start + timedelta(days=days)
    else:
        due, counted = start, 0
        while counted < days:
            due += timedelta(days=1)
            if is_working_day(due, holidays):
                counted += 1
    while not is_working_day(due, holidays):
        due += timedelta(days=1)
    return due


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    if end <= start:
        return 0
    holidays = holidays_between(start, end)
    return sum(
        1
        for n in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(days=n), holidays)
    )


# --- Business hours (ticket deadlines, contact.services) -----------------------------------
#
# A ticket's "first response within 8 business hours" counts only the working hours of working
# days: the hours are a setting (MUSTAFID["WORKING_HOURS"], default 08:00-16:00) read in the
# organisation's time zone (TIME_ZONE, Asia/Riyadh), and the weekend and the holiday table are
# skipped as for working days above.


@dataclass(frozen=True)
class WorkingHours:
    start: time
    end: time
    tz: ZoneInfo


def _parse_clock(text: str) -> time:
    hours, _, minutes = text.strip().partition(":")
    return time(int(hours), int(minutes or 0))


def working_hours() -> WorkingHours:
    """The working day from settings, e.g. "08:00-16:00"; the end must follow the start."""
    raw = settings.MUSTAFID.get("WORKING_HOURS", "08:00-16:00")
    try:
        start_text, end_text = raw.split("-")
        start, end = _parse_clock(start_text), _parse_clock(end_text)
    except ValueError as exc:
        message = f"WORKING_HOURS must look like 08:00-16:00, not {raw!r}"
        raise ImproperlyConfigured(message) from exc
    if end <= start:
        raise ImproperlyConfigured("WORKING_HOURS must end after it starts (same day)")
    return WorkingHours(start, end, ZoneInfo(settings.TIME_ZONE))


class _HolidayCalendar:
    """Holidays read from the table a window at a time, so a long period costs a query per
    window rather than one per day, and callers with the dates at hand (a sweep over many
    tickets) pass them in and cost none."""

    WINDOW = timedelta(days=120)

    def __init__(self, first: date, known: Collection[date] | None) -> None:
        self._fixed = known is not None
        self._dates: set[date] = set(known or ())
        self._until = first - timedelta(days=1)
        self._first = first

    def __contains__(self, day: date) -> bool:
        if not self._fixed and day > self._until:
            start = max(self._until + timedelta(days=1), self._first)
            self._until = max(day, start) + self.WINDOW
            self._dates |= holidays_between(start, self._until)
        return day in self._dates


def _next_working_start(day: date, hours: WorkingHours, holidays) -> datetime:
    """The opening of the first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return datetime.combine(day, hours.start, tzinfo=hours.tz)


def add_business_hours(
    start: datetime, hours: int, *, holidays: Collection[date] | None = None
) -> datetime:
    """The moment `hours` business hours after `start` (an aware datetime).

    A start outside working time counts from the next opening: a complaint received on
    Thursday at 20:00 with 8 hours to answer is due on Sunday at 16:00 (08:00-16:00, weekend
    Friday-Saturday). A deadline that uses up a day exactly ends at that day's closing time,
    not at the next opening. `hours` of 0 gives the first business moment at or after
    `start`. `holidays` may be given by a caller that already holds the dates; otherwise the
    Holiday table is read (a query per four months of period). The result is in TIME_ZONE.
    """
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    if hours < 0:
        raise ValueError("hours must not be negative")
    wh = working_hours()
    cursor = start.astimezone(wh.tz)
    calendar = _HolidayCalendar(cursor.date(), holidays)
    opening = datetime.combine(cursor.date(), wh.start, tzinfo=wh.tz)
    closing = datetime.combine(cursor.date(), wh.end, tzinfo=wh.tz)
    if not is_working_day(cursor.date(), calendar) or cursor >= closing:
        cursor = _next_working_start(cursor.date(), wh, calendar)
    elif cursor < opening:
        cursor = opening
    remaining = timedelta(hours=hours)
    while True:
        closing = datetime.combine(cursor.date(), wh.end, tzinfo=wh.tz)
        if remaining <= closing - cursor:
            return cursor + remaining
        remaining -= closing - cursor
        cursor = _next_working_start(cursor.date(), wh, calendar)


def business_hours_between(
    start: datetime, end: datetime, *, holidays: Collection[date] | None = None
) -> float:
    """Business hours from `start` to `end` (0 if end <= start): how late a ticket is, in the
    same hours its deadline was counted in."""
    if end <= start:
        return 0.0
    wh = working_hours()
    start, end = start.astimezone(wh.tz), end.astimezone(wh.tz)
    calendar = _HolidayCalendar(start.date(), holidays)
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if is_working_day(day, calendar):
            opening = datetime.combine(day, wh.start, tzinfo=wh.tz)
            closing = datetime.combine(day, wh.end, tzinfo=wh.tz)
            lo, hi = max(opening, start), min(closing, end)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total.total_seconds() / 3600
