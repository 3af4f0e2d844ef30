"""Huey tasks: thin wrappers around the services, safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from notify import services


@db_task()
def send_message_task(message_id: int) -> None:
    """Send one message. A second run, or a run for a message already sent, does nothing:
    `message_send` sends only if it wins the claim on a due row."""
    services.message_send(message_id)


@db_periodic_task(crontab(minute="*"))
def retry_due_messages() -> int:
    """Every minute: hand the workers every message that is due and not being sent."""
    due = services.messages_sweep()
    for message_id in due:
        send_message_task(message_id)
    return len(due)
