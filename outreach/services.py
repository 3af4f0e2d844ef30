"""Every write of outreach: rules, runs, seasons' dates and tasks.

Each service checks the actor's permission, runs in one transaction, validates with
`full_clean()` and appends an activity-log row (core.activity). A run is the only place
messages and tasks are created: `rule_run` — called by "Send now" with the manager as actor,
and by the daily schedule (`rules_run_daily`) with none.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.activity import log_action, log_actions
from core.hijri import format_dual
from outreach import permissions, selectors
from outreach.models import (
    Action,
    Calendar,
    Rule,
    Run,
    RunStatus,
    Season,
    SeasonDate,
    Task,
    TaskStatus,
)
from outreach.seasons import MOON_TOLERANCE_DAYS, usual_dates

logger = logging.getLogger("outreach")

RULE_FIELDS = (
    "name",
    "trigger",
    "days",
    "months",
    "season",
    "branch",
    "action",
    "template",
    "task_text",
    "task_due_days",
)
# A change to any of these changes who is reached or what they receive: the rule is paused
# until a manager has previewed it again.
REACH_FIELDS = (
    "trigger",
    "days",
    "months",
    "season_id",
    "branch_id",
    "action",
    "template_id",
    "task_text",
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_scope(actor, rule: Rule) -> None:
    # A branch-bound manager writes and sends only their branch's rules.
    if actor.branch_id and rule.branch_id != actor.branch_id:
        raise PermissionDenied


def _check_branch(actor, branch) -> None:
    if actor.branch_id and (branch is None or branch.pk != actor.branch_id):
        raise ValidationError({"branch": _("You may write rules for your own branch only.")})


def _rule_data(rule: Rule) -> dict[str, Any]:
    return {"name": rule.name}


# --- Rules ----------------------------------------------------------------------------------


@transaction.atomic
def rule_create(*, actor, data: dict[str, Any], categories=()) -> Rule:
    """A new rule, inactive until a manager has previewed it and switched it on.
    Logs `outreach.rule.created`."""
    _require(permissions.can_manage_rules(actor))
    _check_branch(actor, data.get("branch"))
    rule = Rule(created_by=actor, is_active=False)
    for name in RULE_FIELDS:
        if name in data:
            setattr(rule, name, data[name])
    rule.full_clean()
    rule.save()
    rule.categories.set(categories)
    log_action(actor=actor, action="outreach.rule.created", target=rule, data=_rule_data(rule))
    return rule


@transaction.atomic
def rule_update(*, actor, rule: Rule, data: dict[str, Any], categories=()) -> Rule:
    """Change a rule. A change to who is reached or what they receive pauses an active rule
    until it is previewed and switched on again. Logs `outreach.rule.updated` (and
    `outreach.rule.paused`)."""
    _require(permissions.can_manage_rules(actor))
    _require_scope(actor, rule)
    _check_branch(actor, data.get("branch", rule.branch))
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    before = {name: getattr(rule, name) for name in REACH_FIELDS}
    before_categories = set(rule.categories.values_list("pk", flat=True))
    for name in RULE_FIELDS:
        if name in data:
            setattr(rule, name, data[name])
    rule.full_clean()
    new_categories = {c.pk for c in categories}
    changed = [n for n in REACH_FIELDS if getattr(rule, n) != before[n]]
    if new_categories != before_categories:
        changed.append("categories")
    paused = bool(changed) and rule.is_active
    if paused:
        rule.is_active = False
    rule.save()
    rule.categories.set(categories)
    log_action(actor=actor, action="outreach.rule.updated", target=rule, data=_rule_data(rule))
    if paused:
        log_action(actor=actor, action="outreach.rule.paused", target=rule, data=_rule_data(rule))
    rule.was_paused = paused
    return rule


@transaction.atomic
def rule_set_active(*, actor, rule: Rule, active: bool) -> Rule:
    """Switch the daily run of a rule on or off. Logs `outreach.rule.activated` or
    `outreach.rule.paused`."""
    _require(permissions.can_manage_rules(actor))
    _require_scope(actor, rule)
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if rule.is_active == active:
        return rule
    rule.is_active = active
    rule.save(update_fields=["is_active", "updated_at"])
    action = "outreach.rule.activated" if active else "outreach.rule.paused"
    log_action(actor=actor, action=action, target=rule, data=_rule_data(rule))
    return rule


# --- Runs -----------------------------------------------------------------------------------


def rule_run(*, rule: Rule, actor=None, today: date | None = None) -> Run:
    """Run a rule once: find its audience, and unless it is empty or larger than
    MUSTAFID["OUTREACH"]["MAX_AUDIENCE"], queue a message from its template on each person's
    channel (kept to daytime hours) or create a task for staff — once per person and occasion,
    so a second run the same day sends nothing new. People who opted out or have no address
    are skipped and counted.

    `actor` is the manager who pressed "Send now", or None for the daily schedule. The rule
    row is locked for the run, so two runs of one rule follow each other. The run is recorded
    whatever its result (`Run`, logged `outreach.run.done` or `outreach.run.refused` against
    the rule); each message or task is logged against its beneficiary
    (`outreach.message.queued`, `outreach.task.created`), beside the outbox's own entry.
    """
    if actor is not None:
        _require(permissions.can_manage_rules(actor))
        _require_scope(actor, rule)
    today = today or timezone.localdate()
    with transaction.atomic():
        rule = (
            Rule.objects.select_for_update(of=("self",))
            .select_related("template", "season")
            .get(pk=rule.pk)
        )
        started = timezone.now()
        audience = selectors.rule_audience(rule, today=today)
        run = Run(
            rule=rule,
            run_on=today,
            started_at=started,
            finished_at=started,
            triggered_by=actor,
            status=RunStatus.DONE,
            audience_size=audience.size,
            skipped_opted_out=audience.opted_out,
            skipped_no_address=audience.no_address,
            limit=audience.limit,
        )
        if audience.is_empty:
            run.status = RunStatus.REFUSED_EMPTY
        elif audience.is_too_large:
            run.status = RunStatus.REFUSED_TOO_LARGE
        elif rule.action == Action.MESSAGE and not rule.template.is_active:
            run.status = RunStatus.REFUSED_TEMPLATE
        run.full_clean()
        run.save()
        if run.status == RunStatus.DONE:
            people = audience.people()
            if rule.action == Action.MESSAGE:
                _send(rule, run, people, actor)
            else:
                _create_tasks(rule, run, people, actor, today)
            run.finished_at = timezone.now()
            run.save()
        log_action(
            actor=actor,
            action="outreach.run.done" if run.status == RunStatus.DONE else "outreach.run.refused",
            target=run,
            subject=rule,
            data={
                "name": rule.name,
                "sent": run.sent,
                "tasks": run.tasks_created,
                "audience": run.audience_size,
                **_both_languages("reason", lambda: run.explanation or run.get_status_display()),
            },
        )
    return run


def _both_languages(key: str, build) -> dict[str, str]:
    """A sentence logged in Arabic as `key` and in English as `key_en` (the timeline shows the
    reader's language)."""
    from django.utils import translation

    with translation.override("ar"):
        arabic = str(build())
    with translation.override("en"):
        english = str(build())
    return {key: arabic, f"{key}_en": english}


def _person_entry(actor, action: str, target, person, rule: Rule, run: Run) -> dict[str, Any]:
    return {
        "actor": actor,
        "action": action,
        "target": target,
        "subject": person.beneficiary,
        "data": {
            "rule": rule.name,
            "occasion": person.label_ar,
            "occasion_en": person.label_en,
            "run": run.pk,
        },
    }


def _send(rule: Rule, run: Run, people: list[selectors.Person], actor) -> None:
    from notify.models import Status
    from notify.services import Notice, message_enqueue_many

    reachable = [p for p in people if p.has_address]
    fresh = [p for p in reachable if not p.already]
    by_channel: dict[str, list[selectors.Person]] = defaultdict(list)
    for person in fresh:
        by_channel[person.channel].append(person)
    entries = []
    queued = failed = 0
    for channel, group in by_channel.items():
        keyed = {selectors.idempotency_key(rule, p): p for p in group}
        messages = message_enqueue_many(
            channel=channel,
            template_code=rule.template.code,
            notices=[
                Notice(
                    recipient=p.recipient, context=p.context, idempotency_key=k, about=p.beneficiary
                )
                for k, p in keyed.items()
            ],
            quiet_hours=True,
        )
        for message in messages:
            person = keyed.get(message.idempotency_key)
            if person is None:
                continue
            if message.status == Status.QUEUED:
                queued += 1
            else:  # an address the outbox refused ("no valid recipient")
                failed += 1
            entries.append(
                _person_entry(actor, "outreach.message.queued", message, person, rule, run)
            )
    log_actions(entries)
    run.sent = queued
    run.skipped_no_address += failed
    run.already_contacted = len(reachable) - len(entries)


def _create_tasks(rule: Rule, run: Run, people, actor, today: date) -> None:
    from notify.services import render

    fresh = [p for p in people if not p.already]
    due = today + timedelta(days=rule.task_due_days)
    tasks = [
        Task(
            rule=rule,
            run=run,
            beneficiary=p.beneficiary,
            branch_id=p.beneficiary.branch_id,
            occasion=p.occasion,
            occasion_label=p.label_ar[:300],
            occasion_label_en=p.label_en[:300],
            text=render(rule.task_text, p.context),
            due_on=due,
        )
        for p in fresh
    ]
    # Fields hold by construction and the constraints are the database's; full_clean() on
    # each would cost queries per task.
    Task.objects.bulk_create(tasks)
    log_actions(
        _person_entry(actor, "outreach.task.created", task, person, rule, run)
        for task, person in zip(tasks, fresh, strict=True)
    )
    run.tasks_created = len(tasks)
    run.already_contacted = len(people) - len(fresh)


def rules_run_daily(*, today: date | None = None) -> list[Run]:
    """Run every active rule once (the daily schedule). Each rule in its own transaction: one
    that fails is logged and the others still run. Idempotent: a second run the same day finds
    everyone already reached."""
    runs = []
    for rule in Rule.objects.filter(is_active=True).order_by("pk"):
        try:
            runs.append(rule_run(rule=rule, today=today))
        except Exception:
            logger.exception("outreach rule %s failed", rule.pk)
    return runs


# --- Seasons --------------------------------------------------------------------------------


@transaction.atomic
def season_date_set(
    *, actor, season: Season, year: int, starts_on: date, ends_on: date, note: str = ""
) -> SeasonDate:
    """Set a season's dates for one year (the moon sighting, the school calendar), replacing
    the usual ones. A Hijri season's start may move from its Umm al-Qura day by at most
    MOON_TOLERANCE_DAYS; a Gregorian season's must fall in its year. Logs
    `outreach.season.dated`."""
    _require(permissions.can_manage_rules(actor))
    usual_start, _usual_end = usual_dates(season, year)  # also checks the year
    errors: dict[str, list] = {}
    if season.calendar == Calendar.HIJRI:
        if abs((starts_on - usual_start).days) > MOON_TOLERANCE_DAYS:
            errors["starts_on"] = [
                ValidationError(
                    _(
                        "%(season)s %(year)s usually starts on %(usual)s: a sighting moves it "
                        "by %(days)s days at most. Check the year and the date."
                    ),
                    code="season_too_far",
                    params={
                        "season": season.name,
                        "year": year,
                        "usual": format_dual(usual_start),
                        "days": MOON_TOLERANCE_DAYS,
                    },
                )
            ]
    elif starts_on.year != year:
        errors["starts_on"] = [
            ValidationError(
                _("The start must fall in %(year)s."),
                code="season_wrong_year",
                params={"year": year},
            )
        ]
    if ends_on < starts_on:
        errors["ends_on"] = [
            ValidationError(_("The end cannot be before the start."), code="season_end_before")
        ]
    elif (ends_on - starts_on).days > 366:
        errors["ends_on"] = [
            ValidationError(_("A season lasts a year at most."), code="season_too_long")
        ]
    if errors:
        raise ValidationError(errors)
    dated, _created = SeasonDate.objects.select_for_update().get_or_create(
        season=season,
        year=year,
        defaults={"starts_on": starts_on, "ends_on": ends_on, "note": note, "set_by": actor},
    )
    dated.starts_on, dated.ends_on, dated.note, dated.set_by = starts_on, ends_on, note, actor
    dated.full_clean()
    dated.save()
    log_action(
        actor=actor,
        action="outreach.season.dated",
        target=dated,
        subject=season,
        data={
            "season": season.name_ar,
            "season_en": season.name_en or season.name_ar,
            "year": year,
            "starts_on": format_dual(starts_on),
            "ends_on": format_dual(ends_on),
        },
    )
    return dated


@transaction.atomic
def season_date_clear(*, actor, season: Season, year: int) -> None:
    """Go back to the usual dates for one year. Logs `outreach.season.reset`."""
    _require(permissions.can_manage_rules(actor))
    dated = SeasonDate.objects.select_for_update().filter(season=season, year=year).first()
    if dated is None:
        return
    log_action(
        actor=actor,
        action="outreach.season.reset",
        target=season,
        data={
            "season": season.name_ar,
            "season_en": season.name_en or season.name_ar,
            "year": year,
        },
    )
    dated.delete()


# --- Tasks ----------------------------------------------------------------------------------


@transaction.atomic
def task_close(*, actor, task: Task, status: str, outcome: str = "") -> Task:
    """Mark an open task done, or dismiss it with a reason. Staff of the task's branch (or of
    none). Logs `outreach.task.done` or `outreach.task.dismissed` on the beneficiary's
    timeline."""
    _require(permissions.can_work_tasks(actor))
    if actor.branch_id and task.branch_id != actor.branch_id:
        raise PermissionDenied
    if status not in (TaskStatus.DONE, TaskStatus.DISMISSED):
        raise ValidationError({"status": _("Choose done or dismissed.")})
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task has already been closed."), code="task_closed")
    outcome = " ".join((outcome or "").split())
    if status == TaskStatus.DISMISSED and not outcome:
        raise ValidationError({"outcome": _("Say why the task is dismissed.")})
    task.status = status
    task.outcome = outcome[:300]
    task.done_by = actor
    task.done_at = timezone.now()
    task.full_clean()
    task.save()
    log_action(
        actor=actor,
        action=f"outreach.task.{status}",
        target=task,
        subject=task.beneficiary,
        data={"text": task.text[:200], "outcome": task.outcome},
    )
    return task
