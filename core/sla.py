"""Deadline arithmetic on the Saudi calendar.

The weekend is Friday and Saturday (DOMAIN.md §3); official holidays come from the Holiday
table. "Two weeks" in the policy may mean calendar or working days — the caller says which.
"""

from __future__ import annotations

from datetime import date, timedelta

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
