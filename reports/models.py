"""What reports keeps of its own: the record of each export of personal data.

Aggregates (counts, shares, averages) name nobody and are exported freely. A drill-down list
names beneficiaries and callers, so each of its exports is recorded here — who, which list,
which filters, how many rows — and that row is the target of the activity-log entry
(`reports.exported`).
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
