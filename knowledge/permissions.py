"""Who may do what in the knowledge base and the policy registry: pure predicates, no queries.

Choices made here (policy P3.3, P5, P7):
- every staff member (any role, volunteers included) reads staff articles and policies: they
  are the scripts and rules people answer from, not personal data;
- relations officers and branch representatives, who hear the questions, write drafts;
  the quality officer, managers and administrators publish, archive and edit what is
  published, so nothing reaches the public unreviewed;
- only managers and administrators keep the policy registry (add and approve versions).
"""

from __future__ import annotations

from accounts.models import Role

ARTICLE_WRITERS = frozenset(
    {
        Role.RELATIONS_OFFICER,
        Role.BRANCH_REPRESENTATIVE,
        Role.QUALITY_OFFICER,
        Role.MANAGER,
        Role.ADMIN,
    }
)
ARTICLE_PUBLISHERS = frozenset({Role.QUALITY_OFFICER, Role.MANAGER, Role.ADMIN})
POLICY_MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})


def is_staff_member(user) -> bool:
    """Signed in, active and holding a role: sees staff articles and the policy registry."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role)


def _has_role(user, roles) -> bool:
    return is_staff_member(user) and user.role in roles


def can_write_articles(user) -> bool:
    return _has_role(user, ARTICLE_WRITERS)


def can_publish_articles(user) -> bool:
    return _has_role(user, ARTICLE_PUBLISHERS)


def can_edit_article(user, article) -> bool:
    """Writers edit drafts; what is published or archived only a publisher changes."""
    if can_publish_articles(user):
        return True
    return can_write_articles(user) and article.status == "draft"


def can_manage_policies(user) -> bool:
    return _has_role(user, POLICY_MANAGERS)
