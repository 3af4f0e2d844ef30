"""The correspondence register (policy P4: letters are one of the eight channels).

Incoming letters are numbered when they are registered (IN-<Hijri year>-<sequence>); outgoing
letters are drafted, usually from a `LetterTemplate`, and numbered when they are issued
(OUT-<Hijri year>-<sequence>). At issue the text and the PDF are fixed: an issued letter is
never edited, a correction is a new letter.

`Letter.status` is assigned only in correspondence.services (one service per transition).
"""

from __future__ import annotations

import re
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import BilingualNameModel, PublicIdModel, TimeStampedModel
from core.storage import PrivateStorage


class Direction(models.TextChoices):
    INCOMING = "in", _("Incoming")
    OUTGOING = "out", _("Outgoing")


# The reference prefix of each direction: IN-1448-000001, OUT-1448-000001.
PREFIXES = {Direction.INCOMING: "IN", Direction.OUTGOING: "OUT"}


class LetterStatus(models.TextChoices):
    # Outgoing: draft → issued → sent. (Labels chosen apart from the catalogue's "Issued"
    # and "Registered", which translate as dates.)
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Awaiting dispatch")
    SENT = "sent", _("Dispatched")
    # Incoming: registered → referred → answered | filed.
    REGISTERED = "registered", _("Received")
    REFERRED = "referred", _("Referred")
    ANSWERED = "answered", _("Answered")
    FILED = "filed", _("Filed")


OUTGOING_STATUSES = (LetterStatus.DRAFT, LetterStatus.ISSUED, LetterStatus.SENT)
INCOMING_STATUSES = (
    LetterStatus.REGISTERED,
    LetterStatus.REFERRED,
    LetterStatus.ANSWERED,
    LetterStatus.FILED,
)
# An incoming letter still waiting for someone to act on it.
INCOMING_OPEN = (LetterStatus.REGISTERED, LetterStatus.REFERRED)


class DispatchMethod(models.TextChoices):
    HAND = "hand", _("By hand")
    POST = "post", _("By post")
    EMAIL = "email", _("By e-mail")


# --- Templates ------------------------------------------------------------------------------

# Every placeholder a template may use: its description (shown to whoever writes a template)
# and the letter field it needs, so a missing link is reported at the right field.
PLACEHOLDERS: dict[str, tuple[str, str | None]] = {
    "recipient_name": (_("the recipient's name"), "party_name"),
    "recipient_organisation": (_("the recipient's organisation"), "party_organisation"),
    "beneficiary_name": (_("the beneficiary's full name"), "beneficiary"),
    "beneficiary_title": (
        _("«المستفيد» or «المستفيدة», by the beneficiary's gender"),
        "beneficiary",
    ),
    "beneficiary_id_masked": (
        _("the beneficiary's identity number, masked (1*******08)"),
        "beneficiary",
    ),
    "request_reference": (_("the support request's reference number"), "support_request"),
    "missing_documents": (
        _("the documents the support request still lacks, one per line"),
        "support_request",
    ),
    "ticket_reference": (_("the ticket's reference number"), "ticket"),
    "their_reference": (_("the sender's reference of the letter being answered"), "in_reply_to"),
    "their_date": (_("the date of the letter being answered, Hijri and Gregorian"), "in_reply_to"),
    "today_hijri": (_("today's date, Hijri"), None),
    "today_gregorian": (_("today's date, Gregorian"), None),
    "organisation_name": (_("the organisation's name"), None),
    "branch_name": (_("the branch's name"), None),
}

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def template_placeholders(text: str) -> list[str]:
    """The placeholders `text` uses, in order; ValidationError (in the reader's language) if
    a brace is unmatched or a placeholder is not one of PLACEHOLDERS.

    Only plain `{name}` is accepted — no `{name.attr}`, `{name[0]}`, `{name!r}` or
    `{name:>10}` — so an edited template can never reach into the values given to it.
    """
    try:
        fields = [f for f in string.Formatter().parse(text or "") if f[1] is not None]
    except ValueError as exc:
        raise ValidationError(
            _(
                "A brace is not matched: write a placeholder as {name}, a literal brace "
                "as {{ or }}."
            ),
            code="template_braces",
        ) from exc
    names: list[str] = []
    unknown: list[str] = []
    for _literal, name, spec, conversion in fields:
        if not _IDENTIFIER.match(name or "") or spec or conversion or name not in PLACEHOLDERS:
            shown = "{" + (name or "") + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            unknown.append(shown)
        elif name not in names:
            names.append(name)
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(unknown)s. The placeholders available are: %(available)s."),
            code="template_unknown_placeholder",
            params={
                "unknown": _list_separator().join(unknown),
                "available": _list_separator().join("{" + n + "}" for n in PLACEHOLDERS),
            },
        )
    return names


