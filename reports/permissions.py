"""Who sees the dashboards and the compliance report: pure role predicates, no queries.

Managers run the service and answer to the board; quality officers watch satisfaction,
complaints and deadlines (DESIGN.md §1); the system administrator supports both. Everyone
else gets 403. Which rows the figures count (a branch-bound user's branch only) is decided in
reports.selectors, whatever the filters ask.
"""

from __future__ import annotations

from accounts.models import Role

REPORT_READERS = frozenset({Role.MANAGER, Role.QUALITY_OFFICER, Role.ADMIN})


def can_view_reports(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.role in REPORT_READERS
    )
