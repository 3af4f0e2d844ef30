"""Every write to the registry. Each service checks the actor's permission and scope, runs in
one transaction, validates with `full_clean()`, and appends to the activity log.

Sensitive values (health, identity numbers, amounts) are never copied into the log's data:
it records which fields changed, not what they now say.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import permissions
from beneficiaries.models import (
    Beneficiary,
    Category,
    Consent,
    Document,
    DocumentType,
    DuplicateDecision,
    HouseholdMember,
    IncomeKind,
    IncomeSource,
    NameToken,
    Obligation,
    ObligationKind,
    PrivacyNotice,
    Relation,
)
from core.activity import both_languages, log_action
from core.files import inspect_upload
from core.text import name_key, part_key, search_tokens

NAME_FIELDS = ("first_name", "father_name", "grandfather_name", "family_name")


class _ListLabel:
    """Field labels joined with the reader's list separator when rendered."""

    def __init__(self, labels):
        self.labels = labels

    def __str__(self) -> str:
        from django.utils.translation import get_language

        separator = "، " if (get_language() or "ar").startswith("ar") else ", "
        return separator.join(str(label) for label in self.labels)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_scope(actor, beneficiary: Beneficiary) -> None:
    """Branch-bound staff act only on their branch's files."""
    if actor.branch_id and beneficiary.branch_id != actor.branch_id:
        raise PermissionDenied


def _apply_name_keys(beneficiary: Beneficiary) -> None:
    beneficiary.name_key = name_key(*(getattr(beneficiary, f) for f in NAME_FIELDS))[:255]
    beneficiary.first_key = part_key(beneficiary.first_name)
    beneficiary.family_key = part_key(beneficiary.family_name)


def _index_name(beneficiary: Beneficiary) -> None:
    NameToken.objects.filter(beneficiary=beneficiary).delete()
    tokens = search_tokens(" ".join(getattr(beneficiary, f) for f in NAME_FIELDS))
    NameToken.objects.bulk_create(
        [NameToken(beneficiary=beneficiary, token=t[:60]) for t in dict.fromkeys(tokens)]
    )


def _record_distinct(actor, beneficiary: Beneficiary, candidates: Iterable[Beneficiary]) -> None:
    for candidate in candidates:
        _, created = DuplicateDecision.objects.get_or_create(
            beneficiary=beneficiary, candidate=candidate, defaults={"decided_by": actor}
        )
        if created:
            log_action(
                actor=actor,
                action="beneficiaries.beneficiary.confirmed_distinct",
                target=beneficiary,
                data={"candidate": str(candidate.public_id)},
            )


@transaction.atomic
def beneficiary_create(
    *,
    actor,
    data: dict[str, Any],
    categories: Iterable[Category] = (),
    confirmed_distinct: Iterable[Beneficiary] = (),
) -> Beneficiary:
    """Register a beneficiary. Logs `beneficiaries.beneficiary.created`."""
    _require(permissions.can_edit_registry(actor))
    beneficiary = Beneficiary(**data, created_by=actor)
    if actor.branch_id:
        beneficiary.branch_id = actor.branch_id
    _apply_name_keys(beneficiary)
    beneficiary.full_clean()
    beneficiary.save()
    beneficiary.categories.set(categories)
    _index_name(beneficiary)
    log_action(actor=actor, action="beneficiaries.beneficiary.created", target=beneficiary)
    _record_distinct(actor, beneficiary, confirmed_distinct)
    return beneficiary


