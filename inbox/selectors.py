"""Reads of the inbound inbox, always scoped to the acting user.

A branch-bound user sees their branch's items and the items no branch owns yet (nobody has
identified the sender); everyone else who works the inbox sees all. Pages are keyset pages on
(received_at, public_id): a page costs the same at the ten-thousandth item as at the first,
and no count of the whole list is needed to draw it.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.dateparse import parse_datetime

from beneficiaries.models import Beneficiary
from beneficiaries.selectors import beneficiaries_for, beneficiary_search
from inbox import permissions
from inbox.models import InboundItem, ItemStatus

PAGE_SIZE = 25
SEARCH_RESULTS = 10


def items_for(user) -> QuerySet[InboundItem]:
    if not permissions.can_handle_inbox(user):
        return InboundItem.objects.none()
    qs = InboundItem.objects.all()
    if user.branch_id:
        qs = qs.filter(Q(branch_id=user.branch_id) | Q(branch__isnull=True))
    return qs


def item_get(user, public_id) -> InboundItem:
    """The item if the user may see it, else 404 (outsiders learn nothing)."""
    try:
        return (
            items_for(user)
            .select_related("channel", "branch", "beneficiary", "handled_by", "ticket")
            .select_related("support_request")
            .get(public_id=public_id)
        )
    except (InboundItem.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


# --- The inbox list --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """A position in the list: the (received_at, public_id) of an item, opaque in the URL."""

    received_at: datetime
    public_id: uuid.UUID

    def encode(self) -> str:
        raw = f"{self.received_at.isoformat()}|{self.public_id}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> Cursor | None:
        """None for anything that is not a cursor we made (a hand-edited URL shows page one)."""
        if not value or len(value) > 200:
            return None
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
            stamp, public_id = raw.split("|")
            received_at = parse_datetime(stamp)
            if received_at is None or received_at.tzinfo is None:
                return None
            return cls(received_at, uuid.UUID(public_id))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None

    @classmethod
    def of(cls, item: InboundItem) -> Cursor:
        return cls(item.received_at, item.public_id)


@dataclass
class InboxPage:
    items: list[InboundItem]
    newer: Cursor | None  # the first item shown, when newer items exist
    older: Cursor | None  # the last item shown, when older items exist


@dataclass(frozen=True)
class InboxFilters:
    source: str = ""
    channel_id: int | None = None
    branch_id: int | None = None
    unassigned: bool = False  # items no branch owns yet


def _filtered(user, filters: InboxFilters) -> QuerySet[InboundItem]:
    qs = items_for(user).filter(status=ItemStatus.NEW)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.channel_id:
        qs = qs.filter(channel_id=filters.channel_id)
    if filters.unassigned:
        qs = qs.filter(branch__isnull=True)
    elif filters.branch_id:
        qs = qs.filter(branch_id=filters.branch_id)
    return qs


def inbox_page(
    user,
    filters: InboxFilters,
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> InboxPage:
    """New items, newest first: the page older than `after`, or newer than `before`.

    The position is written as `received_at <= t AND (received_at < t OR public_id < u)` rather
    than a plain OR, so the database reads an index range from `t` on instead of filtering
    the list from its top.
    """
    qs = _filtered(user, filters).select_related("channel", "branch", "beneficiary")
    if before is not None:
        qs = qs.filter(
            Q(received_at__gte=before.received_at)
            & (Q(received_at__gt=before.received_at) | Q(public_id__gt=before.public_id))
        ).order_by("received_at", "public_id")
        rows = list(qs[: size + 1])
        more_newer = len(rows) > size
        items = rows[:size][::-1]
        return InboxPage(
            items=items,
            newer=Cursor.of(items[0]) if more_newer and items else None,
            older=Cursor.of(items[-1]) if items else None,
        )
    if after is not None:
        qs = qs.filter(
            Q(received_at__lte=after.received_at)
            & (Q(received_at__lt=after.received_at) | Q(public_id__lt=after.public_id))
        )
    rows = list(qs.order_by("-received_at", "-public_id")[: size + 1])
    items = rows[:size]
    return InboxPage(
        items=items,
        newer=Cursor.of(items[0]) if after is not None and items else None,
        older=Cursor.of(items[-1]) if len(rows) > size else None,
    )


def new_counts(user) -> dict[str, int]:
    """New items in the user's scope per source, and the total under "" (the badge).

    One grouped COUNT on the status index; the inbox holds what is waiting, not history, so
    this stays a small range however large the table grows.
    """
    rows = (
        items_for(user)
        .filter(status=ItemStatus.NEW)
        .order_by()
        .values("source")
        .annotate(n=Count("pk"))
    )
    counts = {row["source"]: row["n"] for row in rows}
    counts[""] = sum(counts.values())
    return counts


def new_count(user) -> int:
    """The badge for the navigation: new items the user may act on."""
    return items_for(user).filter(status=ItemStatus.NEW).count()


# --- Identifying the sender -------------------------------------------------------------------


def phone_matches(user, item: InboundItem) -> list[Beneficiary]:
    """Files in the user's scope whose mobile is the sender's phone (when it matched several,
    the item was left unidentified and these are the candidates)."""
    if not item.sender_phone:
        return []
    return list(
        beneficiaries_for(user)
        .filter(Q(mobile=item.sender_phone) | Q(alt_mobile=item.sender_phone))
        .select_related("branch")
        .order_by("-created_at")[:SEARCH_RESULTS]
    )


def candidates_for(user, query: str) -> list[Beneficiary]:
    """The registry search (name in any spelling, identity number or phone), best first."""
    ranked = beneficiary_search(user, query, limit=SEARCH_RESULTS * 5)[:SEARCH_RESULTS]
    rows = {b.pk: b for b in Beneficiary.objects.filter(pk__in=ranked).select_related("branch")}
    return [rows[pk] for pk in ranked if pk in rows]
