"""Deadlines (issue §10): requests past the decision date promised to the applicant (P6.5).

A request is overdue when it is past submission, not yet decided (AWAITING_DECISION) and its
`expected_decision_date` is before today. Reads here are scoped by `selectors.requests_for`,
like every other list of requests; the one write is the managers' daily digest.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import permissions
from accounts.models import Role, User
from assistance import selectors
from assistance.models import AWAITING_DECISION, Status, SupportRequest
from core.hijri import format_dual

DIGEST_TEMPLATE = "digest.overdue"
DIGEST_OLDEST = 10
UNASSIGNED = "none"  # the `owner` filter value for requests nobody owns

# The stages in the order of the workflow (DESIGN.md §4), for cards, filters and the digest.
STAGES: list[str] = [s.value for s in Status if s in AWAITING_DECISION]


def can_receive_digest(user) -> bool:
    """A manager, active, with an address to write to. Pure: no query."""
    return bool(
        permissions.can_manage_configuration(user)
        and user.role == Role.MANAGER
        and (user.email or "").strip()
    )


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _overdue(qs: QuerySet[SupportRequest], today: date) -> QuerySet[SupportRequest]:
    return qs.filter(status__in=AWAITING_DECISION, expected_decision_date__lt=today)


def overdue_requests(
    user, *, today: date | None = None, status: str = "", owner: str = ""
) -> QuerySet[SupportRequest]:
    """Overdue requests the user may see, the longest overdue first.

    `status` narrows to one stage (ignored unless it is a stage awaiting a decision); `owner`
    to one owner's id, or `UNASSIGNED` for requests without an owner (anything else is
    ignored, so a hand-edited URL shows everything rather than failing).
    """
    qs = _overdue(selectors.requests_for(user), _today(today))
    if status in STAGES:
        qs = qs.filter(status=status)
    if owner == UNASSIGNED:
        qs = qs.filter(owner__isnull=True)
    elif owner.isdigit():
        qs = qs.filter(owner_id=int(owner))
    return qs.select_related("beneficiary", "branch", "owner").order_by(
        "expected_decision_date", "reference", "pk"
    )


def days_overdue(request: SupportRequest, *, today: date | None = None) -> int:
    return (_today(today) - request.expected_decision_date).days


def mark_days_overdue(
    rows: Iterable[SupportRequest], *, today: date | None = None
) -> list[SupportRequest]:
    """Set `days_overdue` on each row (in Python: the rows are one page, already loaded)."""
    today = _today(today)
    rows = list(rows)
    for row in rows:
        row.days_overdue = days_overdue(row, today=today)
    return rows


def _owner_name(row: dict[str, Any]) -> str:
    # The same rule as User.display_name, from the aggregate's columns (no extra query).
    full = f"{row['owner__first_name'] or ''} {row['owner__last_name'] or ''}".strip()
    return row["owner__full_name"] or full or row["owner__username"]


def _counts_by_stage(qs: QuerySet[SupportRequest]) -> list[dict[str, Any]]:
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return [
        {"status": s, "label": Status(s).label, "count": counts[s]} for s in STAGES if s in counts
    ]


def overdue_summary(user, *, today: date | None = None) -> dict[str, Any]:
    """Counts of the user's overdue requests: by stage, by owner, and in total.

    Two aggregate queries (GROUP BY status, GROUP BY owner); the total is the sum of the
    stages, so it needs no third. Returns::

        {"today": date, "total": int,
         "by_status": [{"status", "label", "count"}, ...]   # workflow order
         "by_owner": [{"owner_id", "filter", "name", "count"}, ...]}  # most first
    """
    today = _today(today)
    qs = _overdue(selectors.requests_for(user), today)
    by_status = _counts_by_stage(qs)
    owners = (
        qs.order_by()
        .values(
            "owner",
            "owner__full_name",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
        )
        .annotate(n=Count("pk"))
    )
    by_owner = [
        {
            "owner_id": row["owner"],
            "filter": str(row["owner"]) if row["owner"] else UNASSIGNED,
            "name": _owner_name(row) if row["owner"] else _("Unassigned"),
            "count": row["n"],
        }
        for row in owners
    ]
    # Most overdue work first; unassigned requests last among equals, then by name.
    by_owner.sort(key=lambda o: (-o["count"], o["owner_id"] is None, o["name"]))
    return {
        "today": today,
        "total": sum(s["count"] for s in by_status),
        "by_status": by_status,
        "by_owner": by_owner,
    }


def overdue_url() -> str:
    """The absolute address of the overdue screen, for e-mails (settings.SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + reverse("assistance:overdue")


def _digest_items(by_status: list[dict[str, Any]], oldest: list[tuple[str, date]], today) -> str:
    """The {items} of the digest: counts by stage, then the oldest references. Reference
    numbers and counts only: never a name, an identity number or anything about the need."""
    lines = [_("By stage:")]
    lines += [f"- {s['label']}: {s['count']}" for s in by_status]
    lines += ["", _("The longest overdue:")]
    for reference, due in oldest:
        days = (today - due).days
        late = ngettext("%(days)d day overdue", "%(days)d days overdue", days) % {"days": days}
        lines.append(f"- {reference} — {late}")
    return "\n".join(lines)


def send_overdue_digest(*, today: date | None = None) -> int:
    """E-mail each active manager the overdue requests of their scope; run daily.

    Who is notified: every active user with the manager role and an e-mail address, about the
    requests they may see (a manager tied to a branch: that branch only). A manager with
    nothing overdue gets no e-mail. The message (template `digest.overdue`, rendered in
    Arabic) carries the total, the counts by stage, the references of the ten longest overdue
    and a link to the overdue screen — no beneficiary's name or identity number.

    Idempotent per manager and day (`digest.overdue:<user id>:<date>`): a second run the same
    day queues nothing. What is logged: the outbox row only (no activity-log entry, as the
    digest is about no single record). Returns the number of e-mails newly queued.
    """
    from notify import services as notify
    from notify.models import Status as MessageStatus

    today = _today(today)
    started = timezone.now()
    managers = User.objects.filter(role=Role.MANAGER, is_active=True).exclude(email="")
    url = overdue_url()
    # The scope of a manager is decided by their branch alone (selectors.requests_for), so
    # managers of the same branch share one pair of queries.
    scopes: dict[int | None, tuple[int, str]] = {}
    queued = 0
    for user in managers.order_by("pk"):
        if not can_receive_digest(user):
            continue
        if user.branch_id not in scopes:
            scopes[user.branch_id] = _digest_for(user, today)
        total, items = scopes[user.branch_id]
        if not total:
            continue
        with translation.override("ar"):
            context = {"count": total, "date": format_dual(today), "items": items, "url": url}
        message = notify.message_enqueue(
            channel="email",
            recipient=user.email,
            template_code=DIGEST_TEMPLATE,
            context=context,
            idempotency_key=f"{DIGEST_TEMPLATE}:{user.pk}:{today.isoformat()}",
        )
        # An existing row (an earlier run today) is returned unchanged: not counted again.
        if message.status == MessageStatus.QUEUED and message.created_at >= started:
            queued += 1
    return queued


def _digest_for(user, today: date) -> tuple[int, str]:
    qs = _overdue(selectors.requests_for(user), today)
    by_status = _counts_by_stage(qs)
    total = sum(s["count"] for s in by_status)
    if not total:
        return 0, ""
    oldest = list(
        qs.order_by("expected_decision_date", "reference").values_list(
            "reference", "expected_decision_date"
        )[:DIGEST_OLDEST]
    )
    with translation.override("ar"):
        # Stage labels and sentences in the language the template is rendered in.
        by_status = [s | {"label": str(s["label"])} for s in by_status]
        return total, _digest_items(by_status, oldest, today)
