"""Huey tasks of outreach: thin wrappers around the services, safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from outreach import services


# 09:00 Riyadh time (HUEY "utc": False: crontabs follow TIME_ZONE); messages still wait for
# the end of the quiet hours if the setting puts 09:00 inside them.
@db_periodic_task(crontab(hour="9", minute="0"))
def daily_outreach() -> int:
    """Every morning: run each active outreach rule. A person is reached once per rule and
    occasion, so a doubled or retried run sends nothing twice. Returns the number of runs."""
    return len(services.rules_run_daily())
