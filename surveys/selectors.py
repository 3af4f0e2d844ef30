"""Reads for the person's side of surveys (the portal) and for staff filling in answers."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from beneficiaries.models import Beneficiary
from surveys.models import Invitation, InvitationStatus

OPEN = (InvitationStatus.SENT, InvitationStatus.PENDING)


def open_invitations(beneficiary: Beneficiary) -> list[Invitation]:
    """The person's invitations they can still answer, newest first (the portal's list)."""
    now = timezone.now()
    return list(
        Invitation.objects.filter(
            beneficiary=beneficiary,
            status__in=OPEN,
            send_after__lte=now,
            expires_at__gt=now,
        )
        .select_related("version__survey")
        .order_by("-event_at")
    )


def person_invitation(beneficiary: Beneficiary, public_id) -> Invitation:
    """One of the person's own open invitations, or 404."""
    now = timezone.now()
    invitation = (
        Invitation.objects.filter(
            beneficiary=beneficiary,
            public_id=public_id,
            status__in=OPEN,
            send_after__lte=now,
            expires_at__gt=now,
        )
        .select_related("version__survey")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def invitations_for(user) -> QuerySet[Invitation]:
    """Invitations staff may fill in for a person during a call: their branch's, or all."""
    from surveys.permissions import can_record_answers

    if not can_record_answers(user):
        return Invitation.objects.none()
    qs = Invitation.objects.select_related("beneficiary", "version__survey", "branch")
    if user.branch_id:
        qs = qs.filter(branch_id=user.branch_id)
    return qs


def invitation_get(user, public_id) -> Invitation:
    invitation = invitations_for(user).filter(public_id=public_id).first()
    if invitation is None:
        raise Http404
    return invitation
