"""Huey tasks of the request workflow: thin wrappers around the services, safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from assistance import deadlines, services


# 07:00 Riyadh time, before the working day starts (HUEY "utc": False: crontabs follow
# TIME_ZONE).
@db_periodic_task(crontab(hour="7", minute="0"))
def daily_overdue_digest() -> int:
    """Every morning: e-mail each manager the overdue requests of their scope. Idempotent per
    manager and day, so a retried or doubled run sends nothing twice."""
    return deadlines.send_overdue_digest()


@db_periodic_task(crontab(hour="9", minute="0"))
def daily_information_reminders() -> int:
    """Every morning at 09:00: remind applicants whose requested information is due. Each
    reminder is claimed before it is queued, so a doubled run sends nothing twice."""
    return services.info_request_reminders()
