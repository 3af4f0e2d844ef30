"""What each role may do: pure predicates, no queries.

Views and services both ask these; hiding a button is never the only guard. Which rows a user
may see at all (branch scope) is decided in the selectors of each app.
"""

from accounts.models import Role

# Roles that serve beneficiaries and so may open the registry.
REGISTRY_READERS = frozenset(
    {
        Role.RELATIONS_OFFICER,
        Role.BRANCH_REPRESENTATIVE,
        Role.SOCIAL_RESEARCHER,
        Role.COMMITTEE_MEMBER,
        Role.SERVICE_OFFICER,
        Role.QUALITY_OFFICER,
        Role.MANAGER,
        Role.ADMIN,
    }
)
# Roles that register people and keep their files up to date (P6.1–P6.2).
REGISTRY_EDITORS = frozenset(
    {Role.RELATIONS_OFFICER, Role.BRANCH_REPRESENTATIVE, Role.MANAGER, Role.ADMIN}
)
# Health, disability, income and documents are sensitive personal data (PDPL): only the roles
# that assess need see them. Service and quality officers and volunteers do not.
SENSITIVE_READERS = frozenset(
    {
        Role.RELATIONS_OFFICER,
        Role.BRANCH_REPRESENTATIVE,
        Role.SOCIAL_RESEARCHER,
        Role.COMMITTEE_MEMBER,
        Role.MANAGER,
        Role.ADMIN,
    }
)
DOCUMENT_UPLOADERS = frozenset(
    {
        Role.RELATIONS_OFFICER,
        Role.BRANCH_REPRESENTATIVE,
        Role.SOCIAL_RESEARCHER,
        Role.MANAGER,
        Role.ADMIN,
    }
)


def _has_role(user, roles) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in roles)


def can_view_registry(user) -> bool:
    return _has_role(user, REGISTRY_READERS)


def can_edit_registry(user) -> bool:
    return _has_role(user, REGISTRY_EDITORS)


def can_view_sensitive(user) -> bool:
    return _has_role(user, SENSITIVE_READERS)


def can_upload_documents(user) -> bool:
    return _has_role(user, DOCUMENT_UPLOADERS)


def can_manage_configuration(user) -> bool:
    return _has_role(user, {Role.MANAGER, Role.ADMIN})
