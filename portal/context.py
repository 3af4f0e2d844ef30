"""The portal's header and menu, for templates under templates/portal/."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.session import SESSION_KEY

MENU = [
    ("portal:home", _("My page")),
    ("portal:requests", _("My requests")),
    ("portal:tickets", _("Questions and complaints")),
    ("portal:documents", _("Documents")),
    ("portal:notifications", _("Notifications")),
    ("portal:surveys", _("Rate our service")),
    ("portal:profile", _("Profile")),
    ("portal:my_data", _("My data")),
]


def portal(request) -> dict:
    if not request.path.startswith("/portal/"):
        return {}
    beneficiary = getattr(request, "beneficiary", None)
    context = {
        "portal_beneficiary": beneficiary,
        # Signed in, on a page that did not load the person (a public page): no query for it.
        "portal_signed_in": beneficiary is not None or SESSION_KEY in request.session,
    }
    if beneficiary is not None:
        items = []
        for name, label in MENU:
            url = reverse(name)
            active = request.path == url or (name != "portal:home" and request.path.startswith(url))
            # Applying is the first step of a request: the wizard sits under "My requests".
            if name == "portal:requests" and request.path.startswith(reverse("portal:apply")):
                active = True
            items.append({"url": url, "label": label, "active": active})
        context["portal_nav"] = items
    return context
