"""Huey tasks of the policy registry: thin wrappers around the services, safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from knowledge import services


# 08:00 Riyadh time (HUEY "utc": False), at the start of the working day.
@db_periodic_task(crontab(hour="8", minute="0"))
def daily_policy_review_reminders() -> int:
    """Every morning: e-mail managers about policies whose review is near or due. Each
    reminder is claimed by a unique row before it is queued, so a doubled run sends nothing
    twice."""
    return services.policy_review_reminders()
