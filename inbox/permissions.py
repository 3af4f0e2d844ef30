"""Who works the inbound inbox: pure predicates, no queries.

The people who answer the public on every channel (P3.3, P4): relations officers, branch
representatives, managers and administrators. Which items a user sees (their branch and the
items no branch owns yet) is decided in inbox.selectors.
"""

from __future__ import annotations

from accounts.models import Role

INBOX_HANDLERS = frozenset(
    {Role.RELATIONS_OFFICER, Role.BRANCH_REPRESENTATIVE, Role.MANAGER, Role.ADMIN}
)


def can_handle_inbox(user) -> bool:
    """Sees the inbox and identifies, converts or closes its items."""
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and user.role in INBOX_HANDLERS
    )


def can_reach_branch(user, branch_id: int | None) -> bool:
    """A branch-bound user acts on their branch's items and on those no branch owns yet."""
    return not user.branch_id or branch_id is None or branch_id == user.branch_id
