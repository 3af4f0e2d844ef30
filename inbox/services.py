"""Every write to the inbound inbox.

`inbound_receive` stores what arrives — synchronously, in the request that delivers it, so
nothing depends on the worker being up. Each conversion (to a ticket, to a support request,
closed) is one service: lock the item, check it is still new, call the other app's service in
the same transaction, set the status, write the activity log. Two officers acting on the same
item serialise on the row lock; the second is told who got there first and nothing of theirs
is saved. No other code assigns `InboundItem.status`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance import services as assistance_services
from assistance.models import AidType, SupportRequest
from beneficiaries.models import Beneficiary
from contact import services as contact_services
from contact.models import Ticket, TicketCategory
from core.activity import both_languages, log_action
from core.models import Channel
from core.validators import normalize_phone
from inbox import permissions
from inbox.models import InboundItem, ItemStatus, Source

# The P4 channel an item is filed under when its integration names none.
DEFAULT_CHANNEL = {
    Source.WEB_FORM: "website",
    Source.SOCIAL: "social_media",
    Source.WHATSAPP: "social_media",
    Source.SMS: "phone",
    Source.EMAIL: "help_request",
}


def _normalize_email(value: str) -> str:
    """Trimmed, with the domain lower-cased (the local part is the mailbox owner's)."""
    value = (value or "").strip()
    local, at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}" if at else value


def _log(action: str, item: InboundItem, *, actor=None, subject=None, **data: Any) -> None:
    log_action(
        actor=actor,
        action=action,
        target=item,
        subject=subject or item.beneficiary or item,
        data={
            "item": str(item.public_id),
            **both_languages("source", Source(item.source).label),
            **data,
        },
    )


def inbound_receive(
    *,
    source: str,
    channel_code: str,
    external_id: str,
    body: str,
    sender_name: str = "",
    sender_phone: str = "",
    sender_email: str = "",
    sender_handle: str = "",
    platform: str = "",
    subject: str = "",
    payload: dict | None = None,
    received_at: datetime | None = None,
) -> tuple[InboundItem, bool]:
    """Store one message from outside; returns (item, created).

    Idempotent on (source, external_id): a sender delivering the same message again — even
    twice at the same instant — gets the first item back and nothing new is written. The
    INSERT is simply tried: the unique constraint decides, and a refused one reads the row
    that was kept (a new message, the common case, costs no lookup first). The phone is
    stored in E.164 and, when it is the mobile of exactly one file, that beneficiary and their
    branch are set; otherwise the item waits unidentified for staff. Logs
    `inbox.item.received` (no actor: the system received it) on the beneficiary's timeline
    when matched. Notifies nobody: the inbox and its badge are how staff learn of it.
    """
    external_id = (external_id or "").strip()
    errors: dict[str, list[str]] = {}
    phone = ""
    if (sender_phone or "").strip():
        try:
            phone = normalize_phone(sender_phone)
        except ValidationError as exc:
            errors["sender_phone"] = exc.messages
    channel = Channel.objects.filter(code=channel_code).first()
    if channel is None:
        errors["channel"] = [_("Unknown channel: %(code)s.") % {"code": channel_code}]
    if errors:
        raise ValidationError(errors)

    item = InboundItem(
        source=source,
        channel=channel,
        external_id=external_id,
        received_at=received_at or timezone.now(),
        sender_name=" ".join((sender_name or "").split()),
        sender_phone=phone,
        sender_email=_normalize_email(sender_email),
        sender_handle=(sender_handle or "").strip(),
        platform=platform or "",
        subject=" ".join((subject or "").split()),
        body=(body or "").strip(),
        payload=payload or {},
    )
    # Field rules only: the unique constraint is left to the INSERT (it decides races anyway)
    # and the check constraints concern states a new item cannot be in — each of those would
    # cost the webhook a query of its own.
    item.full_clean(exclude=["channel"], validate_unique=False, validate_constraints=False)

    if phone:
        matches = list(
            Beneficiary.objects.filter(Q(mobile=phone) | Q(alt_mobile=phone)).only(
                "pk", "branch_id"
            )[:2]
        )
        if len(matches) == 1:
            item.beneficiary = matches[0]
            item.branch_id = matches[0].branch_id

    try:
        with transaction.atomic():
            item.save(force_insert=True)
            _log("inbox.item.received", item)
    except IntegrityError:
        existing = InboundItem.objects.filter(source=source, external_id=external_id).first()
        if existing is None:
            raise
        return existing, False
    return item, True


