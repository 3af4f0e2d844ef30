"""Tokens and webhook signatures: issuing, hashing and checking them.

Token: `<key>.<secret>` — twelve letters and digits that find the client, a dot, and 43
URL-safe characters. Only SHA-256(token) is stored; a presented token is hashed and compared
with `hmac.compare_digest`, so neither a database copy nor response timing gives it away.

Webhook signature: the sender computes

    HMAC-SHA256(webhook_secret, "<timestamp>.<raw body>")  (hex, lower case)

and sends it as `X-Mustafid-Signature: sha256=<hex>` with `X-Mustafid-Timestamp: <timestamp>`
(Unix seconds). The timestamp is inside the signed text, so an old delivery cannot be replayed
with a fresh timestamp, and one more than five minutes away from our clock is refused.

The webhook secret is HMAC(SECRET_KEY, client.secret_salt): nothing readable is stored, and
re-issuing credentials (a new salt) revokes the old secret. Keys in SECRET_KEY_FALLBACKS are
still accepted, so rotating SECRET_KEY the Django way does not break integrations at once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string, salted_hmac

SIGNATURE_HEADER = "X-Mustafid-Signature"
TIMESTAMP_HEADER = "X-Mustafid-Timestamp"
MAX_SKEW_SECONDS = 5 * 60

_SECRET_SALT = "mustafid.api.webhook-secret"  # noqa: S105 (a namespace, not a secret)
_TOKEN = re.compile(r"([A-Za-z0-9]{12})\.[A-Za-z0-9_-]{43}")
_SIGNATURE = re.compile(r"sha256=([0-9a-f]{64})")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class Credentials:
    """What the integrator is shown once: the bearer token and the webhook signing secret."""

    token: str
    webhook_secret: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(client) -> Credentials:
    """Give `client` (saved or not) a new key, token hash and secret salt; return the secrets.

    The caller saves the client: the old token and secret stop working at that moment.
    """
    client.key = get_random_string(12)
    token = f"{client.key}.{secrets.token_urlsafe(32)}"
    client.token_hash = token_hash(token)
    client.secret_salt = secrets.token_hex(32)
    client.credentials_issued_at = timezone.now()
    return Credentials(token=token, webhook_secret=webhook_secrets(client)[0])


def token_key(token: str) -> str | None:
    """The client key a well-formed token starts with; None for anything else (never queried)."""
    match = _TOKEN.fullmatch(token)
    return match.group(1) if match else None


def token_matches(client, token: str) -> bool:
    return hmac.compare_digest(client.token_hash.encode(), token_hash(token).encode())


def webhook_secrets(client) -> list[str]:
    """The client's signing secret under SECRET_KEY, then under each fallback key."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(_SECRET_SALT, client.secret_salt, secret=key, algorithm="sha256").hexdigest()
        for key in keys
    ]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The header value a sender computes: `sha256=<hex>`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


class SignatureError(Exception):
    """Why a webhook's signature is refused; `code` is stable, the message is for people."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def verify(client, *, timestamp: str, signature: str, body: bytes, now: float | None = None):
    """Raise SignatureError unless `signature` signs `timestamp.body` with the client's secret
    and the timestamp is within five minutes of now."""
    if not timestamp or not signature:
        raise SignatureError("signature_missing")
    if not _TIMESTAMP.fullmatch(timestamp):
        raise SignatureError("timestamp_invalid")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        raise SignatureError("timestamp_expired")
    match = _SIGNATURE.fullmatch(signature.strip())
    if match is None:
        raise SignatureError("signature_invalid")
    given = match.group(0).encode()
    # Every candidate secret is compared, so the time taken does not say which one failed.
    ok = False
    for secret in webhook_secrets(client):
        ok |= hmac.compare_digest(sign(secret, timestamp, body).encode(), given)
    if not ok:
        raise SignatureError("signature_invalid")