def _list_separator() -> str:
    return "، " if (get_language() or "ar").startswith("ar") else ", "


def validate_template_text(text: str) -> None:
    template_placeholders(text)


class LetterTemplate(BilingualNameModel):
    """An outgoing letter's starting text, kept by managers in the admin. The Arabic subject
    and body may use the `{placeholders}` of PLACEHOLDERS; the greeting, the closing and the
    signature block are added by the letter's layout."""

    description = models.CharField(_("when to use it"), max_length=200, blank=True)
    subject_ar = models.CharField(
        _("subject (Arabic)"), max_length=200, validators=[validate_template_text]
    )
    body_ar = models.TextField(
        _("body (Arabic)"),
        validators=[validate_template_text],
        help_text=_(
            "Placeholders in braces are filled in when a letter is drafted, e.g. "
            "{recipient_name}, {beneficiary_name}, {request_reference}, {today_hijri}. "
            "Never put a full identity number in a letter: use {beneficiary_id_masked}."
        ),
    )

    class Meta(BilingualNameModel.Meta):
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")

    @property
    def placeholders(self) -> list[str]:
        names = template_placeholders(self.subject_ar)
        return names + [n for n in template_placeholders(self.body_ar) if n not in names]


# --- The register ---------------------------------------------------------------------------


class LetterSequence(models.Model):
    """The last number used for one direction in one Hijri year."""

    direction = models.CharField(max_length=3, choices=Direction.choices)
    hijri_year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "hijri_year"], name="letter_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.hijri_year}: {self.last}"


# The columns fixed once an outgoing letter is issued. A database trigger (migration 0001)
# refuses any UPDATE that changes one of them on an issued letter, whatever code runs; only
# the status and the dispatch details move on.
FROZEN_COLUMNS = (
    "direction",
    "reference",
    "letter_date",
    "registered_at",
    "party_name",
    "party_organisation",
    "party_address",
    "subject",
    "body",
    "signatory_name",
    "signatory_title",
    "beneficiary_id",
    "support_request_id",
    "ticket_id",
    "branch_id",
    "in_reply_to_id",
    "pdf",
    "pdf_sha256",
    "issued_by_id",
)


