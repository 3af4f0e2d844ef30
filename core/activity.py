"""Writing the activity log and turning its rows into translated sentences.

Apps register a sentence for each dotted action code they log (see `beneficiaries/activity.py`).
The sentence is translated when shown, not when written, so the timeline follows the reader's
language.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from core.models import ActivityLog

_SENTENCES: dict[str, Any] = {}

# Where a row with no staff actor came from: the beneficiary on the portal rather than the
# system. Set around a portal view, so every service it calls logs the right author without
# each one being told.
_VIA: contextvars.ContextVar[str] = contextvars.ContextVar("activity_via", default="")


@contextlib.contextmanager
def acting_via(source: str) -> Iterator[None]:
    token = _VIA.set(source)
    try:
        yield
    finally:
        _VIA.reset(token)


def register(action: str, sentence) -> None:
    """Register the sentence shown for `action`; placeholders are keys of the row's data."""
    _SENTENCES[action] = sentence


def both_languages(key: str, text) -> dict[str, str]:
    """A translatable label logged as `key` (Arabic) and `key_en`, so the timeline can show
    it in the reader's language later."""
    from django.utils import translation

    with translation.override("ar"):
        arabic = str(text)
    with translation.override("en"):
        english = str(text)
    return {key: arabic, f"{key}_en": english}


def log_action(
    *,
    actor,
    action: str,
    target: models.Model,
    subject: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> ActivityLog:
    """Append one row. Call it inside the service's transaction so a failed write logs nothing."""
    entry = _entry(actor=actor, action=action, target=target, subject=subject, data=data)
    entry.save(force_insert=True)
    return entry


def log_actions(entries: Iterable[dict[str, Any]]) -> list[ActivityLog]:
    """`log_action` for many rows in one INSERT (a daily sweep acting on hundreds of records).
    Each entry holds `log_action`'s keyword arguments."""
    return ActivityLog.objects.bulk_create([_entry(**entry) for entry in entries])


def _entry(*, actor, action: str, target, subject=None, data=None) -> ActivityLog:
    subject = subject if subject is not None else target
    actor = actor if getattr(actor, "is_authenticated", False) else None
    if actor is None and _VIA.get():
        data = {**(data or {}), "via": _VIA.get()}
    return ActivityLog(
        actor=actor,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        data=data or {},
    )


def entries_for(subject: models.Model, *, limit: int = 100):
    """The newest entries about one file (the subject), with their actors, in one query."""
    return (
        ActivityLog.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def describe(entry: ActivityLog) -> str:
    sentence = _SENTENCES.get(entry.action)
    if entry.actor_id:
        actor = entry.actor.display_name
    elif (entry.data or {}).get("via") == "portal":
        actor = _gettext("The beneficiary, on the portal")
    elif (entry.data or {}).get("via") == "link":
        actor = _gettext("The beneficiary, through a link we sent")
    elif (entry.data or {}).get("via") == "public":
        actor = _gettext("A visitor to the public site")
    else:
        actor = _gettext("The system")
    values = _SafeDict(entry.data or {})
    if (get_language() or "ar").startswith("en"):
        # Names of configurable records are logged in both languages as `key` and `key_en`.
        values |= {k[:-3]: v for k, v in values.items() if k.endswith("_en") and v}
    values["actor"] = actor
    if sentence is None:
        return _gettext("%(actor)s: %(action)s") % {"actor": actor, "action": entry.action}
    return str(sentence).format_map(values)


register("core.unknown", _("{actor} did something"))
