"""Huey tasks of the surveys: thin wrappers around the dispatcher, safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from surveys import services


@db_periodic_task(crontab(minute="*/10"))
def dispatch_surveys() -> dict[str, int]:
    """Every ten minutes: invitations for new events, then the sends, reminders and expiries
    that are due. Each step is idempotent (unique event keys, outbox idempotency keys, rows
    locked with SKIP LOCKED), so an overlapping run sends nothing twice. Messages that fall in
    the quiet hours wait in the outbox until morning."""
    return {
        "created": services.invitations_create(),
        "sent": services.invitations_send(),
        "reminded": services.invitations_remind(),
        "expired": services.invitations_expire(),
    }
