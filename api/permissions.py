"""Which integration client may call which endpoint."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from api.models import ApiClient


class IsApiClient(BasePermission):
    """Authenticated by ApiClientAuthentication; anything else is 401."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiClient)


class PostsAsViewSource(BasePermission):
    """A client posts only the kind of message it was created for (the website its contact
    form, an SMS gateway its SMS replies…), so a leaked token cannot fill another channel."""

    def has_permission(self, request, view) -> bool:
        client = request.auth
        if isinstance(client, ApiClient) and client.source != view.source:
            raise PermissionDenied(
                _("This client may only send: %(source)s.")
                % {"source": client.get_source_display()},
                code="wrong_source",
            )
        return True
