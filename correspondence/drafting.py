"""Filling a letter template and checking a letter's text before it is saved or issued.

Pure functions over what the letter is linked to; the services call them. A template's
placeholder that cannot be filled (no beneficiary linked, a draft request without a
reference) is reported at the form field that would fill it, in the reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import Gender
from core.hijri import format_dual, format_gregorian, format_hijri
from core.text import normalize_digits
from core.validators import luhn_ok, mask_identity

from .models import LetterTemplate, template_placeholders

# Left-to-right isolation (U+2066…U+2069) around a number with asterisks, so «1*******08»
# is not reordered by the Arabic around it; WeasyPrint ignores CSS unicode-bidi.
LTR_ISOLATE = "\u2066{}\u2069"


@dataclass(frozen=True)
class Missing:
    """A placeholder that has no value for this letter: which field would give it, and why."""

    field: str
    message: object


_NO_BENEFICIARY = Missing(
    "beneficiary",
    _("This template is about a beneficiary: link the letter to one (identity number)."),
)
_NO_REQUEST = Missing(
    "support_request",
    _("This template uses a support request's reference: link a submitted request."),
)
_NO_TICKET = Missing("ticket", _("This template uses a ticket's reference: link the ticket."))
_NO_REPLY = Missing(
    "template",
    _(
        "This template answers an incoming letter: open that letter in the register and "
        "choose “Draft the answer”."
    ),
)


def placeholder_values(
    *,
    party_name: str = "",
    party_organisation: str = "",
    beneficiary=None,
    support_request=None,
    ticket=None,
    in_reply_to=None,
    branch=None,
    today: date,
) -> dict[str, str | Missing]:
    """The value of every placeholder for a letter with these links, in Arabic."""
    # Imported here: importing WeasyPrint (behind core.pdf) parses its
    # stylesheets, which every request to every page would otherwise pay for.
    from core.pdf import organisation_name

    with translation.override("ar"):
        values: dict[str, str | Missing] = {
            "recipient_name": party_name
            or Missing("party_name", _("This template uses the recipient's name: write it.")),
            "recipient_organisation": party_organisation
            or Missing(
                "party_organisation",
                _("This template uses the recipient's organisation: write it."),
            ),
            "beneficiary_name": _NO_BENEFICIARY,
            "beneficiary_title": _NO_BENEFICIARY,
            "beneficiary_id_masked": _NO_BENEFICIARY,
            "request_reference": _NO_REQUEST,
            "missing_documents": _NO_REQUEST,
            "ticket_reference": _NO_TICKET,
            "their_reference": _NO_REPLY,
            "their_date": _NO_REPLY,
            "today_hijri": format_hijri(today) or format_gregorian(today),
            "today_gregorian": format_gregorian(today),
            "organisation_name": organisation_name(),
            "branch_name": branch.name if branch is not None else organisation_name(),
        }
        if beneficiary is not None:
            values["beneficiary_name"] = beneficiary.full_name
            values["beneficiary_title"] = (
                gettext("the beneficiary (feminine)")
                if beneficiary.gender == Gender.FEMALE
                else gettext("the beneficiary (masculine)")
            )
            values["beneficiary_id_masked"] = LTR_ISOLATE.format(
                mask_identity(beneficiary.id_number)
            )
        if support_request is not None and support_request.reference:
            values["request_reference"] = support_request.reference
            values["missing_documents"] = _missing_documents(support_request, today)
        if ticket is not None:
            values["ticket_reference"] = ticket.reference
        if in_reply_to is not None:
            values["their_reference"] = in_reply_to.sender_reference or Missing(
                "template",
                _("The letter being answered has no sender's reference: choose another template."),
            )
            values["their_date"] = format_dual(in_reply_to.letter_date)
    return values


def _missing_documents(support_request, today: date) -> str | Missing:
    """One line per required document the request lacks (missing, rejected or out of date)."""
    from assistance.models import ItemState

    lacking = (ItemState.MISSING, ItemState.REJECTED, ItemState.EXPIRED)
    lines = []
    items = support_request.checklist.select_related(
        "doc_type", "member", "document__doc_type"
    ).order_by("member_id", "id")
    for item in items:
        if item.state_on(today) in lacking:
            whose = f" ({item.member.full_name})" if item.member_id else ""
            lines.append(f"- {item.doc_type.name_ar}{whose}")
    if not lines:
        return Missing(
            "support_request",
            _("The support request lacks no document: this template does not fit."),
        )
    return "\n".join(lines)


def render_template(template: LetterTemplate, values: dict[str, str | Missing]) -> tuple[str, str]:
    """The template's subject and body with the placeholders filled.

    Raises ValidationError keyed by the form field that would supply a missing value.
    """
    errors: dict[str, list] = {}
    filled: dict[str, str] = {}
    for name in template.placeholders:
        value = values[name]
        if isinstance(value, Missing):
            messages = errors.setdefault(value.field, [])
            if value.message not in messages:
                messages.append(value.message)
        else:
            filled[name] = value
    if errors:
        raise ValidationError(errors)
    # Names were checked against PLACEHOLDERS and are plain identifiers (no attribute or
    # index access), and every value is a str: format_map cannot reach further.
    return template.subject_ar.format_map(filled), template.body_ar.format_map(filled)


# A Saudi national ID or Iqama number: ten digits starting with 1 or 2, Luhn-valid.
_IDENTITY = re.compile(r"(?<!\d)[12]\d{9}(?!\d)")


def check_no_identity_number(*, subject: str, body: str) -> None:
    """Refuse a letter whose text carries a full identity number (DOMAIN.md §1: mask it)."""
    for field, text in (("subject", subject), ("body", body)):
        for found in _IDENTITY.findall(normalize_digits(text or "")):
            if luhn_ok(found):
                message = ValidationError(
                    _(
                        "A letter never carries a full identity number (%(number)s): "
                        "write it masked, as %(masked)s."
                    ),
                    code="identity_number",
                    params={"number": found, "masked": mask_identity(found)},
                )
                raise ValidationError({field: message})


def check_template(template: LetterTemplate) -> None:
    """Re-check a stored template (it may predate a change to the placeholder list)."""
    try:
        template_placeholders(template.subject_ar)
        template_placeholders(template.body_ar)
    except ValidationError as exc:
        raise ValidationError({"template": exc.messages}) from exc
