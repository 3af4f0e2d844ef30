"""The closed loop (P3.7.5): what the quality officer does with a low score, and the
improvement actions the organisation takes because of what beneficiaries said.

A follow-up is opened by `surveys.services.response_submit` when a score is low. Here it is
taken or given to someone, the person is called back (only where they gave their name: an
anonymous answer has nobody to call), and it is closed with what was done, perhaps linked to
an improvement action. An improvement action moves planned → in progress → done (with its
result) or cancelled (with the reason).

Reads (`follow_ups_for`, `actions_for`…) are scoped: a user tied to a branch sees the
follow-ups of that branch's answers only. Every write checks the permission, locks the row,
runs in one transaction and logs a `surveys.follow_up.*` or `surveys.action.*` action
(sentences in `surveys.activity`); nobody is notified.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.activity import log_action
from surveys import permissions
from surveys.models import ActionStatus, FollowUp, FollowUpStatus, ImprovementAction

OPEN_FOLLOW_UP = (FollowUpStatus.OPEN, FollowUpStatus.CONTACTED)
OPEN_ACTION = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
ACTION_FIELDS = ("title", "description", "event", "owner", "due_on")

# Where an action may go from each status.
_ACTION_MOVES = {
    ActionStatus.PLANNED: {ActionStatus.IN_PROGRESS, ActionStatus.CANCELLED},
    ActionStatus.IN_PROGRESS: {ActionStatus.DONE, ActionStatus.CANCELLED},
    ActionStatus.DONE: set(),
    ActionStatus.CANCELLED: set(),
}


# --- Reads --------------------------------------------------------------------------------


def follow_ups_for(user) -> QuerySet[FollowUp]:
    """Follow-ups the user may handle: all, or their branch's for a user tied to one. Open
    ones first (open, then contacted), then by due date."""
    if not permissions.can_handle_follow_ups(user):
        return FollowUp.objects.none()
    qs = FollowUp.objects.select_related(
        "response__branch",
        "response__aid_type",
        "response__service_channel",
        "owner",
        "action",
    )
    if user.branch_id:
        qs = qs.filter(response__branch_id=user.branch_id)
    return qs.annotate(
        open_rank=Case(
            When(status=FollowUpStatus.OPEN, then=Value(0)),
            When(status=FollowUpStatus.CONTACTED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("open_rank", "due_on", "id")


def follow_up_get(user, public_id) -> FollowUp:
    follow_up = (
        follow_ups_for(user)
        .select_related("response__invitation__beneficiary", "closed_by")
        .filter(public_id=public_id)
        .first()
    )
    if follow_up is None:
        raise Http404
    return follow_up


def actions_for(user) -> QuerySet[ImprovementAction]:
    """Improvement actions (organisation-wide), those still to do first, then by due date."""
    if not permissions.can_manage_actions(user):
        return ImprovementAction.objects.none()
    return (
        ImprovementAction.objects.select_related("owner")
        .annotate(
            open_rank=Case(
                When(status=ActionStatus.IN_PROGRESS, then=Value(0)),
                When(status=ActionStatus.PLANNED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("open_rank", "due_on", "id")
    )


def action_get(user, public_id) -> ImprovementAction:
    action = actions_for(user).filter(public_id=public_id).first()
    if action is None:
        raise Http404
    return action


def follow_up_is_overdue(follow_up: FollowUp, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return follow_up.status in OPEN_FOLLOW_UP and follow_up.due_on < today


def action_is_overdue(action: ImprovementAction, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return action.status in OPEN_ACTION and action.due_on < today


def handlers():
    """Who a follow-up may be given to: active quality officers, managers and admins."""
    return (
        get_user_model()
        .objects.filter(is_active=True, role__in=permissions.QUALITY_ROLES)
        .order_by("full_name", "username")
    )


def action_owners():
    """Who may own an improvement action: any active staff member with a role."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(role="")
        .order_by("full_name", "username")
    )


# --- Follow-ups ---------------------------------------------------------------------------


