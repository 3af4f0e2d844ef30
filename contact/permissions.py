"""Who may do what in the contact centre: pure role predicates, no queries.

Which rows a user sees (branch scope, complaints about staff, a researcher's own requests) is
decided in contact.selectors; services ask these predicates again, so hiding a button is
never the only guard.

Choices made here:
- Relations officers and branch representatives are the main users: they log contacts, run
  the front desk, open tickets, own and answer them.
- Quality officers and managers do all that too, and alone see complaints about staff.
- Social researchers log the contacts they make (calls to applicants) and see the tickets
  linked to a support request referred to them, to add internal notes (P6.3: they explain
  procedures); they do not own or answer tickets.
- Service officers log contacts (a delivery call) but have no ticket access.
- Committee members have no contact-centre work.
- Volunteers log contacts of the volunteer channel only, with a name and phone: they never
  search or pick a registry file, since even an exact-number lookup would tell them whether
  someone is a beneficiary (contact.services.interaction_log).
- The system administrator sees ordinary tickets for support, but not complaints about staff.
"""

from __future__ import annotations

from accounts.models import Role

# The desk: log contacts with registry files, check visitors in at reception.
CONTACT_LOGGERS = frozenset(
    {
        Role.RELATIONS_OFFICER,
        Role.BRANCH_REPRESENTATIVE,
        Role.SOCIAL_RESEARCHER,
        Role.SERVICE_OFFICER,
        Role.QUALITY_OFFICER,
        Role.MANAGER,
        Role.ADMIN,
    }
)
RECEPTION_STAFF = frozenset(
    {Role.RELATIONS_OFFICER, Role.BRANCH_REPRESENTATIVE, Role.MANAGER, Role.ADMIN}
)
# Open tickets and work on them (answer, note, resolve).
TICKET_HANDLERS = frozenset(
    {
        Role.RELATIONS_OFFICER,
        Role.BRANCH_REPRESENTATIVE,
        Role.QUALITY_OFFICER,
        Role.MANAGER,
        Role.ADMIN,
    }
)
# May be a ticket's owner (the admin supports the system, not the public).
TICKET_OWNERS = frozenset(
    {Role.RELATIONS_OFFICER, Role.BRANCH_REPRESENTATIVE, Role.QUALITY_OFFICER, Role.MANAGER}
)
# Supervisors: assign tickets to others, see the whole queue's overdue view.
TICKET_SUPERVISORS = frozenset({Role.QUALITY_OFFICER, Role.MANAGER})
# Complaints about staff: the quality officer and managers only (issue 4 §2).
STAFF_COMPLAINT_READERS = frozenset({Role.QUALITY_OFFICER, Role.MANAGER})

VOLUNTEER_CHANNEL = "volunteer"


def _has_role(user, roles) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in roles)


def can_log_contacts(user) -> bool:
    """Log a contact at all (volunteers: their channel only, checked by the service)."""
    return _has_role(user, CONTACT_LOGGERS | {Role.VOLUNTEER})


def can_log_with_registry(user) -> bool:
    """Log a contact against a registry file and search the registry to find it."""
    return _has_role(user, CONTACT_LOGGERS)


def is_volunteer(user) -> bool:
    return _has_role(user, {Role.VOLUNTEER})


def can_view_contacts(user) -> bool:
    """Open the contacts list (volunteers see only what they logged themselves)."""
    return can_log_contacts(user)


def can_run_reception(user) -> bool:
    return _has_role(user, RECEPTION_STAFF)


def can_view_tickets(user) -> bool:
    return _has_role(user, TICKET_HANDLERS | {Role.SOCIAL_RESEARCHER})


def can_handle_tickets(user) -> bool:
    return _has_role(user, TICKET_HANDLERS)


def can_own_tickets(user) -> bool:
    return _has_role(user, TICKET_OWNERS)


def can_supervise_tickets(user) -> bool:
    return _has_role(user, TICKET_SUPERVISORS)


def can_note_tickets(user) -> bool:
    return _has_role(user, TICKET_HANDLERS | {Role.SOCIAL_RESEARCHER})


def can_see_staff_complaints(user) -> bool:
    return _has_role(user, STAFF_COMPLAINT_READERS)


def can_view_reception_stats(user) -> bool:
    """Waiting and service times: the desk itself and those who watch service quality."""
    return _has_role(user, RECEPTION_STAFF | {Role.QUALITY_OFFICER})
