"""Who may do what in outreach: pure role predicates, no queries.

- Managers write the rules, preview them, send, switch them on and set the seasons' dates:
  reaching beneficiaries unasked speaks for the organisation (P2).
- The quality officer reads the rules, their previews and runs, and the seasons (P3.5–P3.7
  watch how people are treated); they send nothing.
- The staff who serve people — relations officers, branch representatives, social
  researchers, managers — work the tasks the rules create, in their branch.
- The system administrator keeps the system running and has no say in what is sent.

Which rows a user sees (a branch-bound manager sees their branch's rules and tasks) is decided
in outreach.selectors; services ask these predicates again.
"""

from __future__ import annotations

from accounts.models import Role

RULE_EDITORS = frozenset({Role.MANAGER})
RULE_READERS = frozenset({Role.MANAGER, Role.QUALITY_OFFICER})
TASK_WORKERS = frozenset(
    {Role.RELATIONS_OFFICER, Role.BRANCH_REPRESENTATIVE, Role.SOCIAL_RESEARCHER, Role.MANAGER}
)


def _has_role(user, roles) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in roles)


def can_view_rules(user) -> bool:
    return _has_role(user, RULE_READERS)


def can_manage_rules(user) -> bool:
    return _has_role(user, RULE_EDITORS)


def can_work_tasks(user) -> bool:
    return _has_role(user, TASK_WORKERS)


def can_use_outreach(user) -> bool:
    """The menu entry: the rules or the tasks."""
    return can_view_rules(user) or can_work_tasks(user)
