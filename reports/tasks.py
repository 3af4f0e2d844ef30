"""Huey tasks of the reports: the recount of the daily figures the pages read."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from reports import recount


@db_periodic_task(crontab(minute="*/5"))
@lock_task("reports-recount")
def recount_figures() -> float:
    """Every five minutes: the dashboard's and the compliance report's figures recounted
    from the rows as they are now (one transaction; the pages say as of when). Returns the
    seconds it took, which the worker's log shows."""
    return recount.recount().seconds