class Letter(PublicIdModel, TimeStampedModel):
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    status = models.CharField(_("status"), max_length=12, choices=LetterStatus.choices)
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    letter_date = models.DateField(_("date of the letter"), null=True, blank=True)
    # Incoming: when it was registered; outgoing: when it was issued.
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    # The other party: the sender of an incoming letter, the recipient of an outgoing one.
    party_name = models.CharField(_("name"), max_length=150, blank=True)
    party_organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    party_address = models.TextField(_("address"), blank=True)
    sender_reference = models.CharField(_("the sender's reference"), max_length=60, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    template = models.ForeignKey(
        LetterTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signatory_name = models.CharField(_("signed by"), max_length=150, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=150, blank=True)
    # Links.
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name=_("beneficiary"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    support_request = models.ForeignKey(
        "assistance.SupportRequest",
        verbose_name=_("support request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    ticket = models.ForeignKey(
        "contact.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    # An outgoing letter answering an incoming one, and the incoming letter's issued answer.
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    answer = models.ForeignKey(
        "self",
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Incoming: the staff member it is referred to.
    referred_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_letters",
    )
    referral_note = models.TextField(_("referral note"), blank=True)
    referred_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    filing_note = models.TextField(_("filing note"), blank=True)
    # Outgoing: how and when it left.
    dispatch_method = models.CharField(
        _("sent how"), max_length=5, choices=DispatchMethod.choices, blank=True
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    dispatch_note = models.CharField(_("dispatch note"), max_length=200, blank=True)
    # Outgoing: the PDF as issued, stored once and never rendered again.
    pdf = models.FileField(storage=PrivateStorage(), upload_to="letters/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Matching key of the reference numbers, subject and party (core.text.normalize_arabic):
    # the register's search compares keys, as neither database folds Arabic (DESIGN.md §6).
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction="out", status__in=[s.value for s in OUTGOING_STATUSES])
                | Q(direction="in", status__in=[s.value for s in INCOMING_STATUSES]),
                name="letter_status_fits_direction",
            ),
            # Past the draft, a letter carries its number, its date and its registration time.
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    Q(reference__isnull=False)
                    & Q(letter_date__isnull=False)
                    & Q(registered_at__isnull=False)
                ),
                name="letter_numbered_past_draft",
            ),
            models.CheckConstraint(
                condition=Q(reference__isnull=True)
                | Q(direction="in", reference__startswith="IN-")
                | Q(direction="out", reference__startswith="OUT-"),
                name="letter_reference_prefix",
            ),
            models.CheckConstraint(
                condition=~Q(party_name="") | ~Q(party_organisation=""),
                name="letter_has_party",
            ),
            models.CheckConstraint(
                condition=Q(direction="in") | Q(status="draft") | ~Q(pdf=""),
                name="issued_letter_has_pdf",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | (~Q(dispatch_method="") & Q(sent_on__isnull=False)),
                name="sent_letter_has_dispatch",
            ),
            models.CheckConstraint(
                condition=~Q(status="referred") | Q(referred_to__isnull=False),
                name="referred_letter_has_referee",
            ),
            models.CheckConstraint(
                condition=(Q(status="answered") & Q(answer__isnull=False))
                | (~Q(status="answered") & Q(answer__isnull=True)),
                name="answered_letter_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(in_reply_to__isnull=True) | Q(direction="out"),
                name="only_outgoing_letters_reply",
            ),
        ]
        indexes = [
            # The register, newest first, whole organisation or one branch.
            models.Index(fields=["-created_at", "-id"], name="letter_created_idx"),
            models.Index(fields=["branch", "-created_at", "-id"], name="letter_branch_idx"),
            models.Index(fields=["direction", "status"], name="letter_status_idx"),
            models.Index(fields=["referred_to", "status"], name="letter_referred_idx"),
            models.Index(fields=["letter_date"], name="letter_date_idx"),
        ]

    def __str__(self) -> str:
        return self.reference or str(_("Draft letter"))

    @property
    def is_outgoing(self) -> bool:
        return self.direction == Direction.OUTGOING

    @property
    def is_draft(self) -> bool:
        return self.status == LetterStatus.DRAFT

    @property
    def is_open(self) -> bool:
        """An incoming letter waiting for an answer or a decision to file it."""
        return self.status in INCOMING_OPEN

    @property
    def party(self) -> str:
        return " — ".join(p for p in (self.party_name, self.party_organisation) if p)


class LetterAttachment(PublicIdModel, TimeStampedModel):
    """A file kept with a letter (the scanned incoming letter, an enclosure, a post receipt):
    private, checked on content, served only through a view that checks and logs."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=PrivateStorage(), upload_to="letters/attachments/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("what the file is"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.description or self.original_name
