"""The notify app's settings, with the defaults used when settings.py does not name them.

Every value comes from the environment in `mustafid/settings.py`; the defaults here keep the
app working (file backend, five attempts) in development and tests.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Dotted paths of the backends (see notify/backends.py).
    "NOTIFY_SMS_BACKEND": "notify.backends.FileBackend",
    "NOTIFY_EMAIL_BACKEND": "notify.backends.FileBackend",
    "NOTIFY_WHATSAPP_BACKEND": "notify.backends.FileBackend",
    # FileBackend's JSON-lines file; None means MUSTAFID_VAR_DIR/outbox.jsonl.
    "NOTIFY_FILE_PATH": None,
    # A message is given up after this many attempts (a permanent failure stops at once).
    "NOTIFY_MAX_ATTEMPTS": 5,
    # Back-off after a temporary failure: base × 2^(attempt − 1), capped.
    "NOTIFY_RETRY_BASE_SECONDS": 60,
    "NOTIFY_RETRY_MAX_SECONDS": 3600,
    # A row left in "sending" longer than this is taken to belong to a dead worker.
    "NOTIFY_SENDING_TIMEOUT_MINUTES": 10,
    # The sweep leaves a queued row this long to the task enqueued at commit.
    "NOTIFY_SWEEP_GRACE_SECONDS": 60,
    # Rows handed to workers by one sweep, so a backlog drains without one huge burst.
    "NOTIFY_SWEEP_BATCH": 500,
    # Seconds for connecting to and reading from an SMS gateway.
    "NOTIFY_HTTP_TIMEOUT": 10.0,
    # Registered sender name (at most 11 characters, DOMAIN.md §7).
    "NOTIFY_SMS_SENDER": "",
    "UNIFONIC_BASE_URL": "https://el.cloud.unifonic.com",
    "UNIFONIC_APP_SID": "",
    "TAQNYAT_BASE_URL": "https://api.taqnyat.sa",
    "TAQNYAT_TOKEN": "",
    # Meta's WhatsApp Cloud API (WhatsAppCloudBackend): the business number's id, a system
    # user's access token, and the approved template with one body variable that carries the
    # text (business-initiated messages must be templates, DOMAIN.md §7).
    "WHATSAPP_BASE_URL": "https://graph.facebook.com",
    "WHATSAPP_API_VERSION": "v22.0",
    "WHATSAPP_PHONE_NUMBER_ID": "",
    "WHATSAPP_TOKEN": "",
    "WHATSAPP_TEMPLATE_NAME": "",
    "WHATSAPP_TEMPLATE_LANGUAGE": "ar",
    # "HH:MM-HH:MM" in TIME_ZONE (Asia/Riyadh), may wrap midnight; "" disables. Messages of a
    # template marked "keep to daytime hours" (or enqueued with quiet_hours=True) that fall in
    # it wait until it ends.
    "NOTIFY_QUIET_HOURS": "21:00-08:00",
}


def setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
