"""Every write to integration clients: creating one, re-issuing its credentials, and noting
when it was last used. Messages the clients deliver are stored by inbox.services."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from api import credentials
from api.models import ApiClient
from core.activity import both_languages, log_action

# last_used_at is for people ("is the website still posting?"), so minutes are precise enough;
# writing it at most this often keeps an UPDATE out of almost every webhook.
LAST_USED_PRECISION = timedelta(minutes=5)


def _require_admin(actor) -> None:
    """Only the system administrator manages integrations; `None` is the server's own shell
    (manage.py), which is trusted like the administrator."""
    if actor is None:
        return
    if not (actor.is_active and (actor.is_superuser or actor.role == Role.ADMIN)):
        raise PermissionDenied


def _log(actor, action: str, client: ApiClient) -> None:
    log_action(
        actor=actor,
        action=action,
        target=client,
        data={
            "name": client.name,
            "key": client.key,
            **both_languages("source", client.get_source_display()),
        },
    )


@transaction.atomic
def api_client_create(*, actor, client: ApiClient) -> credentials.Credentials:
    """Save a new client (built by the admin form or the management command) with fresh
    credentials, and return them — the only time they can be read. Logs
    `api.client.created`. Notifies nobody."""
    _require_admin(actor)
    issued = credentials.issue(client)
    client.created_by = actor
    client.full_clean()
    client.save()
    _log(actor, "api.client.created", client)
    return issued


@transaction.atomic
def api_client_rotate(*, actor, client: ApiClient) -> credentials.Credentials:
    """Replace the token and the webhook secret; the old ones stop working on commit. Logs
    `api.client.rotated`. Notifies nobody: the administrator hands the new ones over."""
    _require_admin(actor)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    issued = credentials.issue(client)
    client.full_clean()
    client.save(update_fields=["key", "token_hash", "secret_salt", "credentials_issued_at"])
    _log(actor, "api.client.rotated", client)
    return issued


def api_client_used(client: ApiClient) -> None:
    """Note the time of an authenticated call, at most every few minutes (no audit row: the
    items it delivers are logged themselves)."""
    now = timezone.now()
    if client.last_used_at and now - client.last_used_at < LAST_USED_PRECISION:
        return
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    client.last_used_at = now
