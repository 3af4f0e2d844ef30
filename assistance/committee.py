"""The research committee (policy P6.5): meetings, the agenda, votes, recusals and decisions.

Votes are insert-only. A decision takes effect the moment the votes cast meet the meeting's
quorum and rule; it moves the request to approved, rejected or deferred and tells the
applicant by SMS. Every function here is a service: permission, row lock, audit row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import Role
from assistance.models import (
    AgendaItem,
    Appeal,
    AssistancePolicy,
    DecisionRule,
    Meeting,
    MeetingMember,
    MemberRole,
    Outcome,
    Recusal,
    RejectionReason,
    Status,
    SupportRequest,
    Vote,
    VoteChoice,
)
from assistance.services import _authorise, _lock, _log, _move, _sms
from core.activity import log_action
from core.hijri import format_dual

OUTCOME_STATUS = {
    Outcome.APPROVED: Status.APPROVED,
    Outcome.REJECTED: Status.REJECTED,
    Outcome.DEFERRED: Status.DEFERRED,
}
CHOICE_OUTCOME = {
    VoteChoice.APPROVE: Outcome.APPROVED,
    VoteChoice.REJECT: Outcome.REJECTED,
    VoteChoice.DEFER: Outcome.DEFERRED,
}


def can_organise(user) -> bool:
    """Managers organise meetings; so does a committee member acting as secretary."""
    return permissions.can_manage_configuration(user) or (
        getattr(user, "is_authenticated", False) and user.role == Role.COMMITTEE_MEMBER
    )


def _require_organiser(actor, meeting: Meeting | None = None) -> None:
    if permissions.can_manage_configuration(actor):
        return
    if (
        meeting is not None
        and meeting.members.filter(
            user=actor, role__in=[MemberRole.CHAIR, MemberRole.SECRETARY]
        ).exists()
    ):
        return
    if meeting is None and can_organise(actor):
        return
    raise PermissionDenied


@transaction.atomic
def meeting_create(
    *,
    actor,
    number: str,
    day: date,
    quorum: int,
    rule: str,
    chair,
    secretary=None,
    members: Iterable = (),
    location: str = "",
) -> Meeting:
    """Schedule a meeting with its members. Logs `assistance.meeting.created`."""
    _require_organiser(actor)
    meeting = Meeting(
        number=number, date=day, quorum=quorum, rule=rule, location=location, created_by=actor
    )
    meeting.full_clean()
    meeting.save()
    seats = {chair.pk: (chair, MemberRole.CHAIR)}
    if secretary is not None and secretary.pk not in seats:
        seats[secretary.pk] = (secretary, MemberRole.SECRETARY)
    for user in members:
        seats.setdefault(user.pk, (user, MemberRole.MEMBER))
    for user, role in seats.values():
        if user.role != Role.COMMITTEE_MEMBER or not user.is_active:
            raise ValidationError(
                {"members": _("%(name)s is not a committee member.") % {"name": user.display_name}}
            )
        MeetingMember.objects.create(meeting=meeting, user=user, role=role)
    if len(seats) < quorum:
        raise ValidationError({"quorum": _("The quorum is larger than the number of members.")})
    log_action(
        actor=actor, action="assistance.meeting.created", target=meeting, data={"number": number}
    )
    return meeting


def _open(meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.closed_at:
        raise ValidationError(_("The meeting is closed."))
    return meeting


@transaction.atomic
def agenda_add(*, actor, meeting: Meeting, request: SupportRequest) -> AgendaItem:
    """Put a researched request on the agenda, with the researcher's recommendation as the
    proposal. The request moves to the committee. Logs `assistance.request.in_committee`."""
    _require_organiser(actor, meeting)
    meeting = _open(meeting)
    request = _lock(request)
    if actor.branch_id and request.branch_id != actor.branch_id:
        raise PermissionDenied
    _move(request, Status.IN_COMMITTEE)
    research = request.researches.filter(completed_at__isnull=False).first()
    if research is None:
        raise ValidationError(_("The request has no completed research."))
    item = AgendaItem(
        meeting=meeting,
        request=request,
        position=meeting.agenda.count() + 1,
        aid_type=research.recommended_aid_type,
        amount=research.recommended_amount,
        months=research.recommended_months or 1,
    )
    item.full_clean()
    item.save()
    request.save()
    _log(
        actor, "assistance.request.in_committee", request, {"meeting": meeting.number}, target=item
    )
    return item


def _member(meeting: Meeting, user) -> MeetingMember:
    member = meeting.members.filter(user=user).first()
    if member is None:
        raise ValidationError(_("Only the meeting's members vote."))
    return member


def eligible_voters(item: AgendaItem) -> set[int]:
    members = set(item.meeting.members.values_list("user_id", flat=True))
    recused = set(item.recusals.values_list("member_id", flat=True))
    return members - recused


def tally(item: AgendaItem) -> tuple[str, dict]:
    """The outcome the votes cast so far give under the meeting's quorum and rule."""
    return count_votes(item.meeting, eligible_voters(item), list(item.votes.all()))


