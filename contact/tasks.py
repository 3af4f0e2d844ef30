"""Huey tasks of the contact centre: thin wrappers around the services, safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from contact import escalation


@db_periodic_task(crontab(minute="*/10"))
def escalate_overdue_tickets() -> int:
    """Every ten minutes: raise the tickets whose next escalation time has passed and tell
    the people of each level. Idempotent: a level reached is saved with its e-mails in one
    transaction, so a doubled or retried run tells nobody twice."""
    return escalation.tickets_escalate()
