"""Reads of the correspondence register, always scoped to the acting user.

Scope is the registry's: a user tied to a branch sees that branch's letters only. On top of
that, a letter linked to a ticket about a staff member is seen only by those who may see such
complaints (correspondence.permissions). Anyone outside gets a 404, never a hint.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.permissions import REGISTRY_READERS
from assistance import selectors as assistance_selectors
from assistance.models import SupportRequest
from beneficiaries import selectors as registry
from beneficiaries.models import Beneficiary
from contact import selectors as contact_selectors
from contact.models import Ticket
from core.models import ActivityLog
from core.text import normalize_arabic, normalize_digits
from core.validators import normalize_identity_number

from . import permissions
from .models import Direction, Letter, LetterAttachment, LetterStatus

MAX_SEARCH_TOKENS = 6


def letters_for(user) -> QuerySet[Letter]:
    if not permissions.can_read_letters(user):
        return Letter.objects.none()
    qs = Letter.objects.all()
    if user.branch_id:
        qs = qs.filter(branch_id=user.branch_id)
    if not permissions.can_see_staff_complaints(user):
        qs = qs.exclude(ticket__about_staff=True)
    return qs


def letter_get(user, public_id) -> Letter:
    """The letter if the user may see it, else 404."""
    try:
        return (
            letters_for(user)
            .select_related(
                "branch",
                "beneficiary",
                "support_request",
                "ticket",
                "in_reply_to",
                "answer",
                "referred_to",
                "created_by",
                "issued_by",
                "template",
            )
            .get(public_id=public_id)
        )
    except (Letter.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def letter_register(
    user,
    *,
    direction: str = "",
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    query: str = "",
    mine: bool = False,
) -> QuerySet[Letter]:
    """The register with its filters, newest first. Dates filter the letter's own date."""
    qs = letters_for(user).select_related("branch", "beneficiary", "referred_to")
    if direction in Direction.values:
        qs = qs.filter(direction=direction)
    if status in LetterStatus.values:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(letter_date__gte=date_from)
    if date_to:
        qs = qs.filter(letter_date__lte=date_to)
    if mine:
        qs = qs.filter(referred_to=user, status=LetterStatus.REFERRED)
    for token in search_tokens(query):
        qs = qs.filter(search_text__contains=token)
    return qs.order_by("-created_at", "-id")


def search_tokens(query: str) -> list[str]:
    """The matching keys of a search: «out-1448-12» → ["out", "1448", "12"]."""
    return normalize_arabic(normalize_digits(query or "")[:100]).split()[:MAX_SEARCH_TOKENS]


def letter_detail(user, letter: Letter) -> dict:
    """Everything the letter page shows, in a fixed number of queries."""
    letter_type = ContentType.objects.get_for_model(Letter)
    return {
        "letter": letter,
        "attachments": list(letter.attachments.select_related("uploaded_by")),
        "replies": list(letters_for(user).filter(in_reply_to=letter).order_by("created_at", "id"))
        if letter.direction == Direction.INCOMING
        else [],
        # The ticket's page is the contact centre's: link it only for those it would show.
        "ticket_visible": bool(
            letter.ticket_id
            and contact_selectors.tickets_for(user).filter(pk=letter.ticket_id).exists()
        ),
        "history": list(
            ActivityLog.objects.filter(target_type=letter_type, target_id=str(letter.pk))
            .select_related("actor")
            .order_by("-created_at", "-id")[:100]
        ),
    }


def attachment_get(user, letter: Letter, attachment_id) -> LetterAttachment:
    if not permissions.can_open_attachments(user):
        raise Http404
    try:
        return letter.attachments.get(public_id=attachment_id)
    except (LetterAttachment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


# --- What a letter may be linked to (in the user's scope) ---------------------------------


def beneficiary_by_identity(user, identity: str) -> Beneficiary | None:
    number = normalize_identity_number(identity)
    if not number:
        return None
    return (
        registry.beneficiaries_for(user)
        .select_related("branch", "city")
        .filter(id_number=number)
        .order_by("pk")
        .first()
    )


def request_by_reference(user, reference: str) -> SupportRequest | None:
    reference = normalize_digits(reference or "").strip().upper()
    if not reference:
        return None
    return (
        assistance_selectors.requests_for(user)
        .select_related("beneficiary", "branch")
        .filter(reference=reference)
        .first()
    )


def ticket_by_reference(user, reference: str) -> Ticket | None:
    reference = normalize_digits(reference or "").strip().upper()
    if not reference:
        return None
    # The contact centre decides who sees which ticket (branch, complaints about staff, the
    # staff member concerned, a researcher's own requests): a letter links only those.
    return (
        contact_selectors.tickets_for(user)
        .select_related("beneficiary", "branch")
        .filter(reference=reference)
        .first()
    )


def referral_candidates(letter: Letter) -> QuerySet[User]:
    """Active staff who may read this letter: its branch's or serving every branch."""
    qs = User.objects.filter(is_active=True, role__in=REGISTRY_READERS).filter(
        Q(branch__isnull=True) | Q(branch_id=letter.branch_id)
    )
    if letter.ticket_id and letter.ticket.about_staff:
        qs = qs.filter(role__in=permissions.STAFF_COMPLAINT_READERS)
    return qs.order_by("full_name", "username")
