"""Every write to support requests. One service per transition: lock the row, check the move
and the actor's permission, save, write the activity log, notify after commit. No other code
assigns `SupportRequest.status`.

`actor` is the staff member, or None when the applicant acts for themself on the portal (which
has authenticated them). Then staff permissions do not apply; instead the caller passes the
signed-in `beneficiary` and the service refuses a request that is not theirs. The log row then
has no actor and carries `"via": "portal"`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from assistance import checks
from assistance.models import (
    AidType,
    AssistancePolicy,
    Attestation,
    AttestationMethod,
    ChecklistItem,
    Declaration,
    HomeVisit,
    InfoRequest,
    RequestSequence,
    RequiredDocument,
    Research,
    ResearchPhoto,
    Status,
    SupportRequest,
    Verification,
)
from beneficiaries.models import Beneficiary, Document, PrivacyNotice, age_on
from core.activity import both_languages, log_action
from core.files import inspect_upload
from core.hijri import format_dual
from core.sequences import next_in_hijri_year
from core.sla import add_days

# The moves of DESIGN.md §4 that this module performs; later stages add theirs here.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.VERIFYING},
    Status.VERIFYING: {Status.AWAITING_APPLICANT, Status.IN_RESEARCH},
    Status.AWAITING_APPLICANT: {Status.VERIFYING},
    Status.IN_RESEARCH: {Status.RESEARCHED},
    Status.RESEARCHED: {Status.IN_COMMITTEE},
    Status.IN_COMMITTEE: {Status.APPROVED, Status.REJECTED, Status.DEFERRED},
    # A deferred request goes back to research or to a later meeting.
    Status.DEFERRED: {Status.IN_RESEARCH, Status.IN_COMMITTEE},
    Status.REJECTED: {Status.APPEALED, Status.CLOSED},
    Status.APPEALED: {Status.IN_COMMITTEE},
    Status.APPROVED: {Status.ENROLLED},
    Status.ENROLLED: {Status.IN_SERVICE},
    Status.IN_SERVICE: {Status.CLOSED},
}
CLOSABLE = {s for s in Status if s not in {Status.CLOSED, Status.WITHDRAWN, Status.CANCELLED}}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_scope(actor, request: SupportRequest) -> None:
    if actor.branch_id and request.branch_id != actor.branch_id:
        raise PermissionDenied


PORTAL = {"via": "portal"}


def _authorise(
    actor,
    request: SupportRequest,
    beneficiary: Beneficiary | None,
    allowed=permissions.can_edit_registry,
    *,
    own_draft: bool = False,
) -> dict:
    """Who may act on `request`: staff with the permission in their branch, or — `actor` None —
    the applicant it belongs to, signed in on the portal as `beneficiary`. With `own_draft`,
    the applicant completes only a draft they opened on the portal themself: a draft opened
    at our desk is completed with the officer. Returns what the log row adds."""
    if actor is None:
        if beneficiary is None or request.beneficiary_id != beneficiary.pk:
            raise PermissionDenied
        if own_draft and request.created_by_id is not None:
            raise PermissionDenied
        return dict(PORTAL)
    _require(allowed(actor))
    _require_scope(actor, request)
    return {}


def _lock(request: SupportRequest) -> SupportRequest:
    """Re-read the request under a row lock: two desks acting at once serialise here."""
    return (
        SupportRequest.objects.select_for_update().select_related("beneficiary").get(pk=request.pk)
    )


def _move(request: SupportRequest, to: str) -> None:
    allowed = TRANSITIONS.get(request.status, set())
    if to in (Status.WITHDRAWN, Status.CANCELLED) and request.status in CLOSABLE:
        allowed = allowed | {to}
    if to not in allowed:
        raise ValidationError(
            _("This request is “%(status)s”; it cannot become “%(to)s”.")
            % {"status": request.get_status_display(), "to": Status(to).label}
        )
    request.status = to


def _log(actor, action: str, request: SupportRequest, data: dict | None = None, target=None):
    log_action(
        actor=actor,
        action=action,
        target=target or request,
        subject=request.beneficiary,
        data={
            "request": str(request.public_id),
            "reference": request.reference or "",
            **(data or {}),
        },
    )


# --- Draft ------------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    actor,
    beneficiary: Beneficiary,
    channel,
    aid_types: Iterable[AidType],
    need: str,
    requested_amount: Decimal | None = None,
    declares_no_income: bool = False,
) -> SupportRequest:
    """Open a draft request at intake (P6.1), or — `actor` None — the applicant's own draft on
    the portal (no creator, no owner: the officer who verifies it becomes its owner). The
    applicant keeps one portal draft at a time. Logs `assistance.request.created`."""
    data: dict = {}
    if actor is None:
        # The beneficiary's row serialises two tabs (or a double tap) opening a draft at once.
        Beneficiary.objects.select_for_update().filter(pk=beneficiary.pk).first()
        if SupportRequest.objects.filter(
            beneficiary=beneficiary, status=Status.DRAFT, created_by__isnull=True
        ).exists():
            raise ValidationError(
                _("You already have a request that is not sent yet: continue it instead.")
            )
        data = dict(PORTAL)
    else:
        _require(permissions.can_edit_registry(actor))
        if actor.branch_id and beneficiary.branch_id != actor.branch_id:
            raise PermissionDenied
    request = SupportRequest(
        beneficiary=beneficiary,
        branch_id=beneficiary.branch_id,
        channel=channel,
        need=need,
        requested_amount=requested_amount,
        declares_no_income=declares_no_income,
        created_by=actor,
        owner=actor,
    )
    request.full_clean()
    request.save()
    request.aid_types.set(aid_types)
    checklist_refresh(request)
    _log(actor, "assistance.request.created", request, data)
    return request


@transaction.atomic
def request_update_draft(
    *,
    actor,
    request: SupportRequest,
    aid_types: Iterable[AidType],
    beneficiary: Beneficiary | None = None,
    **fields,
) -> SupportRequest:
    """Change a draft's aid types, need and amounts; the checklist follows. Logs
    `assistance.request.updated`."""
    data = _authorise(actor, request, beneficiary, own_draft=True)
    request = _lock(request)
    if request.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    for name, value in fields.items():
        setattr(request, name, value)
    request.full_clean()
    request.save()
    request.aid_types.set(aid_types)
    checklist_refresh(request)
    _log(actor, "assistance.request.updated", request, data)
    return request


def _requirements(request: SupportRequest, on: date) -> list[tuple[object, object, int | None]]:
    """(document type, member or None, max age) for everything this request must carry."""
    b = request.beneficiary
    aid_ids = set(request.aid_types.values_list("pk", flat=True))
    category_ids = set(b.categories.values_list("pk", flat=True))
    members = list(b.members.all())
    needed: dict[tuple[int, int | None], tuple] = {}
    rules = RequiredDocument.objects.select_related("doc_type").filter(doc_type__is_active=True)
    for rule in rules:
        if rule.aid_type_id and rule.aid_type_id not in aid_ids:
            continue
        if rule.category_id and rule.category_id not in category_ids:
            continue
        needed.setdefault((rule.doc_type_id, None), (rule.doc_type, None, rule.max_age_days))
        if rule.members_from_age is not None:
            for m in members:
                if age_on(m.birth_date, on) >= rule.members_from_age:
                    needed.setdefault(
                        (rule.doc_type_id, m.pk), (rule.doc_type, m, rule.max_age_days)
                    )
    return list(needed.values())


def checklist_refresh(request: SupportRequest) -> None:
    """Bring the checklist in line with the aid types, categories and household.

    New requirements get an item, linked to the newest matching document already in the
    file; items no longer required and never looked at are dropped.
    """
    on = timezone.localdate()
    wanted = _requirements(request, on)
    existing = {(i.doc_type_id, i.member_id): i for i in request.checklist.all()}
    keys = set()
    documents = list(
        Document.objects.filter(beneficiary_id=request.beneficiary_id).order_by("-created_at")
    )
    for doc_type, member, max_age in wanted:
        key = (doc_type.pk, member.pk if member else None)
        keys.add(key)
        match = next(
            (d for d in documents if d.doc_type_id == doc_type.pk and d.member_id == key[1]), None
        )
        item = existing.get(key)
        if item is None:
            ChecklistItem.objects.create(
                request=request,
                doc_type=doc_type,
                member=member,
                max_age_days=max_age,
                document=match,
            )
        elif item.document_id is None and match is not None:
            # A document uploaded after the draft was opened fills its item.
            item.document = match
            item.save(update_fields=["document"])
    for key, item in existing.items():
        if key not in keys and item.verification == Verification.PENDING:
            item.delete()


def _type_data(item: ChecklistItem) -> dict:
    return {"type": item.doc_type.name_ar, "type_en": item.doc_type.name_en}


def _require_documents_open(request: SupportRequest) -> None:
    if request.status not in (Status.DRAFT, Status.VERIFYING, Status.AWAITING_APPLICANT):
        raise ValidationError(_("Documents can no longer be changed at this stage."))


def _can_handle_documents(user) -> bool:
    return permissions.can_edit_registry(user) or permissions.can_upload_documents(user)


@transaction.atomic
def checklist_attach(
    *,
    actor,
    item: ChecklistItem,
    document: Document,
    beneficiary: Beneficiary | None = None,
) -> ChecklistItem:
    """Link a document of the file to a checklist item. Logs `assistance.checklist.attached`."""
    request = item.request
    data = _authorise(
        actor,
        request,
        beneficiary,
        _can_handle_documents,
        own_draft=request.status == Status.DRAFT,
    )
    if (
        document.beneficiary_id != request.beneficiary_id
        or document.doc_type_id != item.doc_type_id
    ):
        raise ValidationError(_("This document does not belong to this item."))
    _require_documents_open(request)
    item.document = document
    item.verification = Verification.PENDING
    item.rejection_reason = ""
    item.save()
    _log(actor, "assistance.checklist.attached", request, _type_data(item) | data, target=item)
    return item


@transaction.atomic
def checklist_upload(
    *,
    actor,
    item: ChecklistItem,
    upload,
    issued_on: date | None = None,
    expires_on: date | None = None,
    beneficiary: Beneficiary | None = None,
) -> ChecklistItem:
    """Store a new document in the file (checked on content and size) and attach it to the
    checklist item it was asked for, in one go: a missing, rejected or expired document
    replaced. Logs `beneficiaries.document.uploaded` and `assistance.checklist.attached`."""
    from beneficiaries.services import document_upload

    request = item.request
    _authorise(
        actor,
        request,
        beneficiary,
        _can_handle_documents,
        own_draft=request.status == Status.DRAFT,
    )
    _require_documents_open(request)
    document = document_upload(
        actor=actor,
        beneficiary=request.beneficiary,
        doc_type=item.doc_type,
        member=item.member,
        upload=upload,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    return checklist_attach(actor=actor, item=item, document=document, beneficiary=beneficiary)


@transaction.atomic
def checklist_check(
    *, actor, item: ChecklistItem, verified: bool, reason: str = ""
) -> ChecklistItem:
    """Verify or reject a document (P6.2). Logs `assistance.checklist.verified|rejected`."""
    request = item.request
    _require(_can_handle_documents(actor))
    _require_scope(actor, request)
    if item.document_id is None:
        raise ValidationError(_("There is no document to check yet."))
    if not verified and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for rejecting the document.")})
    item.verification = Verification.VERIFIED if verified else Verification.REJECTED
    item.rejection_reason = "" if verified else reason.strip()
    item.checked_by = actor
    item.checked_at = timezone.now()
    item.full_clean()
    item.save()
    action = "assistance.checklist.verified" if verified else "assistance.checklist.rejected"
    data = _type_data(item) | {"reason": item.rejection_reason}
    _log(actor, action, request, data, target=item)
    return item


# --- Attestation (P5.4, P6.4) -----------------------------------------------------------

_PNG_DATA_URL = "data:image/png;base64,"
MAX_SIGNATURE_BYTES = 512 * 1024


def decode_drawn_signature(data_url: str) -> bytes:
    if not data_url.startswith(_PNG_DATA_URL):
        raise ValidationError({"signature": _("Draw the signature in the box.")})
    try:
        content = base64.b64decode(data_url[len(_PNG_DATA_URL) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError({"signature": _("The signature could not be read.")}) from exc
    if not content.startswith(b"\x89PNG") or len(content) > MAX_SIGNATURE_BYTES:
        raise ValidationError({"signature": _("The signature could not be read.")})
    return content


# The purpose a portal one-time code carries when it confirms a signature (portal.models.Purpose
# .SIGN: the portal depends on this app, not the other way round).
OTP_PURPOSE_SIGN = "sign"


@transaction.atomic
def attestation_sign(
    *,
    actor,
    request: SupportRequest,
    method: str,
    rights_acknowledged: bool,
    drawn_png: bytes | None = None,
    scan=None,
    otp=None,
    ip_address: str | None = None,
    beneficiary: Beneficiary | None = None,
) -> Attestation:
    """Store the applicant's signed declaration immutably, with the text version and time.

    Staff record a signature drawn on screen or a signed paper form scanned. The applicant
    signs on the portal (`actor` None) with a one-time code (`otp`, a verified
    `portal.models.OneTimeCode` sent for this request): the stored signature is then an
    evidence record (declaration version, the code's id, the masked mobile it went to, when it
    was sent and confirmed, the addresses) whose SHA-256 is kept like a drawn signature's.
    Logs `assistance.attestation.signed`.
    """
    data = _authorise(actor, request, beneficiary, own_draft=True)
    if (actor is None) != (method == AttestationMethod.OTP):
        # The code goes to the applicant's mobile: only they confirm with it, on the portal.
        raise ValidationError(_("Unknown signing method."))
    request = _lock(request)
    if request.status != Status.DRAFT:
        raise ValidationError(_("The declaration is signed before submission."))
    if hasattr(request, "attestation"):
        raise ValidationError(_("The declaration has already been signed."))
    if not rights_acknowledged:
        raise ValidationError(
            {"rights_acknowledged": _("The applicant must acknowledge the rights and duties.")}
        )
    declaration = Declaration.current()
    if declaration is None:
        raise ValidationError(_("No declaration text has been published."))
    if method == AttestationMethod.DRAWN:
        if not drawn_png:
            raise ValidationError({"signature": _("Draw the signature in the box.")})
        content, content_type, ext = drawn_png, "image/png", "png"
    elif method == AttestationMethod.PAPER:
        if scan is None:
            raise ValidationError({"scan": _("Upload the signed form.")})
        try:
            info = inspect_upload(scan)
        except ValidationError as exc:
            raise ValidationError({"scan": exc.messages}) from exc
        scan.seek(0)
        content, content_type, ext = scan.read(), info.content_type, info.extension
    elif method == AttestationMethod.OTP:
        content = _otp_evidence(request, declaration, otp, ip_address)
        content_type, ext = "application/json", "json"
    else:
        raise ValidationError(_("Unknown signing method."))
    attestation = Attestation(
        request=request,
        method=method,
        declaration=declaration,
        declaration_text=declaration.text_ar,
        rights_text=declaration.rights_ar,
        rights_acknowledged=True,
        signature_type=content_type,
        signature_sha256=Attestation.digest(content),
        recorded_by=actor,
    )
    attestation.signature.save(f"{request.public_id.hex}.{ext}", ContentFile(content), save=False)
    attestation.save()
    _log(
        actor,
        "assistance.attestation.signed",
        request,
        both_languages("method", AttestationMethod(method).label)
        | {"version": declaration.version}
        | data,
        target=attestation,
    )
    return attestation


def _otp_evidence(request: SupportRequest, declaration: Declaration, otp, ip_address) -> bytes:
    """The record of a signature confirmed by a one-time code, refusing a code that was not
    confirmed, is for another purpose, person or request, was confirmed too long ago, or has
    already signed."""
    from notify.backends import mask_recipient

    refused = ValidationError(
        {"code": _("This code cannot sign this request. Ask for a new code.")}
    )
    if (
        otp is None
        or otp.verified_at is None
        or otp.purpose != OTP_PURPOSE_SIGN
        or otp.beneficiary_id != request.beneficiary_id
        or otp.subject_id != str(request.public_id)
    ):
        raise refused
    # Confirmed within the code's own lifetime: an old confirmation does not sign a later text.
    ttl = timedelta(seconds=settings.MUSTAFID["PORTAL"]["OTP_TTL_SECONDS"])
    if otp.verified_at < timezone.now() - ttl:
        raise ValidationError({"code": _("The code has expired. Ask for a new code.")})
    # A code is sent for one request (subject_id above) and a request is signed once, so a code
    # that has signed is a code whose request already carries a signature.
    if Attestation.objects.filter(request__public_id=otp.subject_id).exists():
        raise refused
    code_id = str(otp.public_id)
    record = {
        "kind": "one-time-code signature",
        "request": str(request.public_id),
        "declaration_version": declaration.version,
        "one_time_code": code_id,
        "mobile": mask_recipient(request.beneficiary.mobile),
        "code_sent_at": otp.created_at.isoformat(),
        "code_confirmed_at": otp.verified_at.isoformat(),
        "code_requested_from": otp.ip_address or "",
        "signed_from": ip_address or "",
    }
    return json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True).encode()


# --- Submission (P6.5) -------------------------------------------------------------------


def _next_reference(on: date) -> str:
    year, number = next_in_hijri_year(RequestSequence, on)
    return f"REQ-{year}-{number:06d}"


def problems_for(request: SupportRequest, on: date) -> list[checks.Problem]:
    b = request.beneficiary
    notice = PrivacyNotice.objects.order_by("-effective_from").first()
    return checks.submission_problems(
        request,
        on=on,
        members=list(b.members.all()),
        incomes=list(b.incomes.all()),
        checklist=list(
            request.checklist.select_related("doc_type", "member", "document__doc_type")
        ),
        aid_types=list(request.aid_types.all()),
        has_consent=bool(notice and b.consents.filter(notice=notice).exists()),
        has_attestation=Attestation.objects.filter(request=request).exists(),
    )


@transaction.atomic
def request_submit(
    *, actor, request: SupportRequest, beneficiary: Beneficiary | None = None
) -> SupportRequest:
    """Validate at submission, fix the reference and the expected decision date, and tell the
    applicant both by SMS (P6.5). Logs `assistance.request.submitted`; the SMS is queued in
    this transaction and sent by the worker after commit."""
    data = _authorise(actor, request, beneficiary, own_draft=True)
    request = _lock(request)
    if request.status != Status.DRAFT:
        raise ValidationError(_("This request has already been submitted."))
    today = timezone.localdate()
    checklist_refresh(request)
    problems = problems_for(request, today)
    if problems:
        raise ValidationError([p.message for p in problems])
    policy = AssistancePolicy.current()
    _move(request, Status.SUBMITTED)
    request.reference = _next_reference(today)
    request.submitted_at = timezone.now()
    request.expected_decision_date = add_days(
        today, policy.decision_period_days, working_days=policy.decision_in_working_days
    )
    request.save()
    _log(
        actor,
        "assistance.request.submitted",
        request,
        {"decision_date": format_dual(request.expected_decision_date)} | data,
    )
    _sms(
        request,
        "request.submitted",
        f"request.submitted:{request.public_id}",
        decision_date=format_dual(request.expected_decision_date),
    )
    return request


@transaction.atomic
def request_sign_and_submit(
    *,
    actor,
    request: SupportRequest,
    beneficiary: Beneficiary,
    otp,
    ip_address: str | None,
    rights_acknowledged: bool,
) -> SupportRequest:
    """The applicant's last step on the portal (`actor` None): sign the declaration with the
    one-time code just confirmed, and submit. Both or neither: a request that cannot be
    submitted keeps no signature, so the applicant fixes it and signs again with a new code.
    Logs and notifies as `attestation_sign` and `request_submit`."""
    attestation_sign(
        actor=actor,
        request=request,
        beneficiary=beneficiary,
        method=AttestationMethod.OTP,
        otp=otp,
        ip_address=ip_address,
        rights_acknowledged=rights_acknowledged,
    )
    return request_submit(actor=actor, request=request, beneficiary=beneficiary)


@transaction.atomic
def request_withdraw(
    *, actor, request: SupportRequest, beneficiary: Beneficiary | None = None
) -> SupportRequest:
    """The applicant withdraws: on the portal themself (`actor` None), or recorded by staff.
    Logs `assistance.request.withdrawn`."""
    data = _authorise(actor, request, beneficiary)
    request = _lock(request)
    _move(request, Status.WITHDRAWN)
    request.save()
    _log(actor, "assistance.request.withdrawn", request, data)
    return request


@transaction.atomic
def request_cancel(*, actor, request: SupportRequest, reason: str) -> SupportRequest:
    """Staff cancel an open request with a reason. Logs `assistance.request.cancelled`."""
    _require(permissions.can_edit_registry(actor))
    _require_scope(actor, request)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    request = _lock(request)
    _move(request, Status.CANCELLED)
    request.save()
    _log(actor, "assistance.request.cancelled", request, {"reason": reason.strip()})
    return request


# --- Verification and waiting for the applicant (P6.2) ------------------------------------


@transaction.atomic
def verification_start(*, actor, request: SupportRequest) -> SupportRequest:
    """An officer takes the submitted request to verify it and becomes its owner."""
    _require(permissions.can_edit_registry(actor))
    _require_scope(actor, request)
    request = _lock(request)
    _move(request, Status.VERIFYING)
    request.owner = actor
    request.save()
    _log(actor, "assistance.request.verifying", request)
    return request


@transaction.atomic
def info_request_create(
    *, actor, request: SupportRequest, what: str, due_date: date | None = None
) -> InfoRequest:
    """Ask the applicant for information; the request waits. The applicant is told by SMS.

    Logs `assistance.info.requested`.
    """
    _require(permissions.can_edit_registry(actor))
    _require_scope(actor, request)
    if not what.strip():
        raise ValidationError({"what": _("Say what the applicant must provide.")})
    request = _lock(request)
    _move(request, Status.AWAITING_APPLICANT)
    today = timezone.localdate()
    due = due_date or add_days(today, AssistancePolicy.current().info_due_days, working_days=True)
    if due < today:
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    request.save()
    info = InfoRequest(request=request, what=what.strip(), due_date=due, asked_by=actor)
    info.full_clean()
    info.save()
    _log(actor, "assistance.info.requested", request, {"due_date": format_dual(due)}, target=info)
    _sms(
        request,
        "request.info_requested",
        f"request.info_requested:{info.pk}",
        missing=info.what,
        due_date=format_dual(due),
    )
    return info


@transaction.atomic
def info_request_answer(
    *,
    actor,
    info: InfoRequest,
    answer: str,
    beneficiary: Beneficiary | None = None,
    document: Document | None = None,
) -> InfoRequest:
    """Record the applicant's answer: the request goes back to verification. Staff record what
    the applicant provided; the applicant answers on the portal (`actor` None) with text, a
    document already stored in their file (`document`), or both — a document of a type the
    checklist asks for is attached to its item. Logs `assistance.info.answered`."""
    request = info.request
    data = _authorise(actor, request, beneficiary)
    request = _lock(request)
    info = InfoRequest.objects.select_for_update().get(pk=info.pk)
    if info.answered_at:
        raise ValidationError(_("This request for information has already been answered."))
    if document is not None and document.beneficiary_id != request.beneficiary_id:
        raise PermissionDenied
    if not answer.strip() and document is None:
        if actor is None:
            raise ValidationError({"answer": _("Write your answer or attach a document.")})
        raise ValidationError({"answer": _("Write what the applicant provided.")})
    if document is not None:
        item = request.checklist.filter(
            doc_type_id=document.doc_type_id, member_id=document.member_id
        ).first()
        if item is not None:
            checklist_attach(actor=actor, item=item, document=document, beneficiary=beneficiary)
        data |= {"type": document.doc_type.name_ar, "type_en": document.doc_type.name_en}
    _move(request, Status.VERIFYING)
    request.save()
    info.answer = answer.strip()
    info.answered_at = timezone.now()
    info.answered_by = actor
    info.save()
    _log(actor, "assistance.info.answered", request, data, target=info)
    return info


def info_request_reminders(*, today: date | None = None) -> int:
    """Remind applicants whose information is due today or overdue, once. Run daily.

    One transaction marks the due questions reminded and queues their SMS together, so a
    crash loses no reminder and sends none. The rows are locked first and those another run
    holds are skipped, so two runs at once remind each question once. A fixed number of
    queries however many are due. Returns the number of questions reminded."""
    from notify.services import Notice, message_enqueue_many

    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(
            InfoRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("request__beneficiary")
            .filter(
                answered_at__isnull=True,
                reminded_at__isnull=True,
                due_date__lte=today,
                request__status=Status.AWAITING_APPLICANT,
            )
            .order_by("pk")
        )
        if not due:
            return 0
        InfoRequest.objects.filter(pk__in=[info.pk for info in due]).update(
            reminded_at=timezone.now()
        )
        # Many questions share a due date: each date is converted to Hijri once.
        dates = {d: format_dual(d) for d in {info.due_date for info in due}}
        message_enqueue_many(
            channel="sms",
            template_code="request.info_reminder",
            notices=[
                Notice(
                    recipient=info.request.beneficiary.mobile,
                    context={
                        "reference": info.request.reference,
                        "missing": info.what,
                        "due_date": dates[info.due_date],
                    },
                    idempotency_key=f"request.info_reminder:{info.pk}",
                    about=info.request.beneficiary,
                )
                for info in due
            ],
        )
    return len(due)


# --- Social research (P6.3) ---------------------------------------------------------------


def researcher_for(request: SupportRequest):
    """The researcher to refer to: in the request's branch (or serving every branch), a woman
    for a woman applicant where the policy asks for it, and the one with the fewest open
    referrals."""
    from django.db.models import Count, Q

    from accounts.models import Role, User

    candidates = User.objects.filter(role=Role.SOCIAL_RESEARCHER, is_active=True).filter(
        Q(branch__isnull=True) | Q(branch_id=request.branch_id)
    )
    policy = AssistancePolicy.current()
    if policy.female_researcher_for_women and request.beneficiary.gender == "female":
        candidates = candidates.filter(gender="female")
    chosen = (
        candidates.annotate(
            open_count=Count("researches", filter=Q(researches__completed_at__isnull=True))
        )
        .order_by("open_count", "pk")
        .first()
    )
    if chosen is None:
        raise ValidationError(
            _("No researcher is available for this request (branch or a female researcher).")
        )
    return chosen


@transaction.atomic
def research_refer(
    *, actor, request: SupportRequest, reason: str, note: str = "", researcher=None
) -> Research:
    """Refer the request to a social researcher (P6.3). Logs `assistance.research.referred`."""
    _require(permissions.can_edit_registry(actor))
    _require_scope(actor, request)
    request = _lock(request)
    _move(request, Status.IN_RESEARCH)
    researcher = researcher or researcher_for(request)
    if researcher.role != "researcher" or (
        researcher.branch_id and researcher.branch_id != request.branch_id
    ):
        raise ValidationError({"researcher": _("This person cannot research this request.")})
    policy = AssistancePolicy.current()
    research = Research(
        request=request,
        researcher=researcher,
        reason=reason,
        note=note,
        referred_by=actor,
        due_date=add_days(timezone.localdate(), policy.research_days, working_days=True),
    )
    research.full_clean()
    research.save()
    request.save()
    _log(
        actor,
        "assistance.research.referred",
        request,
        {"researcher": researcher.display_name},
        target=research,
    )
    return research


def _require_researcher(actor, research: Research) -> None:
    if not (actor.pk == research.researcher_id or permissions.can_manage_configuration(actor)):
        raise PermissionDenied


@transaction.atomic
def visit_book(*, actor, research: Research, when) -> HomeVisit:
    """Book a home visit and tell the applicant by SMS. Logs `assistance.visit.booked`."""
    _require_researcher(actor, research)
    request = _lock(research.request)
    if request.status != Status.IN_RESEARCH or research.completed_at:
        raise ValidationError(_("Visits are booked while the research is open."))
    if when <= timezone.now():
        raise ValidationError({"scheduled_for": _("Choose a time in the future.")})
    visit = HomeVisit(research=research, scheduled_for=when, booked_by=actor)
    visit.full_clean()
    visit.save()
    local = timezone.localtime(when)
    _log(
        actor,
        "assistance.visit.booked",
        request,
        {"when": f"{format_dual(local.date())} {local:%H:%M}"},
        target=visit,
    )
    _sms(
        request,
        "request.visit_booked",
        f"request.visit_booked:{visit.pk}",
        visit_date=format_dual(local.date()),
        visit_time=f"{local:%H:%M}",
        contact_phone=request.branch.phone or "",
    )
    return visit


REPORT_FIELDS = (
    "housing",
    "household",
    "finances",
    "health",
    "assessment",
    "recommended_aid_type",
    "recommended_amount",
    "recommended_months",
)


@transaction.atomic
def research_complete(*, actor, research: Research, **report) -> Research:
    """Write the research report with a recommendation; the request is ready for the
    committee. Logs `assistance.research.completed`."""
    _require_researcher(actor, research)
    request = _lock(research.request)
    research = Research.objects.select_for_update().get(pk=research.pk)
    if research.completed_at:
        raise ValidationError(_("This research has already been completed."))
    for name in REPORT_FIELDS:
        if name in report:
            setattr(research, name, report[name])
    if not research.assessment.strip():
        raise ValidationError({"assessment": _("Write the assessment.")})
    if research.recommended_aid_type is None:
        raise ValidationError({"recommended_aid_type": _("Recommend an aid type.")})
    research.completed_at = timezone.now()
    research.full_clean()
    _move(request, Status.RESEARCHED)
    research.save()
    request.save()
    _log(actor, "assistance.research.completed", request, target=research)
    return research


def _sms(request: SupportRequest, template: str, key: str, **context) -> None:
    from notify.services import message_enqueue

    message_enqueue(
        channel="sms",
        recipient=request.beneficiary.mobile,
        template_code=template,
        context={"reference": request.reference, **context},
        idempotency_key=key,
        about=request.beneficiary,
    )


@transaction.atomic
def research_photo_add(
    *, actor, research: Research, upload, consent_given: bool, caption: str = ""
) -> ResearchPhoto:
    """Attach a home-visit photo. Only with the applicant's consent, only real images
    (checked on content). Logs `assistance.research.photo_added`."""
    _require_researcher(actor, research)
    if research.completed_at:
        raise ValidationError(_("The research is complete: photos can no longer be added."))
    if not consent_given:
        raise ValidationError(
            {"consent_given": _("A photo is kept only with the applicant's consent.")}
        )
    try:
        info = inspect_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    if not info.content_type.startswith("image/"):
        raise ValidationError({"image": _("Upload a photo (JPEG, PNG or WebP).")})
    photo = ResearchPhoto(
        research=research,
        content_type=info.content_type,
        caption=caption.strip(),
        consent_given=True,
        uploaded_by=actor,
    )
    photo.image.save(f"{photo.public_id.hex}.{info.extension}", upload, save=False)
    photo.save()
    _log(actor, "assistance.research.photo_added", research.request, target=photo)
    return photo
