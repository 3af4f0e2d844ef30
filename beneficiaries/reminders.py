"""Reaching beneficiaries before they are asked (policy P2): a document about to expire.

Run daily by `beneficiaries.tasks`. Each document gets one SMS per expiry date — the
idempotency key holds both — so a doubled or retried run, or the next day's run while the
document is still in the warning window, sends nothing twice; a renewed document is a new row
with its own date, reminded in its own time.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from beneficiaries.models import Document
from core.hijri import format_dual

TEMPLATE = "documents.expiring"


def expiring_documents(today: date) -> QuerySet[Document]:
    """Documents expiring between today and the warning horizon, unless the person (the
    applicant, or the same household member) has since uploaded one of the same type that
    lasts longer."""
    horizon = today + timedelta(days=settings.MUSTAFID["DOCUMENT_EXPIRY_WARNING_DAYS"])
    newer = Document.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")),
        beneficiary_id=OuterRef("beneficiary_id"),
        doc_type_id=OuterRef("doc_type_id"),
        created_at__gt=OuterRef("created_at"),
    )
    replaced = Q(member__isnull=True, renewed_self=True) | Q(
        member__isnull=False, renewed_member=True
    )
    return (
        Document.objects.filter(expires_on__gte=today, expires_on__lte=horizon)
        .alias(
            renewed_self=Exists(newer.filter(member__isnull=True)),
            renewed_member=Exists(newer.filter(member_id=OuterRef("member_id"))),
        )
        .exclude(replaced)
        .select_related("beneficiary", "doc_type")
        .order_by("expires_on", "pk")
    )


def document_expiry_reminders(*, today: date | None = None) -> int:
    """Queue one SMS per document expiring within MUSTAFID["DOCUMENT_EXPIRY_WARNING_DAYS"],
    inviting the person to upload the renewed one on the portal. Batched: a fixed number of
    queries however many documents. Each message is logged on the beneficiary's timeline
    (`notify.message.queued`). Returns how many were queued now."""
    from notify.services import Notice, message_enqueue_many

    today = today or timezone.localdate()
    documents = list(expiring_documents(today))
    if not documents:
        return 0
    url = settings.SITE_URL.rstrip("/") + reverse("portal:documents")
    # Many documents share an expiry date: each is converted to Hijri once.
    dates = {d: format_dual(d) for d in {doc.expires_on for doc in documents}}
    with translation.override("ar"):
        notices = [
            Notice(
                recipient=doc.beneficiary.mobile,
                context={
                    "document": doc.doc_type.name,
                    "expires_on": dates[doc.expires_on],
                    "url": url,
                },
                idempotency_key=f"{TEMPLATE}:{doc.pk}:{doc.expires_on.isoformat()}",
                about=doc.beneficiary,
            )
            for doc in documents
        ]
    with transaction.atomic():
        queued = message_enqueue_many(channel="sms", template_code=TEMPLATE, notices=notices)
    return len(queued)