def _require_handler(actor) -> None:
    if not permissions.can_handle_follow_ups(actor):
        raise PermissionDenied


def _locked_follow_up(actor, follow_up: FollowUp) -> FollowUp:
    """The follow-up row, locked, within the actor's scope (404 outside it)."""
    locked = (
        FollowUp.objects.select_for_update()
        .filter(pk__in=follow_ups_for(actor).filter(pk=follow_up.pk).values("pk"))
        .first()
    )
    if locked is None:
        raise Http404
    return locked


def _refuse_closed(follow_up: FollowUp) -> None:
    if follow_up.status == FollowUpStatus.CLOSED:
        raise ValidationError(_("This follow-up is closed."), code="closed")


@transaction.atomic
def follow_up_assign(*, actor, follow_up: FollowUp, owner) -> FollowUp:
    """Take a follow-up (owner = the actor) or give it to another quality officer, manager or
    administrator. Logs `surveys.follow_up.assigned`."""
    _require_handler(actor)
    follow_up = _locked_follow_up(actor, follow_up)
    _refuse_closed(follow_up)
    if owner is None or not permissions.can_handle_follow_ups(owner):
        raise ValidationError(
            {"owner": _("Give the follow-up to a quality officer, a manager or an administrator.")},
            code="owner",
        )
    if follow_up.owner_id == owner.pk:
        return follow_up
    follow_up.owner = owner
    follow_up.full_clean()
    follow_up.save(update_fields=["owner", "updated_at"])
    log_action(
        actor=actor,
        action="surveys.follow_up.assigned",
        target=follow_up,
        data={"owner": owner.display_name},
    )
    return follow_up


