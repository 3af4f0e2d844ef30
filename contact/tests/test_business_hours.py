"""core.sla.add_business_hours: ticket deadlines on the Saudi working week (Sunday–Thursday,
08:00–16:00 Riyadh by default) and the holiday table."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given, settings
from hypothesis import strategies as st

from contact.tests.conftest import RIYADH, at
from core.models import Holiday
from core.sla import add_business_hours, business_hours_between, working_hours

NO_HOLIDAYS: frozenset = frozenset()

# 2025-09-14 is a Sunday; the 18th a Thursday, the 19th–20th the weekend.


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        # Inside the day.
        (at(2025, 9, 14, 9), 2, at(2025, 9, 14, 11)),
        # A day used up exactly ends at closing time, not at the next opening.
        (at(2025, 9, 14, 8), 8, at(2025, 9, 14, 16)),
        # Crossing the night.
        (at(2025, 9, 17, 15), 2, at(2025, 9, 18, 9)),
        # Before opening counts from the opening.
        (at(2025, 9, 15, 6, 30), 1, at(2025, 9, 15, 9)),
        # After closing counts from the next opening.
        (at(2025, 9, 15, 17), 3, at(2025, 9, 16, 11)),
        # Thursday evening: the weekend is skipped.
        (at(2025, 9, 18, 20), 8, at(2025, 9, 21, 16)),
        # Thursday afternoon across the weekend.
        (at(2025, 9, 18, 14), 4, at(2025, 9, 21, 10)),
        # Received on Friday or Saturday: Sunday morning.
        (at(2025, 9, 19, 10), 1, at(2025, 9, 21, 9)),
        (at(2025, 9, 20, 23, 59), 8, at(2025, 9, 21, 16)),
        # A working week is forty hours.
        (at(2025, 9, 14, 8), 40, at(2025, 9, 18, 16)),
        (at(2025, 9, 14, 8), 41, at(2025, 9, 21, 9)),
        # Minutes are kept.
        (at(2025, 9, 14, 10, 45), 6, at(2025, 9, 15, 8, 45)),
        # Zero hours: the first business moment at or after the start.
        (at(2025, 9, 14, 10), 0, at(2025, 9, 14, 10)),
        (at(2025, 9, 18, 16), 0, at(2025, 9, 21, 8)),
    ],
)
def test_it_counts_business_hours(start, hours, due):
    assert add_business_hours(start, hours, holidays=NO_HOLIDAYS) == due


def test_it_skips_a_holiday_from_the_table(db):
    # Saudi National Day 2025 fell on Tuesday 23 September.
    Holiday.objects.create(date=datetime.date(2025, 9, 23), name_ar="اليوم الوطني")
    assert add_business_hours(at(2025, 9, 22, 12), 8) == at(2025, 9, 24, 12)


def test_it_skips_a_long_eid_break_and_the_weekends_around_it(db):
    # An Eid al-Fitr break from Sunday 30 March to Thursday 3 April 2025.
    for day in range(30, 32):
        Holiday.objects.create(date=datetime.date(2025, 3, day), name_ar="إجازة عيد الفطر")
    for day in range(1, 4):
        Holiday.objects.create(date=datetime.date(2025, 4, day), name_ar="إجازة عيد الفطر")
    # Received Thursday 27 March at 15:00: one hour that day, then nothing until Sunday 6 April.
    assert add_business_hours(at(2025, 3, 27, 15), 3) == at(2025, 4, 6, 10)


def test_a_holiday_on_the_starting_day_moves_the_start(db):
    Holiday.objects.create(date=datetime.date(2025, 9, 23), name_ar="اليوم الوطني")
    assert add_business_hours(at(2025, 9, 23, 10), 1) == at(2025, 9, 24, 9)


def test_it_reads_holidays_far_ahead_a_window_at_a_time(db, django_assert_max_num_queries):
    Holiday.objects.create(date=datetime.date(2026, 3, 1), name_ar="إجازة")
    start = at(2025, 9, 14, 8)
    # 1,000 business hours is about six months: two windows of the table, not one per day.
    with django_assert_max_num_queries(3):
        due = add_business_hours(start, 1000)
    assert due == add_business_hours(start, 1000, holidays={datetime.date(2026, 3, 1)})


def test_given_holidays_cost_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        add_business_hours(at(2025, 9, 14, 8), 100, holidays=NO_HOLIDAYS)


def test_it_answers_in_riyadh_time_for_any_input_zone():
    utc_start = datetime.datetime(2025, 9, 14, 5, 0, tzinfo=datetime.UTC)  # 08:00 in Riyadh
    due = add_business_hours(utc_start, 8, holidays=NO_HOLIDAYS)
    assert due == at(2025, 9, 14, 16)
    assert due.tzinfo == ZoneInfo("Asia/Riyadh")


def test_it_refuses_naive_and_negative():
    with pytest.raises(ValueError):
        add_business_hours(datetime.datetime(2025, 9, 14, 8), 1, holidays=NO_HOLIDAYS)
    with pytest.raises(ValueError):
        add_business_hours(at(2025, 9, 14, 8), -1, holidays=NO_HOLIDAYS)


def test_working_hours_are_a_setting(settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "WORKING_HOURS": "07:30-14:30"}
    assert add_business_hours(at(2025, 9, 14, 6), 7, holidays=NO_HOLIDAYS) == at(
        2025, 9, 14, 14, 30
    )
    assert add_business_hours(at(2025, 9, 14, 14), 1, holidays=NO_HOLIDAYS) == at(2025, 9, 15, 8)


@pytest.mark.parametrize("value", ["16:00-08:00", "eight to four", "08:00"])
def test_a_wrong_setting_is_reported(settings, value):
    settings.MUSTAFID = {**settings.MUSTAFID, "WORKING_HOURS": value}
    with pytest.raises(ImproperlyConfigured):
        working_hours()


def test_business_hours_between_counts_only_working_time():
    assert business_hours_between(at(2025, 9, 18, 14), at(2025, 9, 21, 10), holidays=()) == 4
    assert business_hours_between(at(2025, 9, 19, 0), at(2025, 9, 20, 23), holidays=()) == 0
    assert business_hours_between(at(2025, 9, 21, 10), at(2025, 9, 18, 14), holidays=()) == 0


# --- Properties ---------------------------------------------------------------------------

_starts = st.datetimes(
    min_value=datetime.datetime(2024, 1, 1), max_value=datetime.datetime(2027, 12, 31)
).map(lambda d: d.replace(second=0, microsecond=0, tzinfo=RIYADH))
_holidays = st.frozensets(
    st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2028, 6, 30)),
    max_size=40,
)


def _is_business_moment(moment: datetime.datetime, holidays) -> bool:
    local = moment.astimezone(RIYADH)
    working_day = local.weekday() not in (4, 5) and local.date() not in holidays
    return working_day and datetime.time(8) <= local.time() <= datetime.time(16)


@settings(max_examples=300, deadline=None)
@given(start=_starts, hours=st.integers(min_value=1, max_value=200), holidays=_holidays)
def test_property_the_deadline_is_a_business_moment_exactly_that_far(start, hours, holidays):
    due = add_business_hours(start, hours, holidays=holidays)
    assert due > start
    assert _is_business_moment(due, holidays)
    assert business_hours_between(start, due, holidays=holidays) == pytest.approx(hours)


@settings(max_examples=200, deadline=None)
@given(
    start=_starts,
    first=st.integers(min_value=0, max_value=80),
    second=st.integers(min_value=1, max_value=80),
    holidays=_holidays,
)
def test_property_deadlines_add_up(start, first, second, holidays):
    once = add_business_hours(start, first + second, holidays=holidays)
    twice = add_business_hours(
        add_business_hours(start, first, holidays=holidays), second, holidays=holidays
    )
    assert once == twice


@settings(max_examples=200, deadline=None)
@given(start=_starts, hours=st.integers(min_value=0, max_value=100), holidays=_holidays)
def test_property_one_more_hour_is_later(start, hours, holidays):
    assert add_business_hours(start, hours + 1, holidays=holidays) > add_business_hours(
        start, hours, holidays=holidays
    )
