"""Proactive outreach (policy P2, "reach them without being asked"): rules, their runs, the
staff tasks they create, and the seasons they follow.

A rule is trigger → condition → action: *when* something happens to a person (a document
about to expire, information asked for and not given, months without contact, an orphan
turning 18, a season coming), *for whom* (categories, a branch), *do* what (a message from a
template on the person's channel, or a task for staff). Every execution is a `Run` with its
counts, refused ones included, so what was sent and why can always be shown.

Each person is reached once per rule and *occasion* — one document's expiry, one question,
one stretch of silence, one orphan's eighteenth birthday, one season of one year — so the
daily schedule can run every rule every day and send nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import BilingualNameModel, PublicIdModel, TimeStampedModel

TEMPLATE_PREFIX = "outreach."


class Trigger(models.TextChoices):
    DOCUMENT_EXPIRING = "document_expiring", _("A document expires within N days")
    INFO_PENDING = "info_pending", _("Information requested and not given for N days")
    NO_CONTACT = "no_contact", _("No contact for N months")
    ORPHAN_ADULT = "orphan_adult", _("An orphan turns 18 within N days")
    SEASON = "season", _("A season starts within N days")


# Triggers counted in days; NO_CONTACT alone is counted in months.
DAY_TRIGGERS = [
    str(t.value)
    for t in (Trigger.DOCUMENT_EXPIRING, Trigger.INFO_PENDING, Trigger.ORPHAN_ADULT, Trigger.SEASON)
]
MAX_DAYS = 365
MAX_MONTHS = 60

# What a template or task text may use, by trigger (filled in per person by the selectors).
COMMON_PLACEHOLDERS = ("name", "full_name", "branch")
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    Trigger.DOCUMENT_EXPIRING: ("document", "member", "expires_on", "days_left", "url"),
    Trigger.INFO_PENDING: ("reference", "missing", "requested_on", "due_date", "days"),
    Trigger.NO_CONTACT: ("last_contact", "months"),
    Trigger.ORPHAN_ADULT: ("member", "turns_18_on", "days_left"),
    Trigger.SEASON: ("season", "starts_on", "ends_on", "days_left"),
}


def placeholders_for(trigger: str) -> tuple[str, ...]:
    return COMMON_PLACEHOLDERS + PLACEHOLDERS.get(trigger, ())


class Action(models.TextChoices):
    MESSAGE = "message", _("Send a message on the person's preferred channel")
    TASK = "task", _("Create a follow-up task for staff")


class Calendar(models.TextChoices):
    HIJRI = "hijri", _("Hijri")
    GREGORIAN = "gregorian", _("Gregorian")


class Season(BilingualNameModel):
    """A yearly occasion (Ramadan, the Eids, the school year, winter) and its usual dates.

    A Hijri season's usual start is an Umm al-Qura day; the real one follows the moon sighting
    and a manager may set it for a year (`SeasonDate`). A Gregorian season (school year,
    winter) has a usual day of the Gregorian year, which a manager may also move for a year.
    """

    calendar = models.CharField(_("calendar"), max_length=10, choices=Calendar.choices)
    start_month = models.PositiveSmallIntegerField(_("usual start: month"))
    start_day = models.PositiveSmallIntegerField(_("usual start: day"))
    end_month = models.PositiveSmallIntegerField(_("usual end: month"))
    end_day = models.PositiveSmallIntegerField(
        _("usual end: day"),
        help_text=_("A Hijri day 30 that a month does not have is taken as its last day."),
    )

    class Meta(BilingualNameModel.Meta):
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        constraints = [
            models.CheckConstraint(
                condition=Q(calendar__in=Calendar.values), name="outreach_season_calendar_valid"
            ),
            models.CheckConstraint(
                condition=Q(start_month__gte=1, start_month__lte=12)
                & Q(end_month__gte=1, end_month__lte=12)
                & Q(start_day__gte=1, start_day__lte=31)
                & Q(end_day__gte=1, end_day__lte=31),
                name="outreach_season_days_valid",
            ),
            models.CheckConstraint(
                condition=Q(calendar="gregorian") | Q(start_day__lte=30, end_day__lte=30),
                name="outreach_season_hijri_days",
            ),
        ]


class SeasonDate(TimeStampedModel):
    """A season's dates for one year as announced (moon sighting, the school calendar), set by
    a manager. `year` is in the season's calendar: 1448 for Ramadan, 2026 for winter."""

    season = models.ForeignKey(
        Season, verbose_name=_("season"), on_delete=models.CASCADE, related_name="dates"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    note = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the date comes from, e.g. the Supreme Court's announcement."),
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("season date")
        verbose_name_plural = _("season dates")
        ordering = ["season", "year"]
        constraints = [
            models.UniqueConstraint(fields=["season", "year"], name="outreach_one_date_per_year"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="outreach_season_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.season} {self.year}"


class Rule(PublicIdModel, TimeStampedModel):
    """Trigger → condition → action, edited by a manager.

    A new or changed rule is inactive: the daily schedule runs it only once a manager has
    previewed its audience and switched it on (`outreach.services.rule_set_active`).
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    trigger = models.CharField(_("when"), max_length=20, choices=Trigger.choices)
    days = models.PositiveSmallIntegerField(
        _("number of days"),
        null=True,
        blank=True,
        help_text=_("For every trigger except “no contact”."),
    )
    months = models.PositiveSmallIntegerField(
        _("number of months"), null=True, blank=True, help_text=_("For “no contact” only.")
    )
    season = models.ForeignKey(
        Season,
        verbose_name=_("season"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rules",
    )
    categories = models.ManyToManyField(
        "beneficiaries.Category",
        verbose_name=_("categories"),
        blank=True,
        related_name="+",
        help_text=_("None ticked: every category."),
    )
    branch = models.ForeignKey(
        "accounts.Branch",
        verbose_name=_("branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every branch."),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    template = models.ForeignKey(
        "notify.MessageTemplate",
        verbose_name=_("message template"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"code__startswith": TEMPLATE_PREFIX},
    )
    task_text = models.TextField(
        _("task for staff"),
        blank=True,
        help_text=_("What staff should do; placeholders such as {name} are filled in."),
    )
    task_due_days = models.PositiveSmallIntegerField(
        _("task due within (days)"), default=5, help_text=_("Counted from the day of the run.")
    )
    is_active = models.BooleanField(_("runs every day"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("outreach rule")
        verbose_name_plural = _("outreach rules")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(trigger__in=Trigger.values), name="outreach_rule_trigger_valid"
            ),
            models.CheckConstraint(
                condition=Q(action__in=Action.values), name="outreach_rule_action_valid"
            ),
            # Days for the day triggers, months for "no contact", never both.
            models.CheckConstraint(
                condition=(
                    Q(trigger="no_contact", days__isnull=True, months__gte=1)
                    & Q(months__lte=MAX_MONTHS)
                )
                | (
                    Q(trigger__in=DAY_TRIGGERS, months__isnull=True, days__isnull=False)
                    & Q(days__lte=MAX_DAYS)
                ),
                name="outreach_rule_parameter",
            ),
            models.CheckConstraint(
                condition=~Q(trigger="info_pending") | Q(days__gte=1),
                name="outreach_rule_info_days",
            ),
            models.CheckConstraint(
                condition=Q(trigger="season", season__isnull=False)
                | (~Q(trigger="season") & Q(season__isnull=True)),
                name="outreach_rule_season",
            ),
            models.CheckConstraint(
                condition=Q(action="message", template__isnull=False, task_text="")
                | (Q(action="task", template__isnull=True) & ~Q(task_text="")),
                name="outreach_rule_action_content",
            ),
            models.CheckConstraint(
                condition=Q(task_due_days__lte=MAX_DAYS), name="outreach_rule_task_due"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outreach:rule_detail", args=[self.public_id])

    @property
    def is_message(self) -> bool:
        return self.action == Action.MESSAGE

    def clean(self) -> None:
        """The same consistency as the constraints, as field errors staff can act on."""
        from notify.models import placeholders, validate_template_text

        errors: dict[str, list] = {}
        if self.trigger == Trigger.NO_CONTACT:
            self.days = None
            if self.months is None:
                errors.setdefault("months", []).append(
                    _("Enter after how many months without contact.")
                )
            elif not 1 <= self.months <= MAX_MONTHS:
                errors.setdefault("months", []).append(
                    ValidationError(
                        _("Enter a number of months from 1 to %(max)s."),
                        code="months_range",
                        params={"max": MAX_MONTHS},
                    )
                )
        elif self.trigger:
            self.months = None
            low = 1 if self.trigger == Trigger.INFO_PENDING else 0
            if self.days is None:
                errors.setdefault("days", []).append(_("Enter the number of days."))
            elif not low <= self.days <= MAX_DAYS:
                errors.setdefault("days", []).append(
                    ValidationError(
                        _("Enter a number of days from %(min)s to %(max)s."),
                        code="days_range",
                        params={"min": low, "max": MAX_DAYS},
                    )
                )
        if self.trigger == Trigger.SEASON:
            if self.season_id is None:
                errors.setdefault("season", []).append(_("Choose the season."))
        else:
            self.season = None

        allowed = placeholders_for(self.trigger)
        if self.action == Action.MESSAGE:
            self.task_text = ""
            if self.template_id is None:
                errors.setdefault("template", []).append(_("Choose the message to send."))
            else:
                template = self.template
                texts = [template.body_ar, template.body_en, template.subject_ar]
                unknown = _unknown_placeholders(texts, allowed, placeholders)
                if unknown:
                    errors.setdefault("template", []).append(_placeholder_error(unknown, allowed))
        elif self.action == Action.TASK:
            self.template = None
            self.task_text = (self.task_text or "").strip()
            if not self.task_text:
                errors.setdefault("task_text", []).append(_("Say what staff should do."))
            else:
                try:
                    validate_template_text(self.task_text)
                except ValidationError as exc:
                    errors.setdefault("task_text", []).extend(exc.messages)
                else:
                    unknown = _unknown_placeholders([self.task_text], allowed, placeholders)
                    if unknown:
                        errors.setdefault("task_text", []).append(
                            _placeholder_error(unknown, allowed)
                        )
            if not 1 <= (self.task_due_days or 0) <= MAX_DAYS:
                errors.setdefault("task_due_days", []).append(
                    ValidationError(
                        _("Enter a number of days from %(min)s to %(max)s."),
                        code="days_range",
                        params={"min": 1, "max": MAX_DAYS},
                    )
                )
        if errors:
            raise ValidationError(errors)


def _unknown_placeholders(texts, allowed, placeholders) -> list[str]:
    unknown: list[str] = []
    for text in texts:
        try:
            names = placeholders(text or "")
        except ValueError:
            continue
        unknown += [n for n in names if n not in allowed and n not in unknown]
    return unknown


def _placeholder_error(unknown: list[str], allowed) -> ValidationError:
    return ValidationError(
        _(
            "This text uses %(unknown)s, which this trigger cannot fill in. "
            "It may use: %(allowed)s."
        ),
        code="unknown_placeholder",
        params={
            "unknown": " ".join(f"{{{n}}}" for n in unknown),
            "allowed": " ".join(f"{{{n}}}" for n in allowed),
        },
    )


class RunStatus(models.TextChoices):
    DONE = "done", _("Done")
    REFUSED_EMPTY = "refused_empty", _("Not sent: nobody to reach")
    REFUSED_TOO_LARGE = "refused_too_large", _("Not sent: audience too large")
    # An inactive template would store every message cancelled under its key, and the people
    # could then never receive it once the template is switched on again.
    REFUSED_TEMPLATE = "refused_template", _("Not sent: the message template is switched off")


class Run(models.Model):
    """One execution of a rule, by a manager ("send now") or the daily schedule (no user),
    with what it found and did. Refused runs are recorded too, with their reason."""

    rule = models.ForeignKey(
        Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="runs"
    )
    run_on = models.DateField(_("day evaluated"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("result"), max_length=20, choices=RunStatus.choices)
    audience_size = models.PositiveIntegerField(_("audience"), default=0)
    skipped_opted_out = models.PositiveIntegerField(_("opted out"), default=0)
    skipped_no_address = models.PositiveIntegerField(_("no address"), default=0)
    already_contacted = models.PositiveIntegerField(_("already reached"), default=0)
    sent = models.PositiveIntegerField(_("messages queued"), default=0)
    tasks_created = models.PositiveIntegerField(_("tasks created"), default=0)
    # MUSTAFID["OUTREACH"]["MAX_AUDIENCE"] when the run was made.
    limit = models.PositiveIntegerField(_("audience limit"))

    class Meta:
        verbose_name = _("outreach run")
        verbose_name_plural = _("outreach runs")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="outreach_run_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=models.F("started_at")),
                name="outreach_run_finished_after_start",
            ),
            # A refused run sends nothing and creates nothing.
            models.CheckConstraint(
                condition=Q(status="done") | Q(sent=0, tasks_created=0),
                name="outreach_run_refused_sends_nothing",
            ),
        ]
        indexes = [models.Index(fields=["rule", "-started_at"], name="outreach_run_rule_idx")]

    def __str__(self) -> str:
        return f"{self.rule} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def reachable(self) -> int:
        return self.audience_size - self.skipped_opted_out - self.skipped_no_address

    @property
    def explanation(self) -> str:
        """Why a run sent nothing, in the reader's language ("" for a run that went ahead)."""
        if self.status == RunStatus.REFUSED_TOO_LARGE:
            return _("%(count)s people, more than the limit of %(limit)s: narrow the rule.") % {
                "count": self.reachable,
                "limit": self.limit,
            }
        if self.status == RunStatus.REFUSED_TEMPLATE:
            return _("Switch the message template on, or choose another, and run it again.")
        if self.status != RunStatus.REFUSED_EMPTY:
            return ""
        if not self.audience_size:
            return _("The rule finds nobody on that day.")
        if self.skipped_opted_out == self.audience_size:
            return _("Everyone the rule finds has asked not to receive outreach.")
        return _("Nobody the rule finds can be reached: no number or address.")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DISMISSED = "dismissed", _("Dismissed")


class Task(PublicIdModel):
    """Something staff must do for one person, created by a task rule; one per rule, person
    and occasion. Listed for the person's branch."""

    rule = models.ForeignKey(
        Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="tasks"
    )
    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="tasks")
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("beneficiary"),
        on_delete=models.CASCADE,
        related_name="outreach_tasks",
    )
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    occasion = models.CharField(max_length=80)
    # What the task is about (the document, the orphan…), in both languages.
    occasion_label = models.CharField(_("occasion"), max_length=300, blank=True)
    occasion_label_en = models.CharField(max_length=300, blank=True)
    text = models.TextField(_("task"))
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outreach task")
        verbose_name_plural = _("outreach tasks")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "beneficiary", "occasion"], name="outreach_one_task_per_occasion"
            ),
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values), name="outreach_task_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="open", done_at__isnull=True, done_by__isnull=True)
                | (~Q(status="open") & Q(done_at__isnull=False, done_by__isnull=False)),
                name="outreach_task_closed_when_done",
            ),
        ]
        indexes = [
            # The staff list: open tasks of a branch (or of all) by due date.
            models.Index(fields=["status", "branch", "due_on"], name="outreach_task_queue_idx"),
            models.Index(fields=["status", "due_on"], name="outreach_task_due_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.OPEN and self.due_on < timezone.localdate()

    @property
    def occasion_text(self) -> str:
        if (get_language() or "ar").startswith("en") and self.occasion_label_en:
            return self.occasion_label_en
        return self.occasion_label