@transaction.atomic
def follow_up_contacted(*, actor, follow_up: FollowUp, note: str) -> FollowUp:
    """Record that the person was called back, with what they said (required). Only for an
    answer given with the person's name: an anonymous one has nobody to call. The note is kept
    in the follow-up's history. Logs `surveys.follow_up.contacted`."""
    _require_handler(actor)
    follow_up = _locked_follow_up(actor, follow_up)
    _refuse_closed(follow_up)
    if follow_up.response.invitation_id is None:
        raise ValidationError(
            _("This answer was given anonymously: there is nobody to contact."),
            code="anonymous",
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write what the person said.")}, code="note")
    follow_up.status = FollowUpStatus.CONTACTED
    if follow_up.owner_id is None:
        follow_up.owner = actor
    follow_up.full_clean()
    follow_up.save(update_fields=["status", "owner", "updated_at"])
    log_action(
        actor=actor,
        action="surveys.follow_up.contacted",
        target=follow_up,
        data={"note": note[:2000]},
    )
    return follow_up


@transaction.atomic
def follow_up_close(
    *, actor, follow_up: FollowUp, outcome: str, action: ImprovementAction | None = None
) -> FollowUp:
    """Close with what was done (required), optionally linking an improvement action. Logs
    `surveys.follow_up.closed` (and `.linked`)."""
    _require_handler(actor)
    follow_up = _locked_follow_up(actor, follow_up)
    _refuse_closed(follow_up)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Write what was done.")}, code="outcome")
    if action is not None and action.pk != follow_up.action_id:
        _link(actor, follow_up, action)
    follow_up.status = FollowUpStatus.CLOSED
    follow_up.outcome = outcome
    follow_up.closed_at = timezone.now()
    follow_up.closed_by = actor
    if follow_up.owner_id is None:
        follow_up.owner = actor
    follow_up.full_clean()
    follow_up.save()
    log_action(
        actor=actor,
        action="surveys.follow_up.closed",
        target=follow_up,
        data={"outcome": outcome[:2000]},
    )
    return follow_up


def _link(actor, follow_up: FollowUp, action: ImprovementAction) -> None:
    if not permissions.can_manage_actions(actor):
        raise PermissionDenied
    follow_up.action = action
    log_action(
        actor=actor,
        action="surveys.follow_up.linked",
        target=follow_up,
        data={"title": action.title, "action": str(action.public_id)},
    )


@transaction.atomic
def follow_up_link_action(
    *, actor, follow_up: FollowUp, action: ImprovementAction | None
) -> FollowUp:
    """Link a follow-up (open or closed) to the improvement action it led to, or unlink it
    (None). Logs `surveys.follow_up.linked` or `.unlinked`."""
    _require_handler(actor)
    follow_up = _locked_follow_up(actor, follow_up)
    if action is None:
        if follow_up.action_id is None:
            return follow_up
        follow_up.action = None
        log_action(actor=actor, action="surveys.follow_up.unlinked", target=follow_up)
    elif action.pk != follow_up.action_id:
        _link(actor, follow_up, action)
    else:
        return follow_up
    follow_up.save(update_fields=["action", "updated_at"])
    return follow_up


# --- Improvement actions ------------------------------------------------------------------


def _require_actions(actor) -> None:
    if not permissions.can_manage_actions(actor):
        raise PermissionDenied


def _clean_action_fields(fields: dict) -> dict:
    data = {k: fields[k] for k in ACTION_FIELDS if k in fields}
    for name in ("title", "description"):
        if name in data:
            data[name] = (data[name] or "").strip()
    owner = data.get("owner")
    if "owner" in data and (owner is None or not permissions.is_staff_member(owner)):
        raise ValidationError(
            {"owner": _("Choose an active staff member to own the action.")}, code="owner"
        )
    return data


@transaction.atomic
def action_create(*, actor, **fields) -> ImprovementAction:
    """A planned improvement action (title, description, stage, owner, due date). Logs
    `surveys.action.created`."""
    _require_actions(actor)
    data = _clean_action_fields(fields)
    action = ImprovementAction(created_by=actor, **data)
    action.full_clean()
    action.save()
    log_action(
        actor=actor,
        action="surveys.action.created",
        target=action,
        data={"title": action.title, "owner": action.owner.display_name},
    )
    return action


@transaction.atomic
def action_update(*, actor, action: ImprovementAction, **fields) -> ImprovementAction:
    """Edit an action that is still planned or in progress. Logs `surveys.action.updated`
    with the changed fields."""
    _require_actions(actor)
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if action.status not in OPEN_ACTION:
        raise ValidationError(
            _("A finished or cancelled action is no longer edited."), code="finished"
        )
    data = _clean_action_fields(fields)
    changed = [name for name, value in data.items() if getattr(action, name) != value]
    if not changed:
        return action
    for name in changed:
        setattr(action, name, data[name])
    action.full_clean()
    action.save()
    log_action(
        actor=actor,
        action="surveys.action.updated",
        target=action,
        data={"title": action.title, "fields": changed},
    )
    return action


@transaction.atomic
def action_set_status(
    *, actor, action: ImprovementAction, status: str, result: str = ""
) -> ImprovementAction:
    """Start (planned → in progress), complete (in progress → done, with its result) or
    cancel (with the reason) an action. Logs `surveys.action.started`, `.done` or
    `.cancelled`."""
    _require_actions(actor)
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if status not in _ACTION_MOVES.get(action.status, set()):
        raise ValidationError(
            _("This action cannot move from «%(from)s» to that status.")
            % {"from": action.get_status_display()},
            code="status",
        )
    result = (result or "").strip()
    if status == ActionStatus.DONE and not result:
        raise ValidationError({"result": _("Write what the action achieved.")}, code="result")
    if status == ActionStatus.CANCELLED and not result:
        raise ValidationError({"result": _("Write why the action is cancelled.")}, code="result")
    action.status = status
    if result:
        action.result = result
    if status == ActionStatus.DONE:
        action.done_at = timezone.now()
    action.full_clean()
    action.save()
    code = {
        ActionStatus.IN_PROGRESS: "started",
        ActionStatus.DONE: "done",
        ActionStatus.CANCELLED: "cancelled",
    }[status]
    log_action(
        actor=actor,
        action=f"surveys.action.{code}",
        target=action,
        data={"title": action.title, "result": result[:2000]},
    )
    return action
