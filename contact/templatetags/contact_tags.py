"""Small display helpers of the contact centre's templates."""

from django import template

from contact import permissions

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """A call's length as «m:ss» («1:02:15» past an hour)."""
    if seconds in (None, ""):
        return ""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def minutes(seconds) -> int:
    """Whole minutes of a number of seconds."""
    return int(seconds or 0) // 60


@register.inclusion_tag("contact/_file_actions.html", takes_context=True)
def contact_actions(context, beneficiary=None, support_request=None) -> dict:
    """The contact centre's buttons on a beneficiary's file or a support request page.

    A tag rather than context from the registry's views: beneficiaries and assistance sit
    below the contact centre (DESIGN §3) and must not import it. Each button shows only to
    the roles its screen accepts; the screens check again.
    """
    user = context["request"].user
    if support_request is not None:
        beneficiary = None  # the request brings its beneficiary (contact.views.interaction_log)
    return {
        "beneficiary": beneficiary,
        "support_request": support_request,
        # Prefilling a file is for those who log against the registry (not volunteers).
        "can_log": permissions.can_log_with_registry(user),
        "can_open_ticket": beneficiary is not None and permissions.can_handle_tickets(user),
    }
