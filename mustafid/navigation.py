"""Role-aware navigation: each entry appears only for roles that may use it (the views check
permission again; the menu is a convenience, never the guard)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import permissions


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    items = [("core:home", _("Home"), "home")]
    if permissions.can_view_registry(user):
        items.append(("beneficiaries:list", _("Beneficiaries"), "people"))
    if permissions.can_edit_registry(user):
        items.append(("beneficiaries:create", _("Register"), "add"))
    if permissions.can_view_registry(user):
        items.append(("assistance:list", _("Requests"), "inbox"))
        items.append(("assistance:overdue", _("Overdue"), "clock"))
    if permissions.can_view_sensitive(user):
        items.append(("assistance:meetings", _("Committee"), "gavel"))
    nav = [
        {"url": reverse(name), "label": label, "icon": icon, "name": name}
        for name, label, icon in items
    ]
    if user.is_staff:
        nav.append(
            {"url": reverse("admin:index"), "label": _("Settings"), "icon": "cog", "name": "admin"}
        )
    current = getattr(request.resolver_match, "view_name", "")
    for item in nav:
        item["active"] = item["name"] == current
    return {"nav_items": nav}