def count_votes(meeting: Meeting, voters: set[int], votes: Iterable) -> tuple[str, dict]:
    """The rule itself, on rows already loaded: `votes` are `Vote`s or anything with their
    `voter_id` and `choice` (the agenda page counts 200 items from `selectors.Ballot`s)."""
    votes = [v for v in votes if v.voter_id in voters]
    counts = Counter(v.choice for v in votes)
    summary = {"voters": len(voters), "cast": len(votes), "counts": dict(counts)}
    if len(voters) < meeting.quorum or len(votes) < meeting.quorum:
        return Outcome.PENDING, summary
    if meeting.rule == DecisionRule.UNANIMITY:
        if len(votes) == len(voters) and len(counts) == 1:
            return CHOICE_OUTCOME[next(iter(counts))], summary
        return Outcome.PENDING, summary
    # Majority: more than half of the members entitled to vote on this item.
    for choice, n in counts.items():
        if n * 2 > len(voters):
            return CHOICE_OUTCOME[choice], summary
    return Outcome.PENDING, summary


@transaction.atomic
def vote_cast(
    *,
    actor,
    item: AgendaItem,
    choice: str,
    reasons: Iterable[RejectionReason] = (),
    note: str = "",
) -> Vote:
    """A member votes on an item. The item's row lock makes simultaneous votes count one after
    the other, so the decision is taken exactly once. Logs `assistance.vote.cast`."""
    item = (
        AgendaItem.objects.select_for_update().select_related("meeting", "request").get(pk=item.pk)
    )
    meeting = item.meeting
    if meeting.closed_at:
        raise ValidationError(_("The meeting is closed: no more votes."))
    _member(meeting, actor)
    if item.outcome != Outcome.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if item.recusals.filter(member=actor).exists():
        raise ValidationError(_("You stood aside from this request."))
    if item.votes.filter(voter=actor).exists():
        raise ValidationError(_("You have already voted; a vote cannot be changed."))
    reasons = list(reasons)
    if choice == VoteChoice.REJECT and not (reasons or note.strip()):
        raise ValidationError({"reasons": _("Give the reasons for rejecting.")})
    if choice == VoteChoice.DEFER and not note.strip():
        raise ValidationError({"note": _("Say what is needed before deciding.")})
    vote = Vote(item=item, voter=actor, choice=choice, note=note.strip())
    vote.full_clean()
    vote.save()
    vote.reasons.set(reasons)
    log_action(
        actor=actor,
        action="assistance.vote.cast",
        target=vote,
        subject=item.request.beneficiary,
        data={"request": str(item.request.public_id), "reference": item.request.reference},
    )
    _decide_if_ready(actor, item)
    return vote


