"""Personal-data rights under the PDPL (DOMAIN.md §6): data-subject requests and the copy of
everything held about a beneficiary.

A data-subject request — access, copy, correction or destruction — is answered within 30 days
of its receipt, extendable once by 30 days with a reason; requests are recorded whatever the
channel, oral ones included. Each transition is one service here: lock the row, check the state
and the actor, save, log, tell the beneficiary by SMS. The staff who handle them are those who
keep files up to date (accounts.permissions.REGISTRY_EDITORS), within their branch.

`subject_export` gathers, once, everything held about a person for the portal's JSON and PDF
downloads. The registry never imports the feature apps (DESIGN.md §3): their rows are read
through the reverse relations they declare on `Beneficiary` (support requests, tickets,
contacts), read-only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import permissions
from accounts.models import User
from beneficiaries.models import (
    Beneficiary,
    DataSubjectRequest,
    DocumentState,
    DsrKind,
    DsrStatus,
    household_totals,
)
from core import activity
from core.activity import both_languages, log_action
from core.hijri import format_dual
from core.models import ActivityLog, Channel
from core.validators import mask_identity

RESPONSE_DAYS = 30  # PDPL: a request is answered within 30 days of its receipt…
EXTENSION_DAYS = 30  # …extendable once, by 30 days, with a reason.
FINANCIAL_RETENTION_YEARS = 10  # Disbursement records are kept at least this long (§6).

# One-time codes are no news to anyone; the others are notices to staff "about" a ticket (its
# new owner, its escalation, the person's follow-up). Staff notices are also recognised by
# their recipient (`beneficiary_messages`), so a new one is not shown to the person even
# before it is listed here.
NOT_FOR_THE_PERSON = frozenset(
    {"portal.otp", "ticket.assigned", "ticket.escalated", "ticket.person_wrote"}
)

TEMPLATE_RECEIVED = "privacy.dsr_received"
TEMPLATE_EXTENDED = "privacy.dsr_extended"
TEMPLATE_COMPLETED = "privacy.dsr_completed"
TEMPLATE_REFUSED = "privacy.dsr_refused"


def can_handle_data_requests(user) -> bool:
    """Who records and answers data-subject requests: the roles that keep files up to date,
    since answering a correction means editing the file."""
    return permissions.can_edit_registry(user)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_scope(actor, beneficiary: Beneficiary) -> None:
    if actor.branch_id and beneficiary.branch_id != actor.branch_id:
        raise PermissionDenied


def _channel(channel) -> Channel:
    if isinstance(channel, Channel):
        return channel
    found = Channel.objects.filter(code=channel, is_active=True).first()
    if found is None:
        raise ValidationError({"channel": _("Choose the channel the request came by.")})
    return found


def due_date_for(received: date) -> date:
    """The date a request received on `received` must be answered by."""
    return received + timedelta(days=RESPONSE_DAYS)


def _kind_label(kind: str) -> str:
    with translation.override("ar"):
        return str(DsrKind(kind).label)


def _log(actor, action: str, dsr: DataSubjectRequest, **data: Any) -> None:
    log_action(
        actor=actor,
        action=action,
        target=dsr,
        subject=dsr.beneficiary,
        data={**both_languages("kind", DsrKind(dsr.kind).label), **data},
    )


def _sms(dsr: DataSubjectRequest, template: str, key: str, **context: Any) -> None:
    """Tell the beneficiary, after commit, on the mobile on file (never an identity number)."""
    from notify.services import message_enqueue

    message_enqueue(
        channel="sms",
        recipient=dsr.beneficiary.mobile,
        template_code=template,
        context={"kind": _kind_label(dsr.kind), **context},
        idempotency_key=f"{key}:{dsr.public_id}",
        about=dsr.beneficiary,
    )


def _clean_changes(proposed_changes: dict | None) -> dict[str, dict[str, str]]:
    cleaned = {}
    for field, change in (proposed_changes or {}).items():
        proposed = str(change.get("proposed", "")).strip()
        if not proposed:
            continue
        cleaned[str(field)] = {
            "label": str(change.get("label", field))[:200],
            "current": str(change.get("current", ""))[:500],
            "proposed": proposed[:1000],
        }
    return cleaned


@transaction.atomic
def dsr_open(
    *,
    actor,
    beneficiary: Beneficiary,
    kind: str,
    channel,
    details: str = "",
    proposed_changes: dict | None = None,
    requested_by: str = "",
    received_at: datetime | None = None,
) -> DataSubjectRequest:
    """Record a data-subject request and start its 30-day clock.

    `actor` is the staff member recording it (an oral or phone request, a letter), or None
    when the beneficiary asks on the portal, which has authenticated them. A correction
    carries `proposed_changes` ({field: {"label", "current", "proposed"}}) or a description
    in `details`. One open request of each kind at a time for access, copy and destruction;
    corrections may be several. The due date is the day received plus 30 days and never
    moves. Logs `beneficiaries.dsr.opened`; the beneficiary gets an SMS with the due date.
    """
    if actor is not None:
        _require(can_handle_data_requests(actor))
        _require_scope(actor, beneficiary)
    if kind not in DsrKind.values:
        raise ValidationError({"kind": _("Choose what you are asking for.")})
    channel = _channel(channel)
    details = (details or "").strip()
    changes = _clean_changes(proposed_changes)
    if changes and kind != DsrKind.CORRECTION:
        raise ValidationError({"kind": _("Proposed changes belong to a correction request.")})
    if kind == DsrKind.CORRECTION and not changes and not details:
        raise ValidationError(
            {"details": _("Say what is wrong in your data and what it should be.")}
        )
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise ValidationError({"received_at": _("The date received cannot be in the future.")})
    if kind != DsrKind.CORRECTION:
        # Locked, so two clicks at once open one request (SQLite serialises writers anyway).
        Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).first()
        pending = (
            DataSubjectRequest.objects.filter(
                beneficiary=beneficiary, kind=kind, status=DsrStatus.OPEN
            )
            .order_by("received_at")
            .first()
        )
        if pending is not None:
            raise ValidationError(
                {
                    "kind": _(
                        "A request of this kind is already open; it will be answered by %(date)s."
                    )
                    % {"date": format_dual(pending.deadline)}
                }
            )
    dsr = DataSubjectRequest(
        beneficiary=beneficiary,
        kind=kind,
        channel=channel,
        details=details,
        proposed_changes=changes,
        requested_by=(requested_by or "").strip(),
        received_at=received_at,
        due_date=due_date_for(timezone.localdate(received_at)),
        recorded_by=actor,
    )
    dsr.full_clean()
    dsr.save()
    extra = {"via": "portal"} if actor is None else {}
    _log(
        actor,
        "beneficiaries.dsr.opened",
        dsr,
        channel=channel.name_ar,
        channel_en=channel.name_en,
        **extra,
    )
    _sms(dsr, TEMPLATE_RECEIVED, TEMPLATE_RECEIVED, due_date=format_dual(dsr.due_date))
    return dsr


def _lock_open(actor, dsr: DataSubjectRequest) -> DataSubjectRequest:
    _require(can_handle_data_requests(actor))
    locked = (
        DataSubjectRequest.objects.select_for_update().select_related("beneficiary").get(pk=dsr.pk)
    )
    _require_scope(actor, locked.beneficiary)
    if locked.status != DsrStatus.OPEN:
        raise ValidationError(_("This request has already been answered."), code="closed")
    return locked


@transaction.atomic
def dsr_extend(*, actor, dsr: DataSubjectRequest, reason: str) -> DataSubjectRequest:
    """Extend the deadline once, by 30 days from the original due date, with a reason, while
    the original deadline has not passed. Logs `beneficiaries.dsr.extended`; the beneficiary
    is told the new date and the reason by SMS."""
    dsr = _lock_open(actor, dsr)
    reason = (reason or "").strip()
    if dsr.extended_to is not None:
        raise ValidationError(
            _("The deadline has already been extended once; it cannot be extended again."),
            code="extended_twice",
        )
    if dsr.due_date < timezone.localdate():
        raise ValidationError(
            _("The deadline has passed: it can no longer be extended. Answer the request."),
            code="too_late",
        )
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    dsr.extended_to = dsr.due_date + timedelta(days=EXTENSION_DAYS)
    dsr.extension_reason = reason
    dsr.handled_by = actor
    dsr.full_clean()
    dsr.save()
    _log(actor, "beneficiaries.dsr.extended", dsr, date=format_dual(dsr.extended_to))
    _sms(
        dsr,
        TEMPLATE_EXTENDED,
        TEMPLATE_EXTENDED,
        due_date=format_dual(dsr.extended_to),
        reason=reason[:200],
    )
    return dsr


def _close(actor, dsr: DataSubjectRequest, status: str, text: str, field: str, action: str):
    dsr = _lock_open(actor, dsr)
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            {
                field: _("Write the answer given to the beneficiary.")
                if status == DsrStatus.COMPLETED
                else _("Give the reasons for the refusal.")
            }
        )
    dsr.status = status
    dsr.response = text
    dsr.closed_at = timezone.now()
    dsr.handled_by = actor
    dsr.full_clean()
    dsr.save()
    _log(actor, action, dsr)
    template = TEMPLATE_COMPLETED if status == DsrStatus.COMPLETED else TEMPLATE_REFUSED
    # One closing notice per request, whichever way it was closed.
    _sms(dsr, template, "privacy.dsr_closed")
    return dsr


@transaction.atomic
def dsr_complete(*, actor, dsr: DataSubjectRequest, response: str) -> DataSubjectRequest:
    """Close a request as done, with the answer given. For a correction, staff first apply
    the change on the file (the registry's own screens and services, which log it); for a
    destruction, what could be destroyed is, and the answer says what is kept and why.
    Logs `beneficiaries.dsr.completed`; the beneficiary is told by SMS."""
    return _close(
        actor, dsr, DsrStatus.COMPLETED, response, "response", "beneficiaries.dsr.completed"
    )


@transaction.atomic
def dsr_refuse(*, actor, dsr: DataSubjectRequest, reasons: str) -> DataSubjectRequest:
    """Refuse a request, with the reasons (kept as the response shown to the beneficiary).
    Logs `beneficiaries.dsr.refused`; the beneficiary is told by SMS."""
    return _close(actor, dsr, DsrStatus.REFUSED, reasons, "reasons", "beneficiaries.dsr.refused")


def data_exported(*, beneficiary: Beneficiary, fmt: str, actor=None) -> None:
    """Everything held about the beneficiary was exported: by them on the portal (`actor`
    None), or by staff printing their copy for a request made at the desk. Personal-data
    access, logged like every other (`beneficiaries.data.exported`)."""
    if actor is not None:
        _require(can_handle_data_requests(actor))
    log_action(
        actor=actor,
        action="beneficiaries.data.exported",
        target=beneficiary,
        data={"format": fmt.upper()} | ({} if actor is not None else {"via": "portal"}),
    )


def data_copy_pdf(beneficiary: Beneficiary) -> bytes:
    """The beneficiary's copy of everything held about them, as an Arabic PDF on the
    letterhead (the same content as the JSON export). The caller logs it with
    `data_exported`."""
    from core.pdf import letterhead_context, render_pdf  # WeasyPrint: loaded when needed

    with translation.override("ar"):
        context = letterhead_context(reference="", branch=beneficiary.branch)
        context.update({"data": subject_export(beneficiary), "beneficiary": beneficiary})
        return render_pdf("beneficiaries/privacy/data_copy_pdf.html", context)


# --- Selectors -------------------------------------------------------------------------------


def data_requests_for(user) -> QuerySet[DataSubjectRequest]:
    """The requests the user may handle: their branch's files, or all for head-office staff."""
    if not can_handle_data_requests(user):
        return DataSubjectRequest.objects.none()
    qs = DataSubjectRequest.objects.all()
    if user.branch_id:
        qs = qs.filter(beneficiary__branch_id=user.branch_id)
    return qs


def data_request_get(user, public_id) -> DataSubjectRequest:
    try:
        return (
            data_requests_for(user)
            .select_related(
                "beneficiary", "beneficiary__branch", "channel", "handled_by", "recorded_by"
            )
            .get(public_id=public_id)
        )
    except (DataSubjectRequest.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def data_request_queue(user, *, closed: bool = False) -> QuerySet[DataSubjectRequest]:
    """Open requests by deadline, the nearest (and overdue) first; or the answered ones,
    the most recent first."""
    qs = data_requests_for(user).select_related("beneficiary", "beneficiary__branch", "channel")
    if closed:
        return qs.exclude(status=DsrStatus.OPEN).order_by("-closed_at", "-pk")
    return (
        qs.filter(status=DsrStatus.OPEN)
        .annotate(deadline_on=Coalesce("extended_to", "due_date"))
        .order_by("deadline_on", "received_at", "pk")
    )


def data_request_counts(user) -> dict[str, int]:
    today = timezone.localdate()
    open_qs = data_requests_for(user).filter(status=DsrStatus.OPEN)
    return {
        "open": open_qs.count(),
        "overdue": open_qs.annotate(deadline_on=Coalesce("extended_to", "due_date"))
        .filter(deadline_on__lt=today)
        .count(),
    }


def beneficiary_data_requests(beneficiary: Beneficiary) -> list[DataSubjectRequest]:
    """The beneficiary's own requests, newest first (the portal; the caller is that person)."""
    return list(
        DataSubjectRequest.objects.filter(beneficiary=beneficiary)
        .select_related("channel")
        .order_by("-received_at", "-pk")
    )


def beneficiary_messages(beneficiary: Beneficiary):
    """The messages sent to this person, found by what they are about — the file, its
    support requests, its tickets — rather than by phone number (a number may have been
    someone else's before). One-time codes and notices to staff are left out."""
    from notify.selectors import messages_about_any

    staff_addresses = User.objects.exclude(email="").values("email")
    return messages_about_any(
        [beneficiary, beneficiary.support_requests.all(), beneficiary.tickets.all()],
        exclude_templates=NOT_FOR_THE_PERSON,
    ).exclude(recipient__in=staff_addresses)


def subject_profile(beneficiary: Beneficiary) -> dict[str, Any]:
    """What the portal's profile page shows of the person's own file, in a fixed number of
    queries."""
    members = list(beneficiary.members.all())
    incomes = list(beneficiary.incomes.all())
    by_id = {m.pk: m for m in members}
    for income in incomes:
        income.member_cached = by_id.get(income.member_id)
    obligations = list(beneficiary.obligations.all())
    return {
        "beneficiary": beneficiary,
        "categories": list(beneficiary.categories.all()),
        "members": members,
        "incomes": incomes,
        "obligations": obligations,
        "totals": household_totals(beneficiary, members, incomes, obligations),
    }


# --- The copy of everything held (portal: my data) ---------------------------------------------

_PORTAL = gettext_lazy("You, on the portal")
_SYSTEM = gettext_lazy("The system")


def _label(instance, field: str) -> str:
    value = getattr(instance, field)
    if not value:
        return ""
    return str(getattr(instance, f"get_{field}_display")())


def _role_of(entry) -> str:
    """Who acted, for the person: a staff member by role, never by name (see `_history`)."""
    if entry.actor_id:
        return entry.actor.get_role_display() or _("Staff member")
    if (entry.data or {}).get("via") == "portal" or entry.action.startswith("portal."):
        return str(_PORTAL)
    return str(_SYSTEM)


# What the access log of the copy holds: every opening, download, print and export of the
# person's data, whatever app logged it, and every change to the registry file itself. How
# staff handle a request or a ticket (assignments, votes, internal notes, escalations) is
# the organisation's working record, not an access to the person's data, and stays out.
_ACCESS = (
    Q(action__startswith="beneficiaries.")
    | Q(action__endswith=".viewed")
    | Q(action__endswith="_viewed")
    | Q(action__endswith=".downloaded")
    | Q(action__endswith=".exported")
    | Q(action__endswith="_printed")
    | Q(action="portal.signed_in")
)


def _history(beneficiary: Beneficiary) -> list[dict[str, Any]]:
    """Who opened, downloaded or changed the file and when, each staff member shown by role,
    not by name.

    Why by role: the person is entitled to know who had their data (the PDPL speaks of the
    categories of recipients), while an employee's name is that employee's personal data and
    naming individuals invites pressure on them. The organisation keeps the names in its
    log; a complaint about a specific access is answered by the quality officer.
    """
    entries = (
        ActivityLog.objects.filter(
            _ACCESS,
            subject_type=ContentType.objects.get_for_model(Beneficiary),
            subject_id=str(beneficiary.pk),
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    rows = []
    for entry in entries:
        who = _role_of(entry)
        if entry.actor_id:
            # The sentence names its actor: hand it a stand-in carrying the role (in memory
            # only; a log row can never be saved again).
            entry.actor = User(pk=entry.actor_id, full_name=who)
        rows.append(
            {
                "at": entry.created_at,
                "who": who,
                "action": entry.action,
                "what": activity.describe(entry),
            }
        )
    return rows


def _member_row(member) -> dict[str, Any]:
    return {
        "full_name": member.full_name,
        "relation": _label(member, "relation"),
        "gender": _label(member, "gender"),
        "birth_date": member.birth_date,
        "id_type": _label(member, "id_type"),
        # Another person's identity number: masked, even in the person's own copy.
        "id_number_masked": mask_identity(member.id_number) if member.id_number else "",
        "schooling": _label(member, "schooling"),
        "disability": _label(member, "disability"),
        "health_notes": member.health_notes,
    }


def _request_rows(beneficiary: Beneficiary) -> list[dict[str, Any]]:
    requests = beneficiary.support_requests.select_related("channel", "branch").prefetch_related(
        "aid_types",
        "agenda_items__aid_type",
        "agenda_items__reasons",
        "appeals",
        "info_requests",
    )
    rows = []
    for req in requests.order_by("-created_at", "-pk"):
        decisions = [
            {
                "outcome": item.get_outcome_display(),
                "outcome_code": item.outcome,
                "decided_at": item.decided_at,
                "aid_type": item.aid_type.name,
                "amount": item.amount,
                "months": item.months,
                "reasons": [reason.name for reason in item.reasons.all()],
                "reason_text": item.reason_text,
                "what_is_needed": item.deferred_need,
            }
            for item in req.agenda_items.all()
            if item.decided_at
        ]
        rows.append(
            {
                "reference": req.reference or "",
                "status": req.get_status_display(),
                "status_code": req.status,
                "channel": req.channel.name,
                "branch": req.branch.name,
                "aid_types": [aid.name for aid in req.aid_types.all()],
                "need": req.need,
                "requested_amount": req.requested_amount,
                "created_at": req.created_at,
                "submitted_at": req.submitted_at,
                "expected_decision_date": req.expected_decision_date,
                "decisions": decisions,
                "information_asked": [
                    {
                        "what": info.what,
                        "due_date": info.due_date,
                        "answer": info.answer,
                        "answered_at": info.answered_at,
                    }
                    for info in req.info_requests.all()
                ],
                "appeals": [
                    {"grounds": appeal.grounds, "at": appeal.created_at}
                    for appeal in req.appeals.all()
                ],
            }
        )
    return rows


def _ticket_messages(ticket) -> list[dict[str, Any]]:
    """What the person wrote after opening the ticket and what we answered them. Internal
    notes, assignments, escalations and staff names are the organisation's working papers,
    not the person's data (a complaint about staff must not reveal how it is handled). The
    event kinds are the contact app's (`EventKind`), read as stored."""
    rows = []
    for event in ticket.events.all():
        if not event.body:
            continue
        if event.kind in ("reply", "outcome"):
            rows.append({"at": event.created_at, "from": "us", "text": event.body})
        elif event.kind == "message":
            rows.append({"at": event.created_at, "from": "you", "text": event.body})
    return rows


def _ticket_rows(beneficiary: Beneficiary) -> list[dict[str, Any]]:
    tickets = beneficiary.tickets.select_related("category", "channel").prefetch_related("events")
    rows = []
    for ticket in tickets.order_by("-created_at", "-pk"):
        rows.append(
            {
                "reference": ticket.reference,
                "kind": ticket.get_kind_display(),
                "category": ticket.category.name,
                "channel": ticket.channel.name,
                "subject": ticket.subject,
                "description": ticket.description,
                "status": ticket.get_status_display(),
                "created_at": ticket.created_at,
                "resolved_at": ticket.resolved_at,
                "resolution": ticket.resolution,
                "outcome": _label(ticket, "outcome"),
                "outcome_reason": ticket.outcome_reason,
                "messages": _ticket_messages(ticket),
            }
        )
    return rows


def _contact_rows(beneficiary: Beneficiary) -> list[dict[str, Any]]:
    contacts = beneficiary.interactions.select_related("channel", "branch")
    return [
        {
            "at": contact.occurred_at,
            "channel": contact.channel.name,
            "direction": contact.get_direction_display(),
            "branch": contact.branch.name,
            "subject": contact.subject,
            "summary": contact.summary,
        }
        for contact in contacts.order_by("-occurred_at", "-pk")
    ]


def _dsr_rows(beneficiary: Beneficiary) -> list[dict[str, Any]]:
    return [
        {
            "kind": dsr.get_kind_display(),
            "channel": dsr.channel.name,
            "received_at": dsr.received_at,
            "due_date": dsr.due_date,
            "extended_to": dsr.extended_to,
            "extension_reason": dsr.extension_reason,
            "status": dsr.get_status_display(),
            "details": dsr.details,
            "proposed_changes": dsr.proposed_changes,
            "response": dsr.response,
            "closed_at": dsr.closed_at,
        }
        for dsr in beneficiary_data_requests(beneficiary)
    ]


def subject_export(beneficiary: Beneficiary) -> dict[str, Any]:
    """Everything held about `beneficiary`, for them: the file, household, money, documents
    (their description, not the files), consents, support requests with their decisions,
    tickets with the replies sent, contacts logged, data-subject requests, messages sent, and
    the log of who did what with the file. Labels are in the active language; values stay
    dates, datetimes and decimals (the JSON view encodes them, the PDF formats them).

    Read-only, in a fixed number of queries whatever the size of the file. Household members'
    identity numbers are masked: they are other people's. The caller logs the export
    (`data_exported`)."""
    b = (
        Beneficiary.objects.select_related("city", "branch")
        .prefetch_related("categories")
        .get(pk=beneficiary.pk)
    )
    members = list(b.members.all())
    by_member = {m.pk: m for m in members}
    incomes = list(b.incomes.all())
    obligations = list(b.obligations.all())
    totals = household_totals(b, members, incomes, obligations)
    documents = list(b.documents.select_related("doc_type"))
    today = timezone.localdate()
    messages = list(beneficiary_messages(b))
    whose = _("Applicant")
    return {
        "generated_at": timezone.now(),
        "organisation": settings.MUSTAFID["ORGANISATION_NAME"],
        "profile": {
            "full_name": b.full_name,
            "first_name": b.first_name,
            "father_name": b.father_name,
            "grandfather_name": b.grandfather_name,
            "family_name": b.family_name,
            "latin_name": b.latin_name,
            "id_type": b.get_id_type_display(),
            # The person's own number, which they typed to sign in: given in full.
            "id_number": b.id_number,
            "id_expiry": b.id_expiry,
            "nationality": str(b.nationality.name),
            "gender": _label(b, "gender"),
            "birth_date": b.birth_date,
            "marital_status": _label(b, "marital_status"),
            "mobile": b.mobile,
            "alt_mobile": b.alt_mobile,
            "landline": b.landline,
            "email": b.email,
            "city": b.city.name,
            "district": b.district,
            "street": b.street,
            "building_number": b.building_number,
            "postal_code": b.postal_code,
            "additional_number": b.additional_number,
            "address_short": b.address_short,
            "iban": b.iban,
            "categories": [c.name for c in b.categories.all()],
            "category_note": b.category_note,
            "branch": b.branch.name,
            "housing_type": _label(b, "housing_type"),
            "housing_condition": _label(b, "housing_condition"),
            "disability": _label(b, "disability"),
            "health_notes": b.health_notes,
            "registered_at": b.created_at,
        },
        "household": [_member_row(m) for m in members],
        "incomes": [
            {
                "kind": i.get_kind_display(),
                "whose": by_member[i.member_id].full_name if i.member_id else whose,
                "monthly_amount": i.monthly_amount,
                "note": i.note,
            }
            for i in incomes
        ],
        "obligations": [
            {"kind": o.get_kind_display(), "monthly_amount": o.monthly_amount, "note": o.note}
            for o in obligations
        ],
        "totals": totals,
        "documents": [
            {
                "type": d.doc_type.name,
                "whose": by_member[d.member_id].full_name if d.member_id in by_member else whose,
                "file_name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "issued_on": d.issued_on,
                "expires_on": d.expires_on,
                "state": str(DocumentState(d.state_on(today)).label),
                "uploaded_at": d.created_at,
                "uploaded_on_portal": d.uploaded_by_id is None,
            }
            for d in documents
        ],
        "consents": [
            {
                "notice_version": c.notice.version,
                "acknowledged_at": c.acknowledged_at,
                "channel": c.channel.name,
            }
            for c in b.consents.select_related("notice", "channel")
        ],
        "support_requests": _request_rows(b),
        "tickets": _ticket_rows(b),
        "contacts": _contact_rows(b),
        "data_requests": _dsr_rows(b),
        "messages": [
            {
                "at": m.created_at,
                "channel": m.get_channel_display(),
                "subject": m.subject,
                "text": m.body,
                "status": m.get_status_display(),
            }
            for m in messages
        ],
        "history": _history(b),
    }


__all__ = [
    "EXTENSION_DAYS",
    "FINANCIAL_RETENTION_YEARS",
    "RESPONSE_DAYS",
    "beneficiary_data_requests",
    "beneficiary_messages",
    "can_handle_data_requests",
    "data_exported",
    "data_request_counts",
    "data_request_get",
    "data_request_queue",
    "data_requests_for",
    "dsr_complete",
    "dsr_extend",
    "dsr_open",
    "dsr_refuse",
    "subject_export",
    "subject_profile",
]
