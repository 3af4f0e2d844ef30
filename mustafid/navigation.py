"""Role-aware navigation: each entry appears only for roles that may use it (the views check
permission again; the menu is a convenience, never the guard).

It lives in the project package because it names every feature app, and no app may depend on
the apps built on top of it.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from beneficiaries import privacy
from contact import permissions as contact_permissions
from correspondence import permissions as letter_permissions
from inbox import permissions as inbox_permissions
from knowledge import permissions as knowledge_permissions
from outreach import permissions as outreach_permissions
from reports import permissions as report_permissions
from surveys import permissions as survey_permissions

# (url name, label, who sees it), in the order of the menu.
ENTRIES = [
    ("core:home", _("Home"), lambda user: True),
    ("beneficiaries:list", _("Beneficiaries"), permissions.can_view_registry),
    ("beneficiaries:create", _("Register"), permissions.can_edit_registry),
    ("beneficiaries:dsr_queue", _("Data requests"), privacy.can_handle_data_requests),
    ("assistance:list", _("Requests"), permissions.can_view_registry),
    ("assistance:overdue", _("Overdue"), permissions.can_view_registry),
    ("assistance:meetings", _("Committee"), permissions.can_view_sensitive),
    ("contact:log", _("Log a contact"), contact_permissions.can_log_contacts),
    ("contact:list", _("Contacts"), contact_permissions.can_view_contacts),
    ("contact:desk", _("Reception"), contact_permissions.can_run_reception),
    ("contact:tickets", _("Tickets"), contact_permissions.can_view_tickets),
    ("inbox:list", _("Inbox"), inbox_permissions.can_handle_inbox),
    ("correspondence:list", _("Letters"), letter_permissions.can_read_letters),
    ("knowledge:article_list", _("Knowledge base"), knowledge_permissions.is_staff_member),
    ("knowledge:policy_list", _("Policies"), knowledge_permissions.is_staff_member),
    ("reports:dashboard", _("Dashboard"), report_permissions.can_view_reports),
    ("reports:compliance", _("Compliance"), report_permissions.can_view_reports),
    ("surveys:results", _("Satisfaction"), survey_permissions.can_view_results),
    ("surveys:my_results", _("My results"), survey_permissions.serves_beneficiaries),
    ("surveys:calls", _("Surveys by phone"), survey_permissions.can_record_answers),
    ("outreach:index", _("Outreach"), outreach_permissions.can_use_outreach),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    current = getattr(request.resolver_match, "view_name", "")
    nav = [
        {"url": reverse(name), "label": label, "active": name == current}
        for name, label, allowed in ENTRIES
        if allowed(user)
    ]
    if user.is_staff:
        nav.append(
            {"url": reverse("admin:index"), "label": _("Settings"), "active": current == "admin"}
        )
    return {"nav_items": nav}
