"""The one-time link of a survey invitation.

The token is derived from the invitation's public id with the site's secret key, so it need not
be stored: a reminder rebuilds the same link, and a forged token matches nothing. The table
keeps only a second keyed digest of it (`token_hash`), so neither a database copy nor the admin
gives anyone a link to answer in someone's name. "One-time" is the invitation's status: once
answered, the same token is refused like any other.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

_TOKEN_SALT = "mustafid.surveys.invitation-token"  # noqa: S105 (a salt, not a secret)
_HASH_SALT = "mustafid.surveys.invitation-token-hash"


def token_for(public_id) -> str:
    digest = salted_hmac(_TOKEN_SALT, str(public_id), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return salted_hmac(_HASH_SALT, token, algorithm="sha256").hexdigest()


def link_for(public_id) -> str:
    """The absolute address sent in the message."""
    path = reverse("surveys:answer", args=[token_for(public_id)])
    return settings.SITE_URL.rstrip("/") + path
