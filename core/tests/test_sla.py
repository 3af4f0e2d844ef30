"""Deadline arithmetic across the Friday–Saturday weekend and the holiday table."""

from datetime import date

import pytest

from core.models import Holiday
from core.sla import add_days, working_days_between

pytestmark = pytest.mark.django_db

SUNDAY = date(2026, 3, 1)  # a Sunday, the first Saudi working day of the week


def test_calendar_days_are_a_plain_addition():
    assert add_days(SUNDAY, 14, working_days=False) == date(2026, 3, 15)


def test_calendar_deadline_on_a_friday_moves_to_sunday():
    thursday = date(2026, 3, 5)
    assert add_days(thursday, 1, working_days=False) == date(2026, 3, 8)


def test_working_days_skip_the_weekend():
    # The day of submission does not count: Mon–Thu, Sun–Thu, then Sunday 15 March.
    assert add_days(SUNDAY, 10, working_days=True) == date(2026, 3, 15)


def test_working_days_skip_holidays():
    Holiday.objects.create(date=date(2026, 3, 3), name_ar="عطلة")
    Holiday.objects.create(date=date(2026, 3, 4), name_ar="عطلة")
    assert add_days(SUNDAY, 3, working_days=True) == date(2026, 3, 8)


def test_eid_break_pushes_a_calendar_deadline():
    for day in range(19, 26):
        Holiday.objects.create(date=date(2026, 3, day), name_ar="عيد الفطر")
    # 14 calendar days from 8 March land on Sunday 22 March, inside the break that ends on
    # Wednesday 25 March; Thursday 26 is the first working day.
    assert add_days(date(2026, 3, 8), 14, working_days=False) == date(2026, 3, 26)


def test_working_days_between():
    assert working_days_between(SUNDAY, date(2026, 3, 8)) == 5
    assert working_days_between(SUNDAY, SUNDAY) == 0
