"""Reads of the outbox."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from notify.models import Message


def messages_for(subject: models.Model, *, limit: int = 100) -> models.QuerySet[Message]:
    """The newest messages about one record (a beneficiary, a request), for its timeline.

    The caller has already loaded `subject` through its own scoped selector; this adds no
    permission check of its own. One indexed query.
    """
    return Message.objects.filter(
        about_type=ContentType.objects.get_for_model(subject), about_id=str(subject.pk)
    ).order_by("-created_at", "-id")[:limit]