@transaction.atomic
def beneficiary_update(
    *,
    actor,
    beneficiary: Beneficiary,
    data: dict[str, Any],
    categories: Iterable[Category] | None = None,
    confirmed_distinct: Iterable[Beneficiary] = (),
) -> Beneficiary:
    """Change a file. Logs `beneficiaries.beneficiary.updated` with the changed field names."""
    _require(permissions.can_edit_registry(actor))
    _require_scope(actor, beneficiary)
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    changed = [f for f, v in data.items() if getattr(beneficiary, f) != v]
    for field, value in data.items():
        setattr(beneficiary, field, value)
    if actor.branch_id:
        beneficiary.branch_id = actor.branch_id
    _apply_name_keys(beneficiary)
    beneficiary.full_clean()
    beneficiary.save()
    if categories is not None:
        before = set(beneficiary.categories.values_list("pk", flat=True))
        beneficiary.categories.set(categories)
        if before != {c.pk for c in categories}:
            changed.append("categories")
    if any(f in changed for f in NAME_FIELDS):
        _index_name(beneficiary)
    if changed:
        labels = [Beneficiary._meta.get_field(f).verbose_name for f in changed]
        log_action(
            actor=actor,
            action="beneficiaries.beneficiary.updated",
            target=beneficiary,
            data={
                **both_languages("fields", _ListLabel(labels)),
                "field_codes": changed,
            },
        )
    _record_distinct(actor, beneficiary, confirmed_distinct)
    return beneficiary


def beneficiary_viewed(*, actor, beneficiary: Beneficiary) -> None:
    """A view of a file is personal-data access: PDPL asks who saw what, and when."""
    log_action(actor=actor, action="beneficiaries.beneficiary.viewed", target=beneficiary)


# --- Household, income, obligations ---------------------------------------------------------


def _save_child(actor, beneficiary: Beneficiary, obj, action: str, data: dict) -> Any:
    _require(permissions.can_edit_registry(actor))
    _require_scope(actor, beneficiary)
    obj.full_clean()
    obj.save()
    log_action(actor=actor, action=action, target=obj, subject=beneficiary, data=data)
    return obj


@transaction.atomic
def member_save(
    *, actor, beneficiary: Beneficiary, member: HouseholdMember | None = None, data: dict
) -> HouseholdMember:
    """Add or change a household member. Logs `beneficiaries.member.added|updated`."""
    created = member is None
    member = member or HouseholdMember(beneficiary=beneficiary)
    for field, value in data.items():
        setattr(member, field, value)
    action = "beneficiaries.member.added" if created else "beneficiaries.member.updated"
    return _save_child(actor, beneficiary, member, action, _member_log_data(member))


def _member_log_data(member: HouseholdMember) -> dict:
    return {"name": member.full_name, **both_languages("relation", Relation(member.relation).label)}


@transaction.atomic
def member_remove(*, actor, member: HouseholdMember) -> None:
    beneficiary = member.beneficiary
    _require(permissions.can_edit_registry(actor))
    _require_scope(actor, beneficiary)
    log_action(
        actor=actor,
        action="beneficiaries.member.removed",
        target=member,
        subject=beneficiary,
        data=_member_log_data(member),
    )
    member.delete()


@transaction.atomic
def income_add(*, actor, beneficiary: Beneficiary, data: dict) -> IncomeSource:
    income = IncomeSource(beneficiary=beneficiary, **data)
    return _save_child(
        actor,
        beneficiary,
        income,
        "beneficiaries.income.added",
        both_languages("kind", IncomeKind(income.kind).label),
    )


@transaction.atomic
def obligation_add(*, actor, beneficiary: Beneficiary, data: dict) -> Obligation:
    obligation = Obligation(beneficiary=beneficiary, **data)
    return _save_child(
        actor,
        beneficiary,
        obligation,
        "beneficiaries.obligation.added",
        both_languages("kind", ObligationKind(obligation.kind).label),
    )


@transaction.atomic
def money_row_remove(*, actor, row: IncomeSource | Obligation) -> None:
    """Remove an income source or an obligation."""
    beneficiary = row.beneficiary
    _require(permissions.can_edit_registry(actor))
    _require_scope(actor, beneficiary)
    if isinstance(row, IncomeSource):
        action, label = "beneficiaries.income.removed", IncomeKind(row.kind).label
    else:
        action, label = "beneficiaries.obligation.removed", ObligationKind(row.kind).label
    log_action(
        actor=actor,
        action=action,
        target=row,
        subject=beneficiary,
        data=both_languages("kind", label),
    )
    row.delete()


# --- Documents ------------------------------------------------------------------------------


