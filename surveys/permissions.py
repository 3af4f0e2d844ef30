"""Who may do what with surveys (pure predicates; views and services both check them)."""

from accounts.models import Role

# Staff who speak with beneficiaries on the phone and may fill in a survey for them.
ANSWER_RECORDERS = frozenset(
    {
        Role.RELATIONS_OFFICER,
        Role.BRANCH_REPRESENTATIVE,
        Role.QUALITY_OFFICER,
        Role.MANAGER,
        Role.ADMIN,
    }
)


def _role_in(user, roles) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def can_record_answers(user) -> bool:
    return _role_in(user, ANSWER_RECORDERS)


# --- Quality: the builder, results, the closed loop (surveys.builder, .results, .quality) ---
#
# Choices made here (P3.5, P3.7.3, P3.7.5):
# - the quality officer, managers and administrators build surveys, read results, handle the
#   follow-ups that low scores open and keep the improvement actions; everyone else is refused;
# - a staff member sees the results of the answers about their own service ("My results"),
#   and a manager those of one staff member of their branch (or of anyone, without a branch),
#   always only from SURVEYS["MIN_GROUP"] answers: evaluation is for development, never for
#   punishment or public shaming (P3.7.3), so no screen ranks or lists staff side by side.

QUALITY_ROLES = frozenset({Role.QUALITY_OFFICER, Role.MANAGER, Role.ADMIN})

# Roles that serve beneficiaries in person or by phone, for whom "My results" is in the menu.
SERVING_ROLES = frozenset(
    {
        Role.RELATIONS_OFFICER,
        Role.BRANCH_REPRESENTATIVE,
        Role.SOCIAL_RESEARCHER,
        Role.SERVICE_OFFICER,
    }
)


def is_staff_member(user) -> bool:
    """Signed in, active and holding a role."""
    return bool(user and user.is_authenticated and user.is_active and user.role)


def can_manage_surveys(user) -> bool:
    """Create surveys, edit their settings, write and publish versions."""
    return _role_in(user, QUALITY_ROLES)


def can_view_results(user) -> bool:
    """The organisation's results (a branch-bound user: their branch's) and the comments."""
    return _role_in(user, QUALITY_ROLES)


def can_handle_follow_ups(user) -> bool:
    return _role_in(user, QUALITY_ROLES)


def can_manage_actions(user) -> bool:
    return _role_in(user, QUALITY_ROLES)


def serves_beneficiaries(user) -> bool:
    """Shown "My results" in the menu (anyone with a role may still open the page)."""
    return _role_in(user, SERVING_ROLES)


def can_pick_staff_results(user) -> bool:
    """A manager, who may open one staff member's results at a time."""
    return _role_in(user, {Role.MANAGER})


def can_view_staff_results(viewer, staff_member) -> bool:
    """The staff member themselves, or a manager whose branch is empty (the whole
    organisation) or the staff member's branch. Nobody else: not a colleague, not the quality
    officer, not a manager of another branch."""
    if not is_staff_member(viewer) or staff_member is None:
        return False
    if viewer.pk == staff_member.pk:
        return True
    if viewer.role != Role.MANAGER:
        return False
    return viewer.branch_id is None or viewer.branch_id == staff_member.branch_id
