"""Enrolment and service (policy P6.6–P6.7): an approved request becomes an enrolment with a
schedule, and each delivery of aid is recorded against it. What is delivered can never exceed
what the committee decided: deliveries lock the enrolment row and count what is already there.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import Role
from assistance.models import (
    Delivery,
    DeliveryMethod,
    Enrolment,
    Outcome,
    Status,
    SupportRequest,
)
from assistance.services import _lock, _log, _move
from core.files import inspect_upload
from core.validators import validate_saudi_iban


def can_deliver(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in {Role.SERVICE_OFFICER, Role.MANAGER, Role.ADMIN}
    )


def can_enrol(user) -> bool:
    return permissions.can_edit_registry(user) or can_deliver(user)


@transaction.atomic
def enrolment_create(*, actor, request: SupportRequest, starts_on: date) -> Enrolment:
    """Register the approved request for service with the committee's amount and period
    (P6.6). Logs `assistance.request.enrolled`."""
    if not can_enrol(actor):
        raise PermissionDenied
    if actor.branch_id and request.branch_id != actor.branch_id:
        raise PermissionDenied
    request = _lock(request)
    decision = request.agenda_items.filter(outcome=Outcome.APPROVED).order_by("-decided_at").first()
    if decision is None:
        raise ValidationError(_("There is no approval to enrol."))
    _move(request, Status.ENROLLED)
    enrolment = Enrolment(
        request=request,
        decision=decision,
        aid_type=decision.aid_type,
        amount_per_instalment=decision.amount,
        instalments=decision.months,
        starts_on=starts_on,
        enrolled_by=actor,
    )
    enrolment.full_clean()
    enrolment.save()
    request.save()
    _log(actor, "assistance.request.enrolled", request, target=enrolment)
    return enrolment


@transaction.atomic
def delivery_record(
    *,
    actor,
    enrolment: Enrolment,
    method: str,
    delivered_on: date,
    amount: Decimal | None = None,
    transfer_reference: str = "",
    voucher_code: str = "",
    receipt=None,
) -> Delivery:
    """Record one delivery (P6.7). The first moves the request into service; the last closes
    it. Logs `assistance.delivery.recorded`."""
    if not can_deliver(actor):
        raise PermissionDenied
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("request__beneficiary")
        .get(pk=enrolment.pk)
    )
    request = _lock(enrolment.request)
    if actor.branch_id and request.branch_id != actor.branch_id:
        raise PermissionDenied
    if request.status not in (Status.ENROLLED, Status.IN_SERVICE):
        raise ValidationError(_("Deliveries are recorded for an enrolled request."))
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("A delivery cannot be dated in the future.")})
    done = enrolment.deliveries.aggregate(total=Sum("amount"))
    count = enrolment.deliveries.count()
    if count >= enrolment.instalments:
        raise ValidationError(_("Every instalment of this decision has been delivered."))
    if enrolment.amount_per_instalment is not None:
        if amount is None:
            raise ValidationError({"amount": _("Enter the amount delivered.")})
        delivered = done["total"] or Decimal(0)
        if delivered + amount > enrolment.total:
            raise ValidationError(
                {
                    "amount": _(
                        "This would deliver %(total)s SAR, more than the %(limit)s SAR decided."
                    )
                    % {"total": delivered + amount, "limit": enrolment.total}
                }
            )
    elif amount is not None:
        raise ValidationError({"amount": _("This aid was decided without an amount.")})
    delivery = Delivery(
        enrolment=enrolment,
        number=count + 1,
        method=method,
        amount=amount,
        transfer_reference=transfer_reference.strip(),
        voucher_code=voucher_code.strip(),
        delivered_on=delivered_on,
        recorded_by=actor,
    )
    if method == DeliveryMethod.BANK_TRANSFER:
        iban = request.beneficiary.iban
        if not iban:
            raise ValidationError(_("The beneficiary has no IBAN on file."))
        delivery.iban = validate_saudi_iban(iban)
    if method == DeliveryMethod.IN_KIND:
        if receipt is None:
            raise ValidationError({"receipt": _("Upload the receipt signed by the beneficiary.")})
        try:
            info = inspect_upload(receipt)
        except ValidationError as exc:
            raise ValidationError({"receipt": exc.messages}) from exc
        delivery.receipt.save(f"{delivery.public_id.hex}.{info.extension}", receipt, save=False)
    try:
        delivery.full_clean()
    except ValidationError:
        if delivery.receipt:
            delivery.receipt.delete(save=False)
        raise
    delivery.save()
    if request.status == Status.ENROLLED:
        _move(request, Status.IN_SERVICE)
    if count + 1 == enrolment.instalments:
        _move(request, Status.CLOSED)
    request.save()
    _log(
        actor,
        "assistance.delivery.recorded",
        request,
        {"number": delivery.number, "of": enrolment.instalments},
        target=delivery,
    )
    return delivery
