"""The events a survey follows, read from the apps where they happen.

Each source is a selector of the app that owns the event, returning plain rows for the events
in a time window, with these keys:

    key             "<event>:<id>", unique for ever: one invitation per event
    at              when it happened (aware datetime)
    beneficiary_id  who was served
    branch_id       where
    channel_id      the core.Channel of the request or ticket (None when not known)
    aid_type_id     for request events, the aid decided or delivered
    staff_id        the staff member who served (owner, researcher, recorder…), or None
    reference       a request or ticket reference, shown to the person and to staff

The surveys app reads events this way rather than being called by the other apps, so assistance
and contact need not know surveys exist, and a survey switched on later still finds the events
of the last days (`SURVEYS["LOOKBACK_DAYS"]`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from assistance import selectors as assistance_selectors
from contact import selectors as contact_selectors
from surveys.models import Event

SOURCES: dict[str, Callable[[datetime, datetime], list[dict]]] = {
    Event.DECISION: assistance_selectors.decisions_told_between,
    Event.DELIVERY: assistance_selectors.deliveries_recorded_between,
    Event.HOME_VISIT: assistance_selectors.home_visits_done_between,
    Event.TICKET: contact_selectors.tickets_resolved_between,
    Event.RECEPTION: contact_selectors.reception_visits_ended_between,
}


def events_between(event: str, start: datetime, end: datetime) -> list[dict]:
    return SOURCES[event](start, end)
