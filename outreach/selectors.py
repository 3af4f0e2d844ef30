"""Reads of outreach: rules, runs, tasks and seasons scoped to the user, and each rule's
audience.

A rule's audience is the beneficiaries its trigger finds today in its categories and branch.
`rule_audience` counts it in one query — the trigger as EXISTS / NOT EXISTS subqueries on
indexed columns, whatever the size of the registry — and keeps the people as a lazy queryset,
read only when a preview page or a run needs them (at most the audience limit). Each person
comes with the *occasion* the rule reaches them about (which document, which question, which
stretch of silence, which orphan, which season of which year), the key that makes a person
reached once per rule and occasion.

The triggers read other apps' tables (documents and household members of the registry,
information requests of support requests, contacts, the outbox's keys) read-only from here:
each is one subquery that only makes sense next to the others, and a function per app would
scatter one query over four modules.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from beneficiaries.models import Beneficiary, Document, HouseholdMember, Relation
from core.hijri import format_dual
from outreach import permissions
from outreach.models import Action, Rule, Run, Season, Task, TaskStatus, Trigger
from outreach.seasons import Occurrence, next_occurrences, upcoming

PREVIEW_SIZE = 50
ORPHANS_CATEGORY = "orphans"
ADULT_AGE = 18
# Household members who are not the orphans of an orphans' household.
NOT_ORPHANS = (Relation.SPOUSE, Relation.FATHER, Relation.MOTHER)


def max_audience() -> int:
    return int(settings.MUSTAFID.get("OUTREACH", {}).get("MAX_AUDIENCE", 2000))


# --- Dates --------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's end (31 March − 1 → 28/29 Feb)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def birthday_at(birth_date: date, age: int) -> date:
    """The day a person born on `birth_date` reaches `age` (as `beneficiaries.models.age_on`
    counts it: someone born on 29 February comes of age on 1 March in a common year)."""
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:
        return date(birth_date.year + age, 3, 1)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- Triggers -----------------------------------------------------------------------------


@dataclass
class _Trigger:
    """A trigger as SQL: `match` filters beneficiaries; `annotations` name, per person, the
    record the occasion is about (read only for the rows fetched)."""

    match: Any
    annotations: dict[str, Any] = field(default_factory=dict)
    occurrence: Occurrence | None = None


def _documents_expiring(today: date, days: int) -> tuple[QuerySet, Q]:
    """Documents expiring from today to `days` ahead, unless the same person (the applicant,
    or the same household member) has since uploaded one of the same type that lasts longer
    — as `beneficiaries.reminders` decides it.

    Returns the matching documents (a queryset of their beneficiaries' ids) and the same
    condition on a document, for the per-person occasion. The applicant's documents and the
    members' are two queries joined by UNION, each with a plain NOT EXISTS that PostgreSQL
    turns into an anti-join over the window's documents; the beneficiaries are then matched
    with one hash join. (One query with "member is null OR …" kept the NOT EXISTS as a
    correlated sub-plan on every document, an estimate high enough to switch on JIT
    compilation, which alone cost more than a second on 200,000 files.)"""
    newer = Document.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")),
        beneficiary_id=OuterRef("beneficiary_id"),
        doc_type_id=OuterRef("doc_type_id"),
        created_at__gt=OuterRef("created_at"),
    )
    window = Q(expires_on__gte=today, expires_on__lte=today + timedelta(days=days))
    renewed_own = Exists(newer.filter(member__isnull=True))
    renewed_member = Exists(newer.filter(member_id=OuterRef("member_id")))
    own = Document.objects.filter(window, member__isnull=True).filter(~renewed_own)
    members = Document.objects.filter(window, member__isnull=False).filter(~renewed_member)
    # Unordered: a compound statement refuses ORDER BY in its parts (Document is ordered).
    beneficiary_ids = (
        own.order_by().values("beneficiary_id").union(members.order_by().values("beneficiary_id"))
    )
    current = window & (
        (Q(member__isnull=True) & ~renewed_own) | (Q(member__isnull=False) & ~renewed_member)
    )
    return beneficiary_ids, current


def _info_pending(today: date, days: int):
    from assistance.models import InfoRequest, Status

    # Asked on day D, it has waited `days` days on day D + days.
    cutoff = _local_midnight(today - timedelta(days=days - 1))
    return InfoRequest.objects.filter(
        request__beneficiary_id=OuterRef("pk"),
        request__status=Status.AWAITING_APPLICANT,
        answered_at__isnull=True,
        created_at__lt=cutoff,
    ).order_by("created_at", "pk")


def _orphans_coming_of_age(today: date, days: int) -> QuerySet[HouseholdMember]:
    # Turns 18 between today and today + days ⇔ under 18 yesterday, 18 on the last day.
    return (
        HouseholdMember.objects.filter(
            beneficiary_id=OuterRef("pk"),
            birth_date__gt=years_before(today - timedelta(days=1), ADULT_AGE),
            birth_date__lte=years_before(today + timedelta(days=days), ADULT_AGE),
        )
        .exclude(relation__in=NOT_ORPHANS)
        .order_by("birth_date", "pk")
    )


def _in_categories(codes_or_ids, *, by_code: bool = False) -> Exists:
    through = Beneficiary.categories.through
    lookup = "category__code__in" if by_code else "category_id__in"
    return Exists(through.objects.filter(beneficiary_id=OuterRef("pk"), **{lookup: codes_or_ids}))


def _trigger(rule: Rule, today: date) -> _Trigger:
    from contact.models import Interaction

    days = rule.days or 0
    if rule.trigger == Trigger.DOCUMENT_EXPIRING:
        beneficiary_ids, current = _documents_expiring(today, days)
        soonest = Document.objects.filter(current, beneficiary_id=OuterRef("pk")).order_by(
            "expires_on", "pk"
        )
        return _Trigger(
            Q(pk__in=beneficiary_ids), {"occasion_id": Subquery(soonest.values("pk")[:1])}
        )
    if rule.trigger == Trigger.INFO_PENDING:
        infos = _info_pending(today, days)
        return _Trigger(Exists(infos), {"occasion_id": Subquery(infos.values("pk")[:1])})
    if rule.trigger == Trigger.NO_CONTACT:
        # Silent since the cutoff: no contact on or after it, and registered before it (the
        # registration was a contact). NOT EXISTS on the (beneficiary, -occurred_at) index.
        cutoff = _local_midnight(add_months(today, -(rule.months or 0)))
        since = Interaction.objects.filter(beneficiary_id=OuterRef("pk"), occurred_at__gte=cutoff)
        last = Interaction.objects.filter(beneficiary_id=OuterRef("pk")).order_by("-occurred_at")
        return _Trigger(
            ~Exists(since) & Q(created_at__lt=cutoff),
            {"last_contact_at": Subquery(last.values("occurred_at")[:1])},
        )
    if rule.trigger == Trigger.ORPHAN_ADULT:
        members = _orphans_coming_of_age(today, days)
        return _Trigger(
            Exists(members) & _in_categories([ORPHANS_CATEGORY], by_code=True),
            {"occasion_id": Subquery(members.values("pk")[:1])},
        )
    if rule.trigger == Trigger.SEASON:
        found = upcoming(rule.season, today=today, days=days) if rule.season_id else None
        return _Trigger(Q() if found else Q(pk__in=[]), occurrence=found)
    raise ValueError(f"unknown trigger {rule.trigger!r}")


# --- The audience -------------------------------------------------------------------------


@dataclass
class Person:
    """One person of an audience and what the rule reaches them about."""

    beneficiary: Beneficiary
    occasion: str  # the key: one message or task per rule, person and occasion
    label: str  # the occasion in words, in the active language
    label_en: str
    label_ar: str
    on: date | None  # the occasion's date (expiry, birthday, season start…)
    context: dict[str, str]  # placeholders, in Arabic, for the message or the task text
    channel: str = ""
    recipient: str = ""
    already: bool = False

    @property
    def has_address(self) -> bool:
        return bool(self.recipient)

    @property
    def channel_label(self) -> str:
        from notify.models import Channel

        return str(Channel(self.channel).label) if self.channel in Channel.values else ""


@dataclass
class Audience:
    """Who a rule reaches today. The counts are read at once; the people only on demand.

    - `size`: everyone the trigger finds in the rule's categories and branch;
    - `opted_out`: of them, those who asked for no outreach (never reached);
    - `no_address`: of the others, those with no number or address (message rules only);
    - `reachable`: the people the rule would act on — what the audience limit applies to.
    """

    rule: Rule
    today: date
    size: int
    opted_out: int
    no_address: int
    queryset: QuerySet[Beneficiary]
    annotations: dict[str, Any]
    occurrence: Occurrence | None = None

    @property
    def eligible(self) -> int:
        return self.size - self.opted_out

    @property
    def reachable(self) -> int:
        return self.eligible - self.no_address

    @property
    def is_empty(self) -> bool:
        return self.reachable <= 0

    @property
    def is_too_large(self) -> bool:
        return self.reachable > max_audience()

    @property
    def limit(self) -> int:
        return max_audience()

    def people(self, *, limit: int | None = None) -> list[Person]:
        """The people not opted out (no-address ones included, flagged), oldest file first,
        with their occasions and message context: a fixed number of queries for any limit."""
        qs = self.queryset.filter(accepts_outreach=True).annotate(**self.annotations)
        qs = qs.select_related("branch").order_by("pk")
        rows = list(qs[:limit] if limit is not None else qs)
        people = _describe(self.rule, self.today, rows, self.occurrence)
        _mark_already(self.rule, people)
        return people


def _base(rule: Rule) -> QuerySet[Beneficiary]:
    qs = Beneficiary.objects.all()
    if rule.branch_id:
        qs = qs.filter(branch_id=rule.branch_id)
    category_ids = [c.pk for c in rule.categories.all()]
    if category_ids:
        qs = qs.filter(_in_categories(category_ids))
    return qs


# Mirrors notify.services.beneficiary_address: a person is unreachable only with neither a
# mobile nor an e-mail address.
_NO_ADDRESS = Q(mobile="") & Q(email="")


def rule_audience(rule: Rule, *, today: date | None = None) -> Audience:
    """The rule's audience on `today` (default: today in Riyadh), counted in one query.

    No user scope: the caller has loaded the rule through `rule_get` (a branch-bound reader
    sees only their branch's rules, whose audience is in that branch) or is the schedule.
    """
    today = today or timezone.localdate()
    trigger = _trigger(rule, today)
    qs = _base(rule).filter(trigger.match)
    counts = {"size": Count("pk"), "opted_out": Count("pk", filter=Q(accepts_outreach=False))}
    if rule.action == Action.MESSAGE:
        counts["no_address"] = Count("pk", filter=Q(accepts_outreach=True) & _NO_ADDRESS)
    found = qs.order_by().aggregate(**counts)
    return Audience(
        rule=rule,
        today=today,
        size=found["size"],
        opted_out=found["opted_out"],
        no_address=found.get("no_address", 0),
        queryset=qs,
        annotations=trigger.annotations,
        occurrence=trigger.occurrence,
    )


# --- Occasions, in words and as message context -------------------------------------------


def _portal_url() -> str:
    try:
        path = reverse("portal:documents")
    except NoReverseMatch:
        path = "/portal/"
    return settings.SITE_URL.rstrip("/") + path


def _both(build) -> tuple[str, str]:
    with translation.override("ar"):
        arabic = str(build())
    with translation.override("en"):
        english = str(build())
    return arabic, english


def _describe(
    rule: Rule, today: date, rows: list[Beneficiary], occurrence: Occurrence | None
) -> list[Person]:
    """Each row's occasion: one query for the records the occasions are about."""
    from assistance.models import InfoRequest

    ids = [getattr(row, "occasion_id", None) for row in rows]
    ids = [i for i in ids if i is not None]
    if rule.trigger == Trigger.DOCUMENT_EXPIRING:
        records = Document.objects.select_related("doc_type", "member").in_bulk(ids)
    elif rule.trigger == Trigger.INFO_PENDING:
        records = InfoRequest.objects.select_related("request").in_bulk(ids)
    elif rule.trigger == Trigger.ORPHAN_ADULT:
        records = HouseholdMember.objects.in_bulk(ids)
    else:
        records = {}
    dates: dict[date, str] = {}

    def dual(day: date | None) -> str:
        if day is None:
            return ""
        if day not in dates:
            dates[day] = format_dual(day)
        return dates[day]

    people = []
    url = _portal_url() if rule.trigger == Trigger.DOCUMENT_EXPIRING else ""
    for row in rows:
        with translation.override("ar"):
            context = {
                "name": row.first_name,
                "full_name": row.full_name,
                "branch": row.branch.name_ar if row.branch_id else "",
            }
        occasion, on, label = _occasion(
            rule, today, row, records.get(getattr(row, "occasion_id", None)), occurrence, dual
        )
        with translation.override("ar"):
            extra = label["context"]()
        context |= extra
        label_ar, label_en = _both(label["text"])
        if url:
            context["url"] = url
        people.append(
            Person(
                beneficiary=row,
                occasion=occasion,
                label=label_en if _english() else label_ar,
                label_en=label_en,
                label_ar=label_ar,
                on=on,
                context=context,
            )
        )
    if rule.action == Action.MESSAGE:
        from notify.services import beneficiary_address

        for person in people:
            person.channel, person.recipient = beneficiary_address(person.beneficiary)
    return people


def _english() -> bool:
    return (translation.get_language() or "ar").startswith("en")


def _occasion(rule, today, row, record, occurrence, dual):
    """(key, date, {"text": label builder, "context": placeholder builder}) for one row.
    The builders are called under the language wanted."""
    if rule.trigger == Trigger.DOCUMENT_EXPIRING:
        doc = record

        def text():
            who = _(" of {member}").format(member=doc.member.full_name) if doc.member_id else ""
            return _("{document}{who} expires on {date}").format(
                document=doc.doc_type.name, who=who, date=dual(doc.expires_on)
            )

        def context():
            return {
                "document": doc.doc_type.name,
                "member": doc.member.full_name if doc.member_id else "",
                "expires_on": dual(doc.expires_on),
                "days_left": str((doc.expires_on - today).days),
            }

        key = f"document:{doc.pk}:{doc.expires_on.isoformat()}"
        return key, doc.expires_on, {"text": text, "context": context}

    if rule.trigger == Trigger.INFO_PENDING:
        info = record
        asked = timezone.localtime(info.created_at).date()

        def text():
            return _("Asked on {date} for request {reference}: {what}").format(
                date=dual(asked), reference=info.request.reference or "", what=info.what[:120]
            )

        def context():
            return {
                "reference": info.request.reference or "",
                "missing": info.what,
                "requested_on": dual(asked),
                "due_date": dual(info.due_date),
                "days": str((today - asked).days),
            }

        return f"info:{info.pk}", asked, {"text": text, "context": context}

    if rule.trigger == Trigger.NO_CONTACT:
        # One message per stretch of silence: the key is the day it began.
        last = row.last_contact_at
        since = timezone.localtime(last or row.created_at).date()

        def text():
            if last is None:
                return _("No contact since registration on {date}").format(date=dual(since))
            return _("Last contact on {date}").format(date=dual(since))

        def context():
            return {"last_contact": dual(since), "months": str(rule.months)}

        return f"silence:{since.isoformat()}", since, {"text": text, "context": context}

    if rule.trigger == Trigger.ORPHAN_ADULT:
        member = record
        turns = birthday_at(member.birth_date, ADULT_AGE)

        def text():
            return _("{member} turns 18 on {date}").format(
                member=member.full_name, date=dual(turns)
            )

        def context():
            return {
                "member": member.full_name,
                "turns_18_on": dual(turns),
                "days_left": str((turns - today).days),
            }

        return f"orphan:{member.pk}", turns, {"text": text, "context": context}

    # Season: the same occasion for everyone, the season of that year.
    found = occurrence

    def text():
        return _("{season} {year} starts on {date}").format(
            season=found.season.name, year=found.year, date=dual(found.starts_on)
        )

    def context():
        return {
            "season": found.season.name,
            "starts_on": dual(found.starts_on),
            "ends_on": dual(found.ends_on),
            "days_left": str((found.starts_on - today).days),
        }

    key = f"season:{found.season.code}:{found.year}"
    return key, found.starts_on, {"text": text, "context": context}


def idempotency_key(rule: Rule, person: Person) -> str:
    """The outbox key of one person's message: one per rule, person and occasion."""
    return f"outreach:{rule.pk}:{person.beneficiary.pk}:{person.occasion}"


def _mark_already(rule: Rule, people: list[Person]) -> None:
    """Flag the people already reached about the same occasion (one query): a task rule's
    tasks, or a message rule's keys in the outbox (read-only)."""
    if not people:
        return
    if rule.action == Action.TASK:
        done = set(
            Task.objects.filter(
                rule=rule, beneficiary_id__in=[p.beneficiary.pk for p in people]
            ).values_list("beneficiary_id", "occasion")
        )
        for person in people:
            person.already = (person.beneficiary.pk, person.occasion) in done
        return
    from notify.models import Message

    keys = {idempotency_key(rule, p): p for p in people}
    taken = set(
        Message.objects.filter(idempotency_key__in=list(keys)).values_list(
            "idempotency_key", flat=True
        )
    )
    for key, person in keys.items():
        person.already = key in taken


# --- Preview ------------------------------------------------------------------------------


def rule_preview(rule: Rule, *, today: date | None = None) -> dict[str, Any]:
    """What the preview page shows: the counts, the first people with their occasions, and the
    message (or task) as the first person would receive it. When the audience is within the
    limit, every person is read to count those already reached."""
    from notify.services import render

    audience = rule_audience(rule, today=today)
    if audience.eligible and not audience.is_too_large:
        everyone = audience.people()
        shown = everyone[:PREVIEW_SIZE]
        already = sum(1 for p in everyone if p.already and (p.has_address or not rule.is_message))
    else:
        shown = audience.people(limit=PREVIEW_SIZE) if audience.eligible else []
        already = None
    first = next((p for p in shown if p.has_address or not rule.is_message), None)
    text = ""
    if first is not None:
        if rule.is_message:
            with translation.override("ar"):
                text = render(
                    rule.template.body_ar, first.context, template_code=rule.template.code
                )
        else:
            with translation.override("ar"):
                text = render(rule.task_text, first.context)
    new = None if already is None else audience.reachable - already
    return {
        "audience": audience,
        "people": shown,
        "already": already,
        "new": new,
        "first": first,
        "text": text,
        "max_audience": max_audience(),
    }


# --- Scoped reads ------------------------------------------------------------------------


def rules_for(user) -> QuerySet[Rule]:
    """The rules the user may see: all, or their branch's for a branch-bound reader."""
    if not permissions.can_view_rules(user):
        return Rule.objects.none()
    qs = Rule.objects.all()
    if user.branch_id:
        qs = qs.filter(branch_id=user.branch_id)
    return qs


def rule_get(user, public_id) -> Rule:
    try:
        return (
            rules_for(user)
            .select_related("season", "branch", "template", "created_by")
            .prefetch_related("categories")
            .get(public_id=public_id)
        )
    except (Rule.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def rule_list(user) -> list[Rule]:
    """The rules with their last run, in two queries."""
    rules = list(
        rules_for(user)
        .select_related("season", "branch", "template")
        .prefetch_related("categories")
        .order_by("-is_active", "name")
    )
    last = {}
    for run in Run.objects.filter(rule__in=[r.pk for r in rules]).order_by(
        "rule_id", "-started_at", "-id"
    ):
        last.setdefault(run.rule_id, run)
    for rule in rules:
        rule.last_run = last.get(rule.pk)
    return rules


def runs_for(rule: Rule) -> QuerySet[Run]:
    return rule.runs.select_related("triggered_by").order_by("-started_at", "-id")


def tasks_for(user) -> QuerySet[Task]:
    """Outreach tasks the user may work on: their branch's, or all for staff of no branch."""
    if not permissions.can_work_tasks(user):
        return Task.objects.none()
    qs = Task.objects.all()
    if user.branch_id:
        qs = qs.filter(branch_id=user.branch_id)
    return qs


def task_list(user, *, status: str = TaskStatus.OPEN) -> QuerySet[Task]:
    return (
        tasks_for(user)
        .filter(status=status)
        .select_related("beneficiary", "branch", "rule", "done_by")
        .order_by("due_on", "pk" if status == TaskStatus.OPEN else "-pk")
    )


def task_get(user, public_id) -> Task:
    try:
        return tasks_for(user).select_related("beneficiary", "rule").get(public_id=public_id)
    except (Task.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def season_overview(*, today: date | None = None) -> list[dict[str, Any]]:
    """Each active season with its next two occurrences (set or usual dates)."""
    today = today or timezone.localdate()
    return [
        {"season": season, "occurrences": next_occurrences(season, today=today)}
        for season in Season.objects.filter(is_active=True)
    ]


def season_get(code: str) -> Season:
    try:
        return Season.objects.get(code=code, is_active=True)
    except Season.DoesNotExist as exc:
        raise Http404 from exc
