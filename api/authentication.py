"""`Authorization: Bearer <token>` (or `Token <token>`) for integration clients."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from api import selectors, services

KEYWORDS = (b"bearer", b"token")


class ApiClientAuthentication(BaseAuthentication):
    """The client becomes `request.auth`; `request.user` stays anonymous, so a token never
    carries a staff member's powers."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”."), code="token_malformed"
            )
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed(_("The token is not valid."), code="token_invalid") from exc
        client = selectors.client_for_token(token)
        if client is None:
            raise AuthenticationFailed(_("The token is not valid."), code="token_invalid")
        if not client.is_active:
            raise AuthenticationFailed(
                _("This API client has been deactivated."), code="client_inactive"
            )
        services.api_client_used(client)
        return AnonymousUser(), client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="mustafid"'


class ApiClientAuthenticationScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the scheme (drf-spectacular finds it by subclassing)."""

    target_class = ApiClientAuthentication
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The client's token, issued once by `manage.py api_client_create` "
            "or the admin: `Authorization: Bearer <token>` (`Token <token>` is accepted too).",
        }
