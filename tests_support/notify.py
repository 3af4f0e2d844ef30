"""Fixtures for code that sends messages kept to daytime hours (notify's quiet hours).

A message whose template is marked "keep to daytime hours", or enqueued with
`quiet_hours=True`, is held when it falls in NOTIFY_QUIET_HOURS (default 21:00-08:00,
Riyadh time). A test of such sending should not depend on the hour it happens to run at:
either fix the clock with `riyadh_clock`, or switch quiet hours off with `quiet_hours_off`.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.utils import timezone


@pytest.fixture
def quiet_hours_off(settings):
    """No quiet hours: every message is scheduled at once, whatever the time."""
    settings.NOTIFY_QUIET_HOURS = ""


@pytest.fixture
def riyadh_clock(monkeypatch):
    """`riyadh_clock(datetime(2026, 3, 1, 22, 30))` makes `timezone.now()` return that
    moment, read as Riyadh local time when naive, and returns it (aware). Call it again to
    move the clock."""

    def set_clock(moment: datetime.datetime) -> datetime.datetime:
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=ZoneInfo(django_settings.TIME_ZONE))
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_clock
