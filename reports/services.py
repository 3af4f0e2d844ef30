"""The one write of reports: recording an export of personal data."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.activity import both_languages, log_action
from reports.models import Export, ExportKind
from reports.permissions import can_view_reports


@transaction.atomic
def export_record(*, actor, kind: str, fmt: str, filters: dict[str, str], row_count: int) -> Export:
    """Record that `actor` downloaded `row_count` rows of a drill-down list (which names
    people) as `fmt`, filtered by `filters` (the GET parameters). Logs `reports.exported`
    with the Export row as its target; nobody is notified."""
    if not can_view_reports(actor):
        raise PermissionDenied
    export = Export(user=actor, kind=kind, fmt=fmt, filters=filters, row_count=row_count)
    export.full_clean()
    export.save()
    log_action(
        actor=actor,
        action="reports.exported",
        target=export,
        data={
            "rows": row_count,
            "format": fmt.upper(),
            "filters": filters,
            **both_languages("list", ExportKind(kind).label),
        },
    )
    return export
