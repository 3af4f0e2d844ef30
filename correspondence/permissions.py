"""Who may do what in the correspondence register: pure predicates, no queries.

- Read the register: every role that reads the registry (volunteers do not).
- Register incoming letters, draft outgoing ones, refer, file, attach, record dispatch:
  the roles that keep files (relations officers, branch representatives, managers, admins).
- Issue an outgoing letter (it speaks for the organisation, on its letterhead): relations
  officers, managers and admins. A branch representative drafts in the field and an officer
  or a manager issues, so each letter from a branch passes a second pair of eyes.
- Open attachments: the roles that see sensitive data (a scanned letter may carry a medical
  report or a family's finances), as for beneficiaries' documents.
- Letters linked to a ticket about a staff member are seen only by those who see such
  complaints: the quality officer and managers (issue 4 §2).
Which rows a user sees (their branch) is decided in correspondence.selectors.
"""

from accounts import permissions as accounts
from accounts.models import Role

ISSUERS = frozenset({Role.RELATIONS_OFFICER, Role.MANAGER, Role.ADMIN})
STAFF_COMPLAINT_READERS = frozenset({Role.QUALITY_OFFICER, Role.MANAGER, Role.ADMIN})


def _has_role(user, roles) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in roles)


def can_read_letters(user) -> bool:
    return accounts.can_view_registry(user)


def can_write_letters(user) -> bool:
    return accounts.can_edit_registry(user)


def can_issue_letters(user) -> bool:
    return _has_role(user, ISSUERS)


def can_open_attachments(user) -> bool:
    return accounts.can_view_sensitive(user)


def can_see_staff_complaints(user) -> bool:
    return _has_role(user, STAFF_COMPLAINT_READERS)
