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


def messages_about_any(
    subjects: list[models.Model | models.QuerySet],
    *,
    exclude_templates: frozenset[str] | tuple[str, ...] = (),
) -> models.QuerySet[Message]:
    """The messages about any of `subjects`, newest first: each is a record, or a queryset of
    records of one model (a person's tickets).

    A queryset is read first, its keys only (one small query each): matched as a subquery,
    PostgreSQL filters every message about that model instead of probing the `about` index,
    while a list of keys is one index lookup per key. So the cost follows the person's own
    messages, not the size of the outbox.

    Like `messages_for`, no permission check: the caller has scoped `subjects` already.
    """
    condition = models.Q(pk__in=[])
    for subject in subjects:
        if isinstance(subject, models.QuerySet):
            keys = [str(pk) for pk in subject.order_by().values_list("pk", flat=True)]
            if keys:
                condition |= models.Q(
                    about_type=ContentType.objects.get_for_model(subject.model),
                    about_id__in=keys,
                )
        else:
            condition |= models.Q(
                about_type=ContentType.objects.get_for_model(subject), about_id=str(subject.pk)
            )
    return (
        Message.objects.filter(condition)
        .exclude(template_code__in=list(exclude_templates))
        .order_by("-created_at", "-id")
    )
