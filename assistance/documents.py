"""Printable PDFs (DESIGN.md §3 "Documents"): the request form the applicant signs (policy
P5.4, P6.4), the submission receipt (P6.5), the research committee's minutes and its decision
letter to the applicant (P6.5, DESIGN.md §4).

Both are Django templates under ``templates/assistance/pdf/`` rendered in Arabic whatever the
active language (they are Arabic documents by design), then laid out by WeasyPrint, which
shapes Arabic through Pango/HarfBuzz. The fonts are the project's vendored IBM Plex Sans Arabic
files, given to WeasyPrint as ``file://`` URLs, so the output does not depend on the fonts the
machine happens to have. WeasyPrint fetches nothing else: the URL fetcher below allows only
those font files and ``data:`` URIs (the embedded signature), so no text typed by a user can
make the renderer read a local file or call out to the network.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from beneficiaries.models import household_totals
from core.choices import Gender
from core.hijri import format_dual, format_gregorian, format_hijri
from core.pdf import (
    dual_datetime,
    letterhead_context,
    render_pdf,
)
from core.validators import mask_identity

from .models import (
    AgendaItem,
    AssistancePolicy,
    Attestation,
    AttestationMethod,
    Declaration,
    Meeting,
    MemberRole,
    Outcome,
    SupportRequest,
    Vote,
)

__all__ = [
    "decision_letter_pdf",
    "letterhead_context",
    "minutes_pdf",
    "receipt_pdf",
    "render_pdf",
    "request_form_pdf",
]

# Signature images the form embeds; a scanned paper form (PDF) is kept in the file instead.
_EMBEDDABLE_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def request_form_pdf(request: SupportRequest) -> bytes:
    """The support request form (نموذج طلب دعم), A4, with the applicant's full data.

    Signed on screen: the drawn signature and the signing time are printed. Not signed yet:
    an empty box and lines for a handwritten signature, to print, sign and scan back.
    """
    beneficiary = request.beneficiary
    members = list(beneficiary.members.all())
    incomes = list(beneficiary.incomes.select_related("member"))
    obligations = list(beneficiary.obligations.all())
    totals = household_totals(beneficiary, members, incomes, obligations)
    attestation = _attestation(request)
    declaration = None if attestation else Declaration.current()
    with translation.override("ar"):
        context = _common_context(request)
        context.update(
            {
                "birth_date": format_dual(beneficiary.birth_date),
                "address": _address(beneficiary),
                "members": [
                    {
                        "member": member,
                        "birth_date": format_dual(member.birth_date),
                    }
                    for member in members
                ],
                "incomes": [
                    {
                        "kind": income.get_kind_display(),
                        "whose": (
                            income.member.full_name if income.member_id else gettext("Applicant")
                        ),
                        "amount": money(income.monthly_amount),
                        "note": income.note,
                    }
                    for income in incomes
                ],
                "obligations": [
                    {
                        "kind": obligation.get_kind_display(),
                        "amount": money(obligation.monthly_amount),
                        "note": obligation.note,
                    }
                    for obligation in obligations
                ],
                "totals": {
                    key: money(value) if isinstance(value, Decimal) else value
                    for key, value in totals.items()
                },
                "requested_amount": money(request.requested_amount),
                "attestation": attestation,
                "declaration_text": (
                    attestation.declaration_text
                    if attestation
                    else (declaration.text_ar if declaration else "")
                ),
                "rights_text": (
                    attestation.rights_text
                    if attestation
                    else (declaration.rights_ar if declaration else "")
                ),
                "signature_uri": _signature_uri(attestation) if attestation else "",
                "signed_at": dual_datetime(attestation.signed_at) if attestation else "",
                "signature_evidence": signature_evidence(attestation) if attestation else [],
            }
        )
        return render_pdf("assistance/pdf/request_form.html", context)


def receipt_pdf(request: SupportRequest) -> bytes:
    """The submission receipt (إيصال استلام طلب), one A4 page, identity number masked."""
    with translation.override("ar"):
        context = _common_context(request)
        context["expected_decision_date"] = format_dual(request.expected_decision_date)
        # Isolated left-to-right (U+2066…U+2069): WeasyPrint ignores unicode-bidi in CSS.
        context["masked_id"] = f"\u2066{mask_identity(request.beneficiary.id_number)}\u2069"
        return render_pdf("assistance/pdf/receipt.html", context)


def minutes_pdf(meeting: Meeting) -> bytes:
    """The minutes of a research committee meeting (محضر اجتماع لجنة البحث), A4.

    Every agenda item in order with the proposal, each member's vote (votes are not secret in
    the minutes), recusals, and the outcome with its reasons. An open meeting's minutes carry
    a «مسودة» watermark; a closed meeting's give the closing time. Signature lines follow for
    the chair, the secretary and each member.
    """
    members = sorted(
        meeting.members.select_related("user"),
        key=lambda member: (_ROLE_ORDER.get(member.role, len(_ROLE_ORDER)), member.pk),
    )
    items = list(
        meeting.agenda.select_related("request__beneficiary", "aid_type").prefetch_related(
            "reasons", "votes__voter", "votes__reasons", "recusals__member"
        )
    )
    with translation.override("ar"):
        context = letterhead_context(reference=meeting.number, branch=None)
        context.update(
            {
                "meeting": meeting,
                "is_draft": meeting.is_open,
                "meeting_date": format_dual(meeting.date),
                "rule": meeting.get_rule_display(),
                "closed_at": dual_datetime(meeting.closed_at) if meeting.closed_at else "",
                "members": [
                    {"name": member.user.display_name, "role": member.get_role_display()}
                    for member in members
                ],
                "items": [_minutes_item(item, members) for item in items],
            }
        )
        return render_pdf("assistance/pdf/minutes.html", context)


def decision_letter_pdf(item: AgendaItem) -> bytes:
    """The committee's decision letter to the applicant for one decided agenda item, one A4
    page: approved (aid, amount, period, enrolment to follow: P6.6), rejected (reasons and the
    appeal window) or deferred (what is needed). The identity number is masked.

    Raises ``ValueError`` when the item is not decided yet.
    """
    if item.outcome == Outcome.PENDING or not item.decided_at:
        raise ValueError("The committee has not decided this request yet: no letter to send.")
    request = item.request
    beneficiary = request.beneficiary
    meeting = item.meeting
    decided_on = timezone.localtime(item.decided_at).date()
    letter_reference = f"{request.reference or request.pk}/{meeting.number}"
    with translation.override("ar"):
        context = letterhead_context(reference=letter_reference, branch=request.branch)
        context.update(
            {
                "item": item,
                "req": request,
                "meeting": meeting,
                "beneficiary": beneficiary,
                "letter_reference": letter_reference,
                "hijri_date": format_hijri(decided_on),
                "gregorian_date": format_gregorian(decided_on),
                "salutation": (
                    gettext("The honourable (feminine)")
                    if beneficiary.gender == Gender.FEMALE
                    else gettext("The honourable (masculine)")
                ),
                # Isolated left-to-right: «1*******73», not reordered by the Arabic around it.
                "masked_id": f"\u2066{mask_identity(beneficiary.id_number)}\u2069",
                "outcome": item.outcome,
                "aid_type": item.aid_type.name,
                "amount": money(item.amount),
                "period": _period(item.months),
                "reasons": [reason.name for reason in item.reasons.all()],
                "reason_text": _unique_lines(item.reason_text),
                "deferred_need": _unique_lines(item.deferred_need),
                "appeal_days": AssistancePolicy.current().appeal_window_days,
            }
        )
        return render_pdf("assistance/pdf/decision_letter.html", context)


# --- Helpers -------------------------------------------------------------------------------


def _common_context(request: SupportRequest) -> dict:
    """What both documents show; call inside ``translation.override("ar")``."""
    context = letterhead_context(reference=request.reference or "", branch=request.branch)
    context.update(
        {
            "req": request,
            "beneficiary": request.beneficiary,
            "is_draft": not request.reference,
            "submitted_at": dual_datetime(request.submitted_at) if request.submitted_at else "",
            "aid_types": [aid_type.name for aid_type in request.aid_types.all()],
        }
    )
    return context


def _attestation(request: SupportRequest) -> Attestation | None:
    try:
        return request.attestation
    except Attestation.DoesNotExist:
        return None


def _address(beneficiary) -> str:
    parts = [
        beneficiary.city.name if beneficiary.city_id else "",
        beneficiary.district,
        beneficiary.street,
    ]
    if beneficiary.building_number:
        parts.append(f"{gettext('building')} {beneficiary.building_number}")
    if beneficiary.postal_code:
        parts.append(f"{gettext('postal code')} {beneficiary.postal_code}")
    if beneficiary.additional_number:
        parts.append(f"{gettext('additional number')} {beneficiary.additional_number}")
    if beneficiary.address_short:
        parts.append(f"({beneficiary.address_short})")
    return "، ".join(part for part in parts if part)


def _signature_uri(attestation: Attestation) -> str:
    """The drawn signature as a ``data:`` URI, or "" when it is not an image."""
    content_type = (attestation.signature_type or "").split(";")[0].strip().lower()
    if content_type not in _EMBEDDABLE_IMAGES or not attestation.signature:
        return ""
    with attestation.signature.open("rb") as handle:
        content = handle.read()
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def signature_evidence(attestation: Attestation) -> list[str]:
    """What proves a signature confirmed with a one-time code on the portal, as lines to print
    under the signature box: where the code went and when it was confirmed (the stored evidence
    record, whose SHA-256 the attestation keeps). Empty for a drawn or paper signature."""
    if attestation.method != AttestationMethod.OTP or not attestation.signature:
        return []
    with attestation.signature.open("rb") as handle:
        record = json.loads(handle.read().decode())
    confirmed = datetime.fromisoformat(record["code_confirmed_at"])
    return [
        gettext("Confirmed with a one-time code sent by SMS to %(mobile)s.")
        % {"mobile": f"\u2066{record['mobile']}\u2069"},
        gettext("Code confirmed on %(when)s.") % {"when": dual_datetime(confirmed)},
        gettext("Evidence reference: %(id)s") % {"id": f"\u2066{record['one_time_code']}\u2069"},
        gettext("Fingerprint (SHA-256): %(digest)s")
        % {"digest": f"\u2066{attestation.signature_sha256}\u2069"},
    ]


def money(value: Decimal | None) -> str:
    """«1,250.00»: Western digits, two decimals (the currency is printed beside it)."""
    if value is None:
        return ""
    return f"{value:,.2f}"


# --- Committee documents' helpers ------------------------------------------------------------

_ROLE_ORDER = {MemberRole.CHAIR: 0, MemberRole.SECRETARY: 1, MemberRole.MEMBER: 2}


def _period(months: int) -> str:
    """«One-off» for a single month, else «monthly for N months»."""
    if months <= 1:
        return gettext("One-off")
    return ngettext("Monthly for %(months)s month", "Monthly for %(months)s months", months) % {
        "months": months
    }


def _unique_lines(text: str) -> str:
    """The members' notes joined by the committee service, each said once."""
    lines = (line.strip() for line in str(text or "").splitlines())
    return "\n".join(dict.fromkeys(line for line in lines if line))