@transaction.atomic
def recuse(*, actor, item: AgendaItem, reason: str) -> Recusal:
    """A member stands aside for a conflict of interest (before voting on the item)."""
    item = (
        AgendaItem.objects.select_for_update().select_related("meeting", "request").get(pk=item.pk)
    )
    if item.meeting.closed_at:
        raise ValidationError(_("The meeting is closed."))
    _member(item.meeting, actor)
    if item.votes.filter(voter=actor).exists():
        raise ValidationError(_("You have already voted on this request."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for standing aside.")})
    recusal, created = Recusal.objects.get_or_create(
        item=item, member=actor, defaults={"reason": reason.strip()}
    )
    if created:
        log_action(
            actor=actor,
            action="assistance.vote.recused",
            target=recusal,
            subject=item.request.beneficiary,
            data={"request": str(item.request.public_id), "reference": item.request.reference},
        )
        _decide_if_ready(actor, item)
    return recusal


def _decide_if_ready(actor, item: AgendaItem) -> None:
    outcome, _summary = tally(item)
    if outcome == Outcome.PENDING:
        return
    votes = list(item.votes.prefetch_related("reasons"))
    item.outcome = outcome
    item.decided_at = timezone.now()
    if outcome == Outcome.REJECTED:
        rejecting = [v for v in votes if v.choice == VoteChoice.REJECT]
        item.reason_text = "\n".join(v.note for v in rejecting if v.note)
        item.save()
        item.reasons.set({r for v in rejecting for r in v.reasons.all()})
    elif outcome == Outcome.DEFERRED:
        item.deferred_need = "\n".join(v.note for v in votes if v.choice == VoteChoice.DEFER)
        item.save()
    else:
        item.save()
    request = _lock(item.request)
    _move(request, OUTCOME_STATUS[outcome])
    request.save()
    _log(
        actor,
        f"assistance.request.{outcome}",
        request,
        {"meeting": item.meeting.number},
        target=item,
    )
    _sms(request, "request.decided", f"request.decided:{item.pk}")


@transaction.atomic
def proposal_update(
    *, actor, item: AgendaItem, aid_type, amount: Decimal | None, months: int
) -> AgendaItem:
    """The chair or secretary adjusts the proposal before anyone has voted on it."""
    _require_organiser(actor, item.meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.votes.exists() or item.outcome != Outcome.PENDING:
        raise ValidationError(_("Votes have been cast: the proposal can no longer change."))
    item.aid_type, item.amount, item.months = aid_type, amount, months
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def meeting_close(*, actor, meeting: Meeting) -> Meeting:
    """Close the meeting. Requests not decided are deferred to a later meeting."""
    _require_organiser(actor, meeting)
    meeting = _open(meeting)
    for item in meeting.agenda.filter(outcome=Outcome.PENDING).select_related("request"):
        item.outcome = Outcome.DEFERRED
        item.deferred_need = _("Not decided in this meeting.")
        item.decided_at = timezone.now()
        item.save()
        request = _lock(item.request)
        _move(request, Status.DEFERRED)
        request.save()
        _log(
            actor, "assistance.request.deferred", request, {"meeting": meeting.number}, target=item
        )
    meeting.closed_at = timezone.now()
    meeting.save()
    log_action(
        actor=actor,
        action="assistance.meeting.closed",
        target=meeting,
        data={"number": meeting.number},
    )
    return meeting


# --- Appeal ---------------------------------------------------------------------------------


@transaction.atomic
def appeal_lodge(
    *, actor, request: SupportRequest, grounds: str, channel, beneficiary=None
) -> Appeal:
    """A rejected applicant appeals within the window, once; the request goes back to the
    committee (through a meeting's agenda) with its whole history. Recorded by staff, or lodged
    by the applicant on the portal (`actor` None, `beneficiary` the signed-in applicant).
    Logs `assistance.request.appealed`."""
    data = _authorise(actor, request, beneficiary)
    request = _lock(request)
    if not grounds.strip():
        raise ValidationError({"grounds": _("Write the grounds of the appeal.")})
    window = appeal_window(request)
    if window is None:
        if request.status == Status.REJECTED and request.appeals.exists():
            raise ValidationError(_("This request has already been appealed."))
        raise ValidationError(_("Only a rejected request can be appealed."))
    if timezone.localdate() > window:
        raise ValidationError(
            _("The appeal window closed on %(date)s.") % {"date": format_dual(window)}
        )
    _move(request, Status.APPEALED)
    request.save()
    appeal = Appeal(request=request, grounds=grounds.strip(), channel=channel, recorded_by=actor)
    appeal.full_clean()
    appeal.save()
    _log(actor, "assistance.request.appealed", request, data, target=appeal)
    return appeal


def appeal_window(request: SupportRequest, *, days: int | None = None) -> date | None:
    """The last day the request may be appealed (perhaps passed already), or None when it
    cannot be: it is not rejected, or it has been appealed already (the decision on an appeal
    is final). Reads the request's appeals and agenda through `.all()`, so a list that
    prefetched them asks nothing more; `days` is the policy's window when the caller has it."""
    if request.status != Status.REJECTED or list(request.appeals.all()):
        return None
    decided = [
        item.decided_at
        for item in request.agenda_items.all()
        if item.outcome == Outcome.REJECTED and item.decided_at
    ]
    if not decided:
        return None
    if days is None:
        days = AssistancePolicy.current().appeal_window_days
    return timezone.localtime(max(decided)).date() + timedelta(days=days)


def appeal_open_until(request: SupportRequest, *, days: int | None = None) -> date | None:
    """The last day to appeal while the window is open today; None otherwise."""
    last_day = appeal_window(request, days=days)
    return last_day if last_day is not None and last_day >= timezone.localdate() else None


def decision_letter_opened(*, actor, item: AgendaItem, beneficiary=None) -> None:
    """Each download of a decision letter is logged (it names the applicant and the decision):
    `assistance.decision.letter_downloaded`."""
    data = _authorise(actor, item.request, beneficiary, permissions.can_view_registry)
    _log(
        actor,
        "assistance.decision.letter_downloaded",
        item.request,
        {"meeting": item.meeting.number} | data,
        target=item,
    )


@transaction.atomic
def request_close(*, actor, request: SupportRequest) -> SupportRequest:
    """Close a rejected request (no appeal) or one whose service is complete."""
    if not permissions.can_edit_registry(actor):
        raise PermissionDenied
    request = _lock(request)
    _move(request, Status.CLOSED)
    request.save()
    _log(actor, "assistance.request.closed", request)
    return request