# --- Staff actions --------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _lock_new(actor, item: InboundItem) -> InboundItem:
    """Re-read the item under a row lock and check the actor may still act on it."""
    _require(permissions.can_handle_inbox(actor))
    locked = InboundItem.objects.select_for_update().get(pk=item.pk)
    _require(permissions.can_reach_branch(actor, locked.branch_id))
    if locked.status != ItemStatus.NEW:
        handler = locked.handled_by.display_name if locked.handled_by_id else _("A colleague")
        raise ValidationError(
            _("%(name)s has already handled this message (%(status)s); nothing was changed.")
            % {"name": handler, "status": locked.get_status_display()}
        )
    return locked


def _handled(item: InboundItem, actor, status: str) -> None:
    item.status = status
    item.handled_by = actor
    item.handled_at = timezone.now()
    item.full_clean()
    item.save()


@transaction.atomic
def inbound_identify(*, actor, item: InboundItem, beneficiary: Beneficiary | None) -> InboundItem:
    """Link the item to the sender's file (or undo a wrong link with `beneficiary=None`).

    The item moves to the file's branch, so that branch's representatives see it. Logs
    `inbox.item.identified` on the file's timeline, or `inbox.item.unlinked` on the timeline
    of the file it was wrongly linked to. Notifies nobody.
    """
    item = _lock_new(actor, item)
    if beneficiary is not None:
        # A branch-bound user links only files of their own branch (the registry's scope).
        _require(not actor.branch_id or beneficiary.branch_id == actor.branch_id)
    previous = item.beneficiary
    if (previous.pk if previous else None) == (beneficiary.pk if beneficiary else None):
        return item
    item.beneficiary = beneficiary
    item.branch_id = beneficiary.branch_id if beneficiary else None
    item.save(update_fields=["beneficiary", "branch"])
    if beneficiary is not None:
        _log("inbox.item.identified", item, actor=actor, subject=beneficiary)
    else:
        _log("inbox.item.unlinked", item, actor=actor, subject=previous)
    return item


@transaction.atomic
def inbound_to_ticket(
    *,
    actor,
    item: InboundItem,
    kind: str,
    category: TicketCategory,
    subject: str,
    description: str,
    priority: str,
    reply_channel: str,
    about_staff: bool = False,
) -> Ticket:
    """Open an inquiry, complaint, suggestion or praise from the item (contact.ticket_open,
    which fixes the deadlines, logs and notifies as for any ticket) and mark the item done.

    The sender's name (or account), phone and e-mail go to the ticket, so an unidentified
    person can still be answered. Logs `inbox.item.ticket`.
    """
    item = _lock_new(actor, item)
    ticket = contact_services.ticket_open(
        actor=actor,
        kind=kind,
        category=category,
        subject=subject,
        description=description,
        channel=item.channel,
        branch=item.branch,
        beneficiary=item.beneficiary,
        person_name=item.sender_name or item.sender_handle,
        person_phone=item.sender_phone,
        person_email=item.sender_email,
        reply_channel=reply_channel,
        priority=priority,
        about_staff=about_staff,
    )
    item.ticket = ticket
    _handled(item, actor, ItemStatus.TICKET)
    _log("inbox.item.ticket", item, actor=actor, reference=ticket.reference)
    return ticket


@transaction.atomic
def inbound_to_request(
    *,
    actor,
    item: InboundItem,
    aid_types: Iterable[AidType],
    need: str,
    requested_amount: Decimal | None = None,
) -> SupportRequest:
    """Open a draft support request for the identified sender (assistance.request_create,
    which builds the checklist and logs as at the front desk) and mark the item done.

    Refused while the item is unidentified: a request belongs to a beneficiary's file. Logs
    `inbox.item.request`. Notifies nobody: the applicant hears from us at submission.
    """
    item = _lock_new(actor, item)
    if item.beneficiary_id is None:
        raise ValidationError(
            _("Identify the sender first: a support request belongs to a beneficiary's file.")
        )
    request = assistance_services.request_create(
        actor=actor,
        beneficiary=item.beneficiary,
        channel=item.channel,
        aid_types=aid_types,
        need=need,
        requested_amount=requested_amount,
    )
    item.support_request = request
    _handled(item, actor, ItemStatus.REQUEST)
    _log("inbox.item.request", item, actor=actor)
    return request


@transaction.atomic
def inbound_close(*, actor, item: InboundItem, reason: str) -> InboundItem:
    """Close the item without a ticket or request (spam, a duplicate, nothing to do), with
    the reason kept. Logs `inbox.item.closed`. Notifies nobody."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"close_reason": _("Say why the message is closed.")})
    item = _lock_new(actor, item)
    item.close_reason = reason
    _handled(item, actor, ItemStatus.CLOSED)
    _log("inbox.item.closed", item, actor=actor, reason=reason)
    return item
