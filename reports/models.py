"""What reports keeps of its own: the record of each export of personal data, and the daily
figures the dashboard and the compliance report read.

Aggregates (counts, shares, averages) name nobody and are exported freely. A drill-down list
names beneficiaries and callers, so each of its exports is recorded here — who, which list,
which filters, how many rows — and that row is the target of the activity-log entry
(`reports.exported`).

The daily figures are derived data: `reports.recount` rebuilds every table below from the
feature apps' rows every few minutes (reports.tasks), in one transaction, so a page reads a
complete recount or the one before it, never half of one. Each row counts the rows of one day
(in Riyadh time) and one combination of the dimensions a page filters or breaks down by; a page
sums the rows of its period. Never edit them by hand: the next recount replaces them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exports import FORMATS


class ExportKind(models.TextChoices):
    REQUESTS = "requests", _("Support requests")
    TICKETS = "tickets", _("Tickets")
    CONTACTS = "contacts", _("Contacts")


class Export(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("list"), max_length=10, choices=ExportKind.choices)
    fmt = models.CharField(_("format"), max_length=4, choices=[(f, f.upper()) for f in FORMATS])
    # The GET parameters the list was filtered by, as asked (strings), for the audit.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"))
    created_at = models.DateTimeField(_("exported at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ExportKind.values), name="report_export_kind_valid"
            ),
            models.CheckConstraint(condition=Q(fmt__in=FORMATS), name="report_export_fmt_valid"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="report_export_user_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.fmt} {self.created_at:%Y-%m-%d %H:%M}"


# --- Daily figures (derived; see the module docstring) -------------------------------------------


class DayFigures(models.Model):
    """The dimensions every page filters by: the day, the branch and the channel."""

    day = models.DateField()
    branch = models.ForeignKey("accounts.Branch", on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        "core.Channel", null=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.day} {self.branch_id}/{self.channel_id}"


class ByCategory(models.Model):
    """A beneficiary may be in several categories, so the rows of a source come twice: once
    as totals (`by_category` false, `category` empty), and once per category of the person
    (`by_category` true; `category` empty for a person in none, or for no person at all).
    Totals answer a page without a category filter; the category rows answer one with it
    and the breakdown by category."""

    by_category = models.BooleanField(default=False)
    category = models.ForeignKey(
        "beneficiaries.Category", null=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True


def _figure_indexes(prefix: str) -> list[models.Index]:
    return [models.Index(fields=["by_category", "day"], name=f"{prefix}_day_idx")]


class RequestFigures(DayFigures, ByCategory):
    """Support requests by the day they were submitted and their current stage, with their
    first final committee decision against the promised date (reports.selectors defines
    them)."""

    # The request's stage; empty on the rows that count decisions and waiting requests.
    status = models.CharField(max_length=20, blank=True, db_default="")
    requests = models.PositiveIntegerField(db_default=0)
    decided = models.PositiveIntegerField(db_default=0)
    approved = models.PositiveIntegerField(db_default=0)
    on_time = models.PositiveIntegerField(db_default=0)
    # The sum of submission-to-decision times, for the average over `decided`.
    decision_time = models.DurationField(null=True)
    overdue = models.PositiveIntegerField(db_default=0)
    waiting = models.PositiveIntegerField(db_default=0)

    class Meta:
        indexes = _figure_indexes("report_reqfig")


class TicketFigures(DayFigures, ByCategory):
    """Tickets by the day they were opened, their kind and category; `about_staff` and
    `staff_member` keep the rows that not every reader may count apart (contact.selectors
    `tickets_for`)."""

    kind = models.CharField(max_length=12)
    # Complaints only (the dashboard's complaints by category); empty for other kinds.
    ticket_category = models.ForeignKey(
        "contact.TicketCategory", null=True, on_delete=models.CASCADE, related_name="+"
    )
    about_staff = models.BooleanField(default=False)
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    tickets = models.PositiveIntegerField(db_default=0)
    with_owner = models.PositiveIntegerField(db_default=0)
    responded = models.PositiveIntegerField(db_default=0)
    responded_on_time = models.PositiveIntegerField(db_default=0)
    response_measured = models.PositiveIntegerField(db_default=0)
    response_time = models.DurationField(null=True)
    resolved = models.PositiveIntegerField(db_default=0)
    resolved_on_time = models.PositiveIntegerField(db_default=0)
    resolution_measured = models.PositiveIntegerField(db_default=0)
    resolution_time = models.DurationField(null=True)
    suggestions_with_outcome = models.PositiveIntegerField(db_default=0)

    class Meta:
        indexes = _figure_indexes("report_tktfig")


class ContactFigures(DayFigures, ByCategory):
    """Contacts (interactions) by the day they happened."""

    contacts = models.PositiveIntegerField(db_default=0)

    class Meta:
        indexes = _figure_indexes("report_ctcfig")


class InvitationFigures(DayFigures, ByCategory):
    """Survey invitations by the day they were sent and the channel of the service asked
    about."""

    sent = models.PositiveIntegerField(db_default=0)
    answered = models.PositiveIntegerField(db_default=0)

    class Meta:
        indexes = _figure_indexes("report_invfig")


class AnswerFigures(DayFigures):
    """Survey answers by the day they were given. Answers may be anonymous, so they have no
    category; the Hijri month is the one the answer is grouped by."""

    hijri_year = models.PositiveSmallIntegerField()
    hijri_month = models.PositiveSmallIntegerField()
    answers = models.PositiveIntegerField(db_default=0)
    csat_n = models.PositiveIntegerField(db_default=0)
    csat_sum = models.PositiveIntegerField(db_default=0)
    nps_n = models.PositiveIntegerField(db_default=0)
    promoters = models.PositiveIntegerField(db_default=0)
    detractors = models.PositiveIntegerField(db_default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="report_ansfig_day_idx")]


class Recount(models.Model):
    """When the daily figures were last rebuilt (one row, replaced by each recount): the
    pages say "as of" this moment."""

    counted_at = models.DateTimeField(null=True)  # empty until the first recount ends
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.counted_at or '-'}"
