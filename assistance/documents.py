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
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from beneficiaries.models import household_totals
from core.choices import Gender
from core.hijri import format_dual, format_gregorian, format_hijri
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

__all__ = ["decision_letter_pdf", "minutes_pdf", "receipt_pdf", "request_form_pdf"]

# The default organisation name, marked so that makemessages puts it in the catalogue: the
# letterhead shows it in Arabic («وقف مفاتيح الخير»).
gettext_noop("Waqf Mafatih Al-Khair")

_FONT_FILES = {
    "arabic_400": "vendor/fonts/ibm-plex-sans-arabic-arabic-400-normal.woff2",
    "arabic_600": "vendor/fonts/ibm-plex-sans-arabic-arabic-600-normal.woff2",
    "latin_400": "vendor/fonts/ibm-plex-sans-arabic-latin-400-normal.woff2",
    "latin_600": "vendor/fonts/ibm-plex-sans-arabic-latin-600-normal.woff2",
}

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
                "signed_at": _dual_datetime(attestation.signed_at) if attestation else "",
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
                "closed_at": _dual_datetime(meeting.closed_at) if meeting.closed_at else "",
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
    now = timezone.now()
    name = organisation_name()
    # Strings placed in the @page CSS (margin boxes), escaped for CSS.
    css = {
        "page_counter": mark_safe(_page_counter_css()),  # noqa: S308
        "organisation_name": mark_safe(css_string(name)),  # noqa: S308
        "reference": mark_safe(css_string(request.reference or gettext("Mustafid"))),  # noqa: S308
    }
    return {
        "req": request,
        "beneficiary": request.beneficiary,
        "branch": request.branch,
        "organisation_name": name,
        "css": css,
        "is_draft": not request.reference,
        "submitted_at": _dual_datetime(request.submitted_at) if request.submitted_at else "",
        "printed_at": _dual_datetime(now),
        "aid_types": [aid_type.name for aid_type in request.aid_types.all()],
        "fonts": _font_urls(),
    }


def organisation_name() -> str:
    """The organisation's name in the active language (Arabic on the documents).

    ``MUSTAFID["ORGANISATION_NAME_AR"]`` wins when set; otherwise the configured name is
    looked up in the translation catalogue.
    """
    configured = settings.MUSTAFID.get("ORGANISATION_NAME_AR")
    if configured and (translation.get_language() or "ar").startswith("ar"):
        return configured
    return gettext(settings.MUSTAFID["ORGANISATION_NAME"])


def css_string(value: str) -> str:
    """A CSS string literal that no typed text can break out of (nor out of <style>)."""
    escaped = str(value).replace("\\", "\\\\")
    for char in '"<>&\n\r':
        escaped = escaped.replace(char, f"\\{ord(char):x} ")
    return f'"{escaped}"'


def _page_counter_css() -> str:
    """«"صفحة " counter(page) " من " counter(pages)», in whatever order the translation has."""
    label = gettext("Page %(page)s of %(pages)s") % {"page": "\0page\0", "pages": "\0pages\0"}
    parts = []
    for index, piece in enumerate(label.split("\0")):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def _attestation(request: SupportRequest) -> Attestation | None:
    try:
        return request.attestation
    except Attestation.DoesNotExist:
        return None


def _dual_datetime(moment) -> str:
    """«23/03/1447هـ — 15/09/2025م، 10:30» in Riyadh time."""
    local = timezone.localtime(moment)
    return f"{format_dual(local.date())}، {local:%H:%M}"


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
        gettext("Code confirmed on %(when)s.") % {"when": _dual_datetime(confirmed)},
        gettext("Evidence reference: %(id)s") % {"id": f"\u2066{record['one_time_code']}\u2069"},
        gettext("Fingerprint (SHA-256): %(digest)s")
        % {"digest": f"\u2066{attestation.signature_sha256}\u2069"},
    ]


def _font_urls() -> dict[str, str]:
    urls = {}
    for key, relative in _FONT_FILES.items():
        found = finders.find(relative)
        path = Path(found) if found else Path(settings.STATIC_ROOT) / relative
        urls[key] = path.resolve().as_uri()
    return urls


class _LocalOnlyFetcher(URLFetcher):
    """Fetches the vendored fonts and inline images only: nothing a user typed is fetched."""

    def __init__(self, allowed_urls):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self._allowed_urls = frozenset(allowed_urls)

    def fetch(self, url, headers=None):
        if url.startswith("data:") or url in self._allowed_urls:
            return super().fetch(url, headers)
        raise ValueError(f"Refusing to fetch {url!r} while rendering a PDF.")


def render_pdf(template_name: str, context: dict) -> bytes:
    """Lay out `template_name` as a PDF, fetching nothing but the vendored fonts."""
    html = render_to_string(template_name, context)
    base_url = Path(settings.BASE_DIR).resolve().as_uri() + "/"
    return HTML(
        string=html, base_url=base_url, url_fetcher=_LocalOnlyFetcher(context["fonts"].values())
    ).write_pdf()


def money(value: Decimal | None) -> str:
    """«1,250.00»: Western digits, two decimals (the currency is printed beside it)."""
    if value is None:
        return ""
    return f"{value:,.2f}"


# --- Committee documents' helpers ------------------------------------------------------------

_ROLE_ORDER = {MemberRole.CHAIR: 0, MemberRole.SECRETARY: 1, MemberRole.MEMBER: 2}


def letterhead_context(*, reference: str, branch) -> dict:
    """The letterhead every printed document shares (committee documents here, letters in
    correspondence): organisation, branch, page footer, fonts. Call inside
    ``translation.override("ar")``."""
    name = organisation_name()
    css = {
        "page_counter": mark_safe(_page_counter_css()),  # noqa: S308
        "organisation_name": mark_safe(css_string(name)),  # noqa: S308
        "reference": mark_safe(css_string(reference or gettext("Mustafid"))),  # noqa: S308
    }
    return {
        "branch": branch,
        "organisation_name": name,
        "css": css,
        "printed_at": _dual_datetime(timezone.now()),
        "fonts": _font_urls(),
    }


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
        "decided_at": _dual_datetime(item.decided_at) if item.decided_at else "",
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
