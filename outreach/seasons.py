"""When a season falls in a given year: the date a manager set for it (the moon sighting, the
school calendar), else its usual date — an Umm al-Qura day for a Hijri season, a day of the
Gregorian year otherwise.

A season's `year` is counted in its own calendar (Ramadan 1448, winter 2026), so "this year's
Ramadan" means what staff mean by it.
"""

from __future__ import annotations

import calendar as gregorian_calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.hijri import HIJRI_MAX_YEAR, HIJRI_MIN_YEAR, hijri_to_gregorian, to_hijri
from outreach.models import Calendar, Season, SeasonDate

# A moon sighting moves an Umm al-Qura date by a day or two at most; a set date further away
# than this is a typing error (a wrong year), not an announcement.
MOON_TOLERANCE_DAYS = 3


@dataclass(frozen=True)
class Occurrence:
    season: Season
    year: int
    starts_on: date
    ends_on: date
    # The manager's date, when one was set for this year; None for the usual date.
    override: SeasonDate | None = None

    @property
    def is_set(self) -> bool:
        return self.override is not None

    def days_until(self, today: date) -> int:
        return (self.starts_on - today).days


def _hijri_day(year: int, month: int, day: int) -> date:
    """An Umm al-Qura day; day 30 of a 29-day month is its last day."""
    try:
        return hijri_to_gregorian(year, month, day)
    except ValidationError:
        if day != 30:
            raise
        return hijri_to_gregorian(year, month, 29)


def _gregorian_day(year: int, month: int, day: int) -> date:
    """A Gregorian day, clamped to the month's length (29 February in a common year → 28)."""
    return date(year, month, min(day, gregorian_calendar.monthrange(year, month)[1]))


def year_range(season: Season) -> tuple[int, int]:
    """The years a season's dates can be computed for."""
    if season.calendar == Calendar.HIJRI:
        # The last year's season may end in the next one (never for the seeded seasons).
        return HIJRI_MIN_YEAR, HIJRI_MAX_YEAR - 1
    return 1925, 2076


def usual_dates(season: Season, year: int) -> tuple[date, date]:
    """(start, end) of the season in `year` from its usual days; an end before the start in
    the calendar (winter: 1 December – end of February) falls in the next year.

    Raises ValidationError for a year outside the Umm al-Qura table."""
    _check_year(season, year)
    wraps = (season.end_month, season.end_day) < (season.start_month, season.start_day)
    day = _hijri_day if season.calendar == Calendar.HIJRI else _gregorian_day
    starts = day(year, season.start_month, season.start_day)
    ends = day(year + wraps, season.end_month, season.end_day)
    return starts, ends


def _check_year(season: Season, year: int) -> None:
    low, high = year_range(season)
    if not low <= year <= high:
        raise ValidationError(
            _("Choose a year from %(min)s to %(max)s."),
            code="season_year_out_of_range",
            params={"min": low, "max": high},
        )


def season_year(season: Season, on: date) -> int:
    """The year, in the season's calendar, that `on` falls in."""
    if season.calendar == Calendar.HIJRI:
        hijri = to_hijri(on)
        if hijri is None:
            _check_year(season, 0)  # raises: the day is outside the Umm al-Qura table
        return hijri.year
    return on.year


def occurrences(season: Season, years: Iterable[int]) -> list[Occurrence]:
    """The season in each of `years` (one query for the dates set by managers); years outside
    the calendar's table are left out."""
    years = list(years)
    low, high = year_range(season)
    years = [y for y in years if low <= y <= high]
    overrides = {d.year: d for d in SeasonDate.objects.filter(season=season, year__in=years)}
    found = []
    for year in years:
        override = overrides.get(year)
        if override is not None:
            found.append(Occurrence(season, year, override.starts_on, override.ends_on, override))
        else:
            starts, ends = usual_dates(season, year)
            found.append(Occurrence(season, year, starts, ends))
    return found


def occurrence(season: Season, year: int) -> Occurrence:
    _check_year(season, year)
    return occurrences(season, [year])[0]


def upcoming(season: Season, *, today: date, days: int) -> Occurrence | None:
    """The season's occurrence that starts between today and `days` days from now, if any:
    this year's, or next year's when this year's has passed."""
    current = season_year(season, today)
    horizon = today + timedelta(days=days)
    for found in occurrences(season, [current, current + 1]):
        if today <= found.starts_on <= horizon:
            return found
    return None


def next_occurrences(season: Season, *, today: date, count: int = 2) -> list[Occurrence]:
    """The season's next `count` occurrences that have not ended, for the seasons page."""
    current = season_year(season, today)
    found = occurrences(season, range(current - 1, current + count + 1))
    return [o for o in found if o.ends_on >= today][:count]
