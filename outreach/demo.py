"""Demo outreach for `make run`: the example task rules run once, so a new user finds
follow-up tasks in the staff list and a run in each rule's history.

The example rules themselves come from the data migration, all switched off: the message
rules are left for the user to preview and switch on. The task rules (a document expiring
within 14 days, an orphan turning 18 within 60 days) are run through the same service as
"Send now", by the demo manager. Idempotent: a rule that has run before is not run again.
"""

from __future__ import annotations

import random

from outreach import permissions, services
from outreach.models import Action, Rule, RunStatus


def seed_demo(*, rng: random.Random, actor) -> str:
    created = ran = 0
    # The demo manager when there is one (of every branch); otherwise as the daily schedule.
    if not (actor and permissions.can_manage_rules(actor) and not actor.branch_id):
        actor = None
    rules = Rule.objects.filter(action=Action.TASK, created_by__isnull=True, runs__isnull=True)
    for rule in rules.exclude(trigger="no_contact").order_by("pk"):
        run = services.rule_run(rule=rule, actor=actor)
        ran += 1
        if run.status == RunStatus.DONE:
            created += run.tasks_created
    return f"Outreach: {ran} example rules run, {created} follow-up tasks created."
