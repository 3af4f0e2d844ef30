"""Reads for the integration API."""

from __future__ import annotations

from api import credentials
from api.models import ApiClient


def client_for_token(token: str) -> ApiClient | None:
    """The client a bearer token belongs to, active or not; None when it matches none.

    The key part finds the row by its unique index; the whole token is then checked against
    the stored hash in constant time. A malformed token never reaches the database.
    """
    key = credentials.token_key(token)
    if key is None:
        return None
    client = ApiClient.objects.select_related("channel").filter(key=key).first()
    if client is None or not credentials.token_matches(client, token):
        return None
    return client
