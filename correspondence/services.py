"""Every write to the correspondence register. One service per transition: lock the row,
check the move and the actor's permission, save, write the activity log (on the beneficiary's
timeline when the letter is linked to one), notify after commit. No other code assigns
`Letter.status`.

Outgoing: draft → issued → sent. Incoming: registered → referred → answered | filed
(registered may also be answered or filed directly).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Branch
from assistance.selectors import requests_for
from beneficiaries.selectors import beneficiaries_for
from contact.selectors import tickets_for
from core.activity import both_languages, log_action
from core.files import inspect_upload
from core.sequences import next_in_hijri_year
from core.text import normalize_arabic

from . import drafting, permissions, selectors
from .models import (
    INCOMING_OPEN,
    PREFIXES,
    Direction,
    DispatchMethod,
    Letter,
    LetterAttachment,
    LetterSequence,
    LetterStatus,
    LetterTemplate,
)

REFERRAL_TEMPLATE = "letter.referred"
MAX_ATTACHMENTS_PER_UPLOAD = 10


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_scope(actor, letter: Letter) -> None:
    """The actor must be able to read the letter (branch, confidential complaints)."""
    if not selectors.letters_for(actor).filter(pk=letter.pk).exists():
        raise PermissionDenied


def _lock(letter: Letter) -> Letter:
    """Re-read the letter under a row lock: two desks acting at once serialise here."""
    # Only the letter's row: the links are nullable (outer joins PostgreSQL cannot lock).
    return (
        Letter.objects.select_for_update(of=("self",))
        .select_related("branch", "beneficiary", "support_request", "ticket", "in_reply_to")
        .get(pk=letter.pk)
    )


def _log(actor, action: str, letter: Letter, data: dict | None = None) -> None:
    """Logged against the letter (its history is one indexed query) and, when it is linked
    to a beneficiary, about the beneficiary, so it shows on their timeline."""
    log_action(
        actor=actor,
        action=action,
        target=letter,
        subject=letter.beneficiary if letter.beneficiary_id else letter,
        data={
            "letter": str(letter.public_id),
            "reference": letter.reference or "",
            "subject": letter.subject,
            # How a sentence names the letter: its number, or its subject while a draft.
            "label": letter.reference or f"«{letter.subject}»",
            **(data or {}),
        },
    )


def _search_text(letter: Letter) -> str:
    return normalize_arabic(
        " ".join(
            (
                letter.reference or "",
                letter.sender_reference,
                letter.subject,
                letter.party_name,
                letter.party_organisation,
            )
        )
    )


def next_reference(direction: str, on: date) -> str:
    """The next number of `direction` in the Hijri year of `on`: IN-1448-000001.

    Call inside the caller's transaction. The sequence row is locked until it commits, so two
    desks registering at once queue here and numbers never repeat or skip.
    """
    year, number = next_in_hijri_year(LetterSequence, on, direction=direction)
    return f"{PREFIXES[Direction(direction)]}-{year}-{number:06d}"


# --- Links ----------------------------------------------------------------------------------


def _resolve_links(
    actor,
    *,
    beneficiary=None,
    support_request=None,
    ticket=None,
    branch: Branch | None = None,
) -> dict:
    """Check the links are in the actor's scope and agree with each other; fill the
    beneficiary from the request or ticket, and decide the letter's branch.

    The branch is the beneficiary's when one is linked (the letter belongs to their file),
    else the ticket's, else the actor's own, else the one chosen (an unscoped user), else
    the head office.
    """
    errors: dict[str, list] = {}
    if support_request is not None:
        if not requests_for(actor).filter(pk=support_request.pk).exists():
            raise PermissionDenied
        if beneficiary is None:
            beneficiary = support_request.beneficiary
        elif support_request.beneficiary_id != beneficiary.pk:
            errors["support_request"] = [_("This request belongs to another beneficiary.")]
    if ticket is not None:
        if not tickets_for(actor).filter(pk=ticket.pk).exists():
            raise PermissionDenied
        if beneficiary is None and ticket.beneficiary_id:
            beneficiary = ticket.beneficiary
        elif ticket.beneficiary_id and beneficiary and ticket.beneficiary_id != beneficiary.pk:
            errors["ticket"] = [_("This ticket is about another beneficiary.")]
    if errors:
        raise ValidationError(errors)
    if beneficiary is not None:
        if not beneficiaries_for(actor).filter(pk=beneficiary.pk).exists():
            raise PermissionDenied
        branch = beneficiary.branch
    elif ticket is not None:
        branch = ticket.branch
    elif actor.branch_id:
        branch = actor.branch
    elif branch is None:
        branch = Branch.objects.get(code="head-office")
    return {
        "beneficiary": beneficiary,
        "support_request": support_request,
        "ticket": ticket,
        "branch": branch,
    }


def _check_party(party_name: str, party_organisation: str) -> None:
    if not party_name.strip() and not party_organisation.strip():
        raise ValidationError(
            {"party_name": _("Give the other party's name or organisation (or both).")}
        )


def _inspect_all(uploads: Iterable) -> list[tuple[object, object]]:
    """Check every file before anything is written, so a bad file saves nothing."""
    uploads = [u for u in uploads if u]
    if len(uploads) > MAX_ATTACHMENTS_PER_UPLOAD:
        raise ValidationError(
            {
                "attachments": _("At most %(count)d files at a time.")
                % {"count": MAX_ATTACHMENTS_PER_UPLOAD}
            }
        )
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, inspect_upload(upload)))
        except ValidationError as exc:
            messages = [f"{upload.name}: {message}" for message in exc.messages]
            raise ValidationError({"attachments": messages}) from exc
    return checked


def _store_attachments(actor, letter: Letter, checked, description: str = "") -> list:
    stored = []
    try:
        for upload, info in checked:
            attachment = LetterAttachment(
                letter=letter,
                original_name=upload.name[-200:],
                content_type=info.content_type,
                extension=info.extension,
                size=info.size,
                sha256=info.sha256,
                description=description.strip()[:200],
                uploaded_by=actor,
            )
            attachment.file.save(f"{attachment.public_id.hex}.{info.extension}", upload, save=False)
            stored.append(attachment)
            attachment.save()
    except Exception:
        # The rows roll back with the transaction; the files on disk must go too.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


# --- Incoming -------------------------------------------------------------------------------


@transaction.atomic
def letter_register_incoming(
    *,
    actor,
    letter_date: date,
    subject: str,
    party_name: str = "",
    party_organisation: str = "",
    party_address: str = "",
    sender_reference: str = "",
    body: str = "",
    beneficiary=None,
    support_request=None,
    ticket=None,
    branch: Branch | None = None,
    attachments: Iterable = (),
) -> Letter:
    """Register an incoming letter and give it its number (IN-<Hijri year>-<n>).

    The scanned letter and its enclosures may be attached at once; every file is checked
    before anything is saved. Logs `correspondence.letter.registered` (and
    `correspondence.attachment.added` per file). Nobody is notified.
    """
    _require(permissions.can_write_letters(actor))
    _check_party(party_name, party_organisation)
    if letter_date > timezone.localdate():
        raise ValidationError({"letter_date": _("The letter's date cannot be in the future.")})
    links = _resolve_links(
        actor,
        beneficiary=beneficiary,
        support_request=support_request,
        ticket=ticket,
        branch=branch,
    )
    checked = _inspect_all(attachments)
    now = timezone.now()
    # Numbered before validation (a registered letter must carry its number); a refusal
    # below rolls the sequence back with everything else.
    letter = Letter(
        direction=Direction.INCOMING,
        status=LetterStatus.REGISTERED,
        letter_date=letter_date,
        registered_at=now,
        party_name=party_name.strip(),
        party_organisation=party_organisation.strip(),
        party_address=party_address.strip(),
        sender_reference=sender_reference.strip(),
        subject=subject.strip(),
        body=body.strip(),
        created_by=actor,
        **links,
    )
    letter.reference = next_reference(Direction.INCOMING, timezone.localdate(now))
    letter.full_clean()
    letter.search_text = _search_text(letter)
    letter.save()
    _log(actor, "correspondence.letter.registered", letter)
    for attachment in _store_attachments(actor, letter, checked):
        _log(actor, "correspondence.attachment.added", letter, {"file": attachment.original_name})
    return letter


def _lock_incoming(actor, letter: Letter) -> Letter:
    _require(permissions.can_write_letters(actor))
    _require_scope(actor, letter)
    letter = _lock(letter)
    if letter.direction != Direction.INCOMING:
        raise ValidationError(_("Only an incoming letter can be referred or filed."))
    if letter.status not in INCOMING_OPEN:
        raise ValidationError(
            _("This letter is “%(status)s”: it is closed.")
            % {"status": letter.get_status_display()}
        )
    return letter


@transaction.atomic
def letter_refer(*, actor, letter: Letter, to, note: str = "") -> Letter:
    """Refer an incoming letter to a staff member (again, to change hands).

    The staff member is told by e-mail (template `letter.referred`: the reference and a link,
    never the subject or a name). Logs `correspondence.letter.referred`.
    """
    letter = _lock_incoming(actor, letter)
    if not selectors.referral_candidates(letter).filter(pk=to.pk).exists():
        raise ValidationError({"to": _("This person cannot handle this letter.")})
    letter.status = LetterStatus.REFERRED
    letter.referred_to = to
    letter.referral_note = note.strip()
    letter.referred_at = timezone.now()
    letter.full_clean()
    letter.save()
    _log(actor, "correspondence.letter.referred", letter, {"referee": to.display_name})
    from notify.services import message_enqueue

    message_enqueue(
        channel="email",
        recipient=to.email,
        template_code=REFERRAL_TEMPLATE,
        context={"reference": letter.reference, "url": letter_url(letter)},
        idempotency_key=f"{REFERRAL_TEMPLATE}:{letter.pk}:{to.pk}:{letter.referred_at.isoformat()}",
    )
    return letter


@transaction.atomic
def letter_file(*, actor, letter: Letter, note: str = "") -> Letter:
    """File an incoming letter that needs no answer (for information, handled by phone…).

    Logs `correspondence.letter.filed`.
    """
    letter = _lock_incoming(actor, letter)
    letter.status = LetterStatus.FILED
    letter.filing_note = note.strip()
    letter.full_clean()
    letter.save()
    _log(actor, "correspondence.letter.filed", letter, {"note": letter.filing_note})
    return letter


def letter_url(letter: Letter) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("correspondence:detail", args=[letter.public_id])


# --- Outgoing -------------------------------------------------------------------------------


def _fill(
    template: LetterTemplate,
    links: dict,
    *,
    party_name: str,
    party_organisation: str,
    in_reply_to: Letter | None,
) -> tuple[str, str]:
    if not template.is_active:
        raise ValidationError({"template": _("This template is no longer in use.")})
    drafting.check_template(template)
    values = drafting.placeholder_values(
        party_name=party_name.strip(),
        party_organisation=party_organisation.strip(),
        in_reply_to=in_reply_to,
        today=timezone.localdate(),
        **links,
    )
    return drafting.render_template(template, values)


def preview_from_template(
    *,
    actor,
    template: LetterTemplate,
    party_name: str = "",
    party_organisation: str = "",
    beneficiary=None,
    support_request=None,
    ticket=None,
    in_reply_to: Letter | None = None,
    branch: Branch | None = None,
) -> tuple[str, str]:
    """The subject and body a template gives for these links, without saving anything."""
    _require(permissions.can_write_letters(actor))
    _check_reply_target(actor, in_reply_to)
    links = _resolve_links(
        actor,
        beneficiary=beneficiary,
        support_request=support_request,
        ticket=ticket,
        branch=branch,
    )
    return _fill(
        template,
        links,
        party_name=party_name,
        party_organisation=party_organisation,
        in_reply_to=in_reply_to,
    )


def _check_reply_target(actor, in_reply_to: Letter | None) -> None:
    if in_reply_to is None:
        return
    _require_scope(actor, in_reply_to)
    if in_reply_to.direction != Direction.INCOMING:
        raise ValidationError(_("Only an incoming letter can be answered."))


@transaction.atomic
def letter_draft_create(
    *,
    actor,
    template: LetterTemplate,
    party_name: str = "",
    party_organisation: str = "",
    party_address: str = "",
    beneficiary=None,
    support_request=None,
    ticket=None,
    in_reply_to: Letter | None = None,
    branch: Branch | None = None,
    signatory_name: str = "",
    signatory_title: str = "",
) -> Letter:
    """Draft an outgoing letter from a template (placeholders filled now; the text stays
    editable until the letter is issued). Logs `correspondence.letter.drafted`."""
    _require(permissions.can_write_letters(actor))
    _check_party(party_name, party_organisation)
    _check_reply_target(actor, in_reply_to)
    links = _resolve_links(
        actor,
        beneficiary=beneficiary,
        support_request=support_request,
        ticket=ticket,
        branch=branch,
    )
    subject, body = _fill(
        template,
        links,
        party_name=party_name,
        party_organisation=party_organisation,
        in_reply_to=in_reply_to,
    )
    letter = Letter(
        direction=Direction.OUTGOING,
        status=LetterStatus.DRAFT,
        party_name=party_name.strip(),
        party_organisation=party_organisation.strip(),
        party_address=party_address.strip(),
        subject=subject.strip(),
        body=body.strip(),
        template=template,
        in_reply_to=in_reply_to,
        signatory_name=signatory_name.strip(),
        signatory_title=signatory_title.strip(),
        created_by=actor,
        **links,
    )
    letter.full_clean()
    letter.search_text = _search_text(letter)
    letter.save()
    _log(actor, "correspondence.letter.drafted", letter)
    return letter


def _lock_draft(actor, letter: Letter) -> Letter:
    _require(permissions.can_write_letters(actor))
    _require_scope(actor, letter)
    letter = _lock(letter)
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError(_("An issued letter cannot be changed: write a new letter instead."))
    return letter


EDITABLE_FIELDS = (
    "subject",
    "body",
    "party_name",
    "party_organisation",
    "party_address",
    "signatory_name",
    "signatory_title",
)


# A link argument left at KEEP is not changed (None removes the link).
KEEP = object()


@transaction.atomic
def letter_draft_update(
    *,
    actor,
    letter: Letter,
    beneficiary=KEEP,
    support_request=KEEP,
    ticket=KEEP,
    branch=KEEP,
    **fields,
) -> Letter:
    """Change a draft's text, recipient, signatory or links (only those given). Logs
    `correspondence.letter.updated`."""
    letter = _lock_draft(actor, letter)
    requested = {
        "beneficiary": beneficiary,
        "support_request": support_request,
        "ticket": ticket,
        "branch": branch,
    }
    requested = {
        name: getattr(letter, name) if value is KEEP else value for name, value in requested.items()
    }
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(letter, name, (value or "").strip())
    _check_party(letter.party_name, letter.party_organisation)
    drafting.check_no_identity_number(subject=letter.subject, body=letter.body)
    for name, value in _resolve_links(actor, **requested).items():
        setattr(letter, name, value)
    letter.full_clean()
    letter.search_text = _search_text(letter)
    letter.save()
    _log(actor, "correspondence.letter.updated", letter)
    return letter


@transaction.atomic
def letter_draft_discard(*, actor, letter: Letter) -> None:
    """Delete a draft that will not be issued (it never had a number), with its files.

    Logs `correspondence.letter.discarded` about the beneficiary (or about nobody's file:
    the row is gone, so the entry stands alone)."""
    letter = _lock_draft(actor, letter)
    attachments = list(letter.attachments.all())
    log_action(
        actor=actor,
        action="correspondence.letter.discarded",
        target=letter,
        subject=letter.beneficiary if letter.beneficiary_id else letter,
        data={"letter": str(letter.public_id), "reference": "", "subject": letter.subject},
    )
    letter.delete()

    def delete_files() -> None:
        for attachment in attachments:
            attachment.file.delete(save=False)

    # The files go only once the rows are gone for good.
    transaction.on_commit(delete_files)


@transaction.atomic
def letter_issue(*, actor, letter: Letter) -> Letter:
    """Issue an outgoing letter: fix its number (OUT-<Hijri year>-<n>), its date (today) and
    its PDF, stored privately and never rendered again. From then on the letter cannot be
    edited (a database trigger refuses it too); a correction is a new letter.

    A reply to an incoming letter still open marks that letter answered. Logs
    `correspondence.letter.issued` (and `correspondence.letter.answered` on the incoming
    letter). Nobody is notified: the letter is sent by hand, post or e-mail and recorded with
    `letter_mark_sent`.
    """
    from .documents import letter_pdf

    _require(permissions.can_issue_letters(actor))
    letter = _lock_draft(actor, letter)
    if letter.direction != Direction.OUTGOING:
        raise ValidationError(_("Only an outgoing letter is issued."))
    if not letter.subject.strip():
        raise ValidationError({"subject": _("Write the subject.")})
    if not letter.body.strip():
        raise ValidationError({"body": _("Write the letter's text.")})
    _check_party(letter.party_name, letter.party_organisation)
    drafting.check_no_identity_number(subject=letter.subject, body=letter.body)
    # A link may have moved out of the actor's scope since the draft was written.
    _resolve_links(
        actor,
        beneficiary=letter.beneficiary,
        support_request=letter.support_request,
        ticket=letter.ticket,
        branch=letter.branch,
    )
    now = timezone.now()
    today = timezone.localdate(now)
    letter.status = LetterStatus.ISSUED
    # The sequence row stays locked while the PDF is laid out (about a second): issuing is
    # rare enough that queueing here is cheaper than renumbering a rendered document.
    letter.reference = next_reference(Direction.OUTGOING, today)
    letter.letter_date = today
    letter.registered_at = now
    letter.issued_by = actor
    content = letter_pdf(letter, enclosures=letter.attachments.count())
    letter.pdf_sha256 = hashlib.sha256(content).hexdigest()
    letter.pdf.save(f"{letter.public_id.hex}.pdf", ContentFile(content), save=False)
    try:
        letter.search_text = _search_text(letter)
        letter.full_clean()
        letter.save()
        _log(actor, "correspondence.letter.issued", letter)
        if letter.in_reply_to_id:
            _answer(actor, letter)
    except Exception:
        letter.pdf.delete(save=False)
        raise
    return letter


def _answer(actor, reply: Letter) -> None:
    incoming = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("beneficiary")
        .get(pk=reply.in_reply_to_id)
    )
    if incoming.status not in INCOMING_OPEN:
        return
    incoming.status = LetterStatus.ANSWERED
    incoming.answer = reply
    incoming.full_clean()
    incoming.save()
    _log(actor, "correspondence.letter.answered", incoming, {"answer": reply.reference})


@transaction.atomic
def letter_mark_sent(
    *, actor, letter: Letter, method: str, sent_on: date, note: str = ""
) -> Letter:
    """Record how and when an issued letter left (by hand, post or e-mail). Logs
    `correspondence.letter.sent`."""
    _require(permissions.can_write_letters(actor))
    _require_scope(actor, letter)
    letter = _lock(letter)
    if letter.direction != Direction.OUTGOING or letter.status != LetterStatus.ISSUED:
        raise ValidationError(_("Only an issued letter not yet sent can be marked as sent."))
    if method not in DispatchMethod.values:
        raise ValidationError({"method": _("Choose how the letter was sent.")})
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("The date cannot be in the future.")})
    if sent_on < letter.letter_date:
        raise ValidationError({"sent_on": _("A letter cannot be sent before it was issued.")})
    letter.status = LetterStatus.SENT
    letter.dispatch_method = method
    letter.sent_on = sent_on
    letter.dispatch_note = note.strip()[:200]
    letter.full_clean()
    letter.save()
    _log(
        actor,
        "correspondence.letter.sent",
        letter,
        both_languages("method", DispatchMethod(method).label),
    )
    return letter


# --- Attachments and access -----------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, actor, letter: Letter, uploads: Iterable, description: str = ""
) -> list[LetterAttachment]:
    """Attach files to a letter (the scan, an enclosure, a post receipt), each checked on its
    content; all or none are stored. Allowed at any stage: an attachment never changes an
    issued letter's text or PDF. Logs `correspondence.attachment.added` per file."""
    _require(permissions.can_write_letters(actor))
    _require_scope(actor, letter)
    checked = _inspect_all(uploads)
    if not checked:
        raise ValidationError({"attachments": _("Choose at least one file.")})
    letter = _lock(letter)
    stored = _store_attachments(actor, letter, checked, description)
    for attachment in stored:
        _log(actor, "correspondence.attachment.added", letter, {"file": attachment.original_name})
    return stored


def attachment_opened(*, actor, attachment: LetterAttachment) -> None:
    """Every view of an attachment is logged (PDPL access log)."""
    _log(
        actor,
        "correspondence.attachment.viewed",
        attachment.letter,
        {"file": attachment.original_name},
    )


def letter_pdf_opened(*, actor, letter: Letter) -> None:
    """Every download of an issued letter's PDF is logged."""
    _log(actor, "correspondence.letter.pdf_downloaded", letter)
