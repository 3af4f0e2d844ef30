"""Huey tasks of the registry: thin wrappers around its services, safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from beneficiaries import reminders


# 09:30 Riyadh time (HUEY "utc": False: crontabs follow TIME_ZONE), a polite hour for an SMS.
@db_periodic_task(crontab(hour="9", minute="30"))
def daily_document_expiry_reminders() -> int:
    """Every morning: one SMS per document entering its expiry warning window. Idempotent per
    document and expiry date, so a doubled run sends nothing twice."""
    return reminders.document_expiry_reminders()