@transaction.atomic
def document_upload(
    *,
    actor,
    beneficiary: Beneficiary,
    doc_type: DocumentType,
    upload,
    issued_on=None,
    expires_on=None,
    member: HouseholdMember | None = None,
    note: str = "",
) -> Document:
    """Store a document privately after checking its content.

    `actor` is the staff member, or None when the beneficiary uploads it on the portal (which
    has authenticated them). Logs `beneficiaries.document.uploaded`."""
    if actor is not None:
        _require(permissions.can_upload_documents(actor))
        _require_scope(actor, beneficiary)
    if member is not None and member.beneficiary_id != beneficiary.pk:
        raise PermissionDenied
    try:
        info = inspect_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"upload": exc.error_list}) from exc
    document = Document(
        beneficiary=beneficiary,
        member=member,
        doc_type=doc_type,
        original_name=upload.name[-200:],
        content_type=info.content_type,
        extension=info.extension,
        size=info.size,
        sha256=info.sha256,
        issued_on=issued_on,
        expires_on=expires_on,
        note=note,
        uploaded_by=actor,
    )
    document.full_clean(exclude=["file"])
    document.file.save("upload", upload, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    log_action(
        actor=actor,
        action="beneficiaries.document.uploaded",
        target=document,
        subject=beneficiary,
        data={"type": document.doc_type.name_ar, "type_en": document.doc_type.name_en},
    )
    return document


def document_opened(*, actor, document: Document, download: bool) -> None:
    """Every view or download of a document is logged (PDPL access log)."""
    log_action(
        actor=actor,
        action="beneficiaries.document.downloaded" if download else "beneficiaries.document.viewed",
        target=document,
        subject=document.beneficiary,
        data={"type": document.doc_type.name_ar, "type_en": document.doc_type.name_en},
    )


# --- Consent ------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor,
    beneficiary: Beneficiary,
    notice: PrivacyNotice,
    channel,
    acknowledged_at: datetime | None = None,
) -> Consent:
    """Record that the beneficiary acknowledged a privacy-notice version on a channel.

    `actor` is the staff member recording it, or None when the beneficiary acknowledged it
    themselves on the portal (which has authenticated them). Logs
    `beneficiaries.consent.recorded`."""
    if actor is not None:
        _require(permissions.can_edit_registry(actor))
        _require_scope(actor, beneficiary)
    consent = Consent(
        beneficiary=beneficiary,
        notice=notice,
        channel=channel,
        acknowledged_at=acknowledged_at or timezone.now(),
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    log_action(
        actor=actor,
        action="beneficiaries.consent.recorded",
        target=consent,
        subject=beneficiary,
        data={"version": notice.version, "channel": channel.name_ar, "channel_en": channel.name_en},
    )
    return consent


@transaction.atomic
def contact_preferences_set(
    *,
    actor,
    beneficiary: Beneficiary,
    accepts_surveys: bool | None = None,
    accepts_outreach: bool | None = None,
) -> Beneficiary:
    """The person's own choice to stop (or resume) surveys or outreach messages, from a link
    in a message or the portal (`actor` None: the person, authenticated by the link or the
    portal session), or recorded by staff from a call. A withdrawal takes effect for every
    message not yet sent. Logs `beneficiaries.preferences.changed` on the file."""
    if actor is not None:
        _require(permissions.can_edit_registry(actor))
        _require_scope(actor, beneficiary)
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    changes = {
        field: value
        for field, value in (
            ("accepts_surveys", accepts_surveys),
            ("accepts_outreach", accepts_outreach),
        )
        if value is not None and getattr(beneficiary, field) != value
    }
    if not changes:
        return beneficiary
    for field, value in changes.items():
        setattr(beneficiary, field, value)
    beneficiary.save(update_fields=[*changes, "updated_at"])
    log_action(
        actor=actor,
        action="beneficiaries.preferences.changed",
        target=beneficiary,
        data=both_languages("fields", _PreferenceChanges(changes)) | changes,
    )
    return beneficiary


class _PreferenceChanges:
    """ "accepts surveys: no" in the language active when it is turned into text."""

    def __init__(self, changes: dict[str, bool]) -> None:
        self.changes = changes

    def __str__(self) -> str:
        from django.utils.translation import gettext

        return gettext(", ").join(
            f"{Beneficiary._meta.get_field(field).verbose_name}: "
            + (gettext("yes") if value else gettext("no"))
            for field, value in self.changes.items()
        )
