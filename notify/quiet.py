"""Quiet hours: the part of the night in which no unsolicited message is sent.

Surveys, reminders and seasonal messages (templates marked "keep to daytime hours", or
enqueued with `quiet_hours=True`) that fall in the window wait until it ends; notices a person
is waiting for (a code, a decision) are never held. The window is NOTIFY_QUIET_HOURS,
"HH:MM-HH:MM" in the organisation's time zone (TIME_ZONE, Asia/Riyadh); it may wrap midnight
("21:00-08:00"), and an empty value switches quiet hours off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from notify.conf import setting


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time
    tz: ZoneInfo

    def contains(self, moment: datetime) -> bool:
        clock = timezone.localtime(moment, self.tz).time()
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end  # wraps midnight

    def end_after(self, moment: datetime) -> datetime:
        """The first end of the window after `moment` (the next local 08:00, say)."""
        local = timezone.localtime(moment, self.tz)
        end = datetime.combine(local.date(), self.end, tzinfo=self.tz)
        if end <= local:
            end = datetime.combine(local.date() + timedelta(days=1), self.end, tzinfo=self.tz)
        return end


def _parse_clock(text: str) -> time:
    hours, colon, minutes = text.strip().partition(":")
    if not colon:
        raise ValueError(text)
    return time(int(hours), int(minutes))


def quiet_hours() -> QuietHours | None:
    """The configured window, or None when NOTIFY_QUIET_HOURS is empty."""
    raw = (setting("NOTIFY_QUIET_HOURS") or "").strip()
    if not raw:
        return None
    try:
        start_text, end_text = raw.split("-")
        start, end = _parse_clock(start_text), _parse_clock(end_text)
    except ValueError as exc:
        message = f"NOTIFY_QUIET_HOURS must look like 21:00-08:00, not {raw!r}"
        raise ImproperlyConfigured(message) from exc
    if start == end:
        raise ImproperlyConfigured("NOTIFY_QUIET_HOURS must start and end at different times")
    return QuietHours(start, end, ZoneInfo(settings.TIME_ZONE))


def held_until(now: datetime | None = None) -> datetime | None:
    """When the quiet hours around `now` end, or None if `now` is outside them (or they are
    switched off): a held message is due then."""
    window = quiet_hours()
    now = now or timezone.now()
    if window is None or not window.contains(now):
        return None
    return window.end_after(now)
