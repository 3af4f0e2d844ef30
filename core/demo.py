"""What the apps' demo data (`manage.py seed_demo`) shares: a clock to run services in the past.

Demo only. The services stamp "now"; a demo whose history all happened today shows nothing on
the months of a dashboard or a timeline.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from unittest import mock

from django.apps import apps
from django.utils import timezone

# The function the models' `default=timezone.now` captured when they were defined (see clock).
_REAL_NOW = timezone.now


@functools.cache
def _stamped_fields() -> list:
    return [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.default is _REAL_NOW
    ]


@contextmanager
def clock(moment: datetime) -> Iterator[None]:
    """Run the services as if it were `moment`.

    Patching `django.utils.timezone.now` reaches every `timezone.now()` call. A field declared
    `default=timezone.now` holds the original function, so those fields (a row's `created_at`,
    the activity log's time, a vote's, a signature's) are pointed at the clock too: otherwise a
    request submitted in July would say in its timeline it was opened today, and the activity
    log cannot be corrected afterwards (it is append-only)."""

    def now() -> datetime:
        return moment

    with ExitStack() as stack:
        stack.enter_context(mock.patch("django.utils.timezone.now", now))
        for field in _stamped_fields():
            stack.enter_context(mock.patch.object(field, "_get_default", now))
        yield
