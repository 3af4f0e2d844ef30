"""The writes of reports: recording an export of personal data, and the first recount of the
daily figures (the later ones are reports.tasks')."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.activity import both_languages, log_action
from reports import recount, selectors
from reports.models import Export, ExportKind, Recount
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


def figures_ready() -> Recount:
    """The recount the pages read. Before the first one has finished — a new installation,
    before the worker's first run — count now, so the first page shows figures, not zeros."""
    return selectors.last_recount() or recount.recount()