def _minutes_item(item: AgendaItem, members: list) -> dict:
    """One agenda item as the minutes show it: the proposal, a row per member, the outcome."""
    votes = {vote.voter_id: vote for vote in item.votes.all()}
    recusals = {recusal.member_id: recusal for recusal in item.recusals.all()}
    rows = []
    seen = set()
    for member in members:
        seen.add(member.user_id)
        rows.append(_vote_row(member.user.display_name, votes, recusals, member.user_id))
    # A vote or recusal by someone no longer listed as a member is still part of the record.
    for user_id, vote in votes.items():
        if user_id not in seen:
            seen.add(user_id)
            rows.append(_vote_row(vote.voter.display_name, votes, recusals, user_id))
    for user_id, recusal in recusals.items():
        if user_id not in seen:
            rows.append(_vote_row(recusal.member.display_name, votes, recusals, user_id))
    request = item.request
    return {
        "item": item,
        "reference": request.reference or "—",
        "applicant": request.beneficiary.full_name,
        "aid_type": item.aid_type.name,
        "amount": money(item.amount),
        "period": _period(item.months),
        "rows": rows,
        "recusals": [
            {"name": recusal.member.display_name, "reason": recusal.reason}
            for recusal in item.recusals.all()
        ],
        "outcome": item.outcome,
        "outcome_label": item.get_outcome_display(),
        "reasons": [reason.name for reason in item.reasons.all()],
        "reason_text": _unique_lines(item.reason_text),
        "deferred_need": _unique_lines(item.deferred_need),
        "decided_at": dual_datetime(item.decided_at) if item.decided_at else "",
    }


def _vote_row(name: str, votes: dict, recusals: dict, user_id: int) -> dict:
    vote: Vote | None = votes.get(user_id)
    if vote is not None:
        remarks = [reason.name for reason in vote.reasons.all()]
        if vote.note:
            remarks.append(vote.note)
        return {"name": name, "choice": vote.get_choice_display(), "remarks": remarks}
    if user_id in recusals:
        return {
            "name": name,
            "choice": gettext("Stood aside"),
            "remarks": [recusals[user_id].reason],
        }
    return {"name": name, "choice": gettext("Did not vote"), "remarks": []}
