"""Reads of support requests, scoped like the registry: a branch-bound user sees their
branch's requests; roles that may not read the registry see none."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from assistance import checks
from assistance.committee import count_votes
from assistance.models import (
    AWAITING_DECISION,
    AgendaItem,
    AidType,
    Attestation,
    Delivery,
    HomeVisit,
    Meeting,
    Outcome,
    Recusal,
    Status,
    SupportRequest,
    VisitStatus,
    Vote,
    VoteChoice,
)
from beneficiaries.models import PrivacyNotice
from core import activity
from core.hijri import format_dual
from core.models import ActivityLog


def requests_for(user) -> QuerySet[SupportRequest]:
    if not permissions.can_view_registry(user):
        return SupportRequest.objects.none()
    qs = SupportRequest.objects.all()
    if user.branch_id:
        qs = qs.filter(branch_id=user.branch_id)
    return qs


def request_get(user, public_id) -> SupportRequest:
    try:
        return (
            requests_for(user)
            .select_related(
                "beneficiary", "beneficiary__city", "branch", "channel", "created_by", "owner"
            )
            .get(public_id=public_id)
        )
    except (SupportRequest.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def request_queue(
    user, *, status: str = "", overdue: bool = False, mine: bool = False
) -> QuerySet[SupportRequest]:
    qs = requests_for(user).select_related("beneficiary", "branch", "owner")
    if mine:
        # Mine: what I own, or what is referred to me for research and not yet reported.
        from django.db.models import Q

        qs = qs.filter(
            Q(owner=user) | Q(researches__researcher=user, researches__completed_at__isnull=True)
        ).distinct()
    if status in Status.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(
            status__in=AWAITING_DECISION, expected_decision_date__lt=timezone.localdate()
        )
    return qs.prefetch_related("aid_types")


def request_detail(user, request: SupportRequest) -> dict:
    """Everything the request page shows, including the pre-check and what blocks submission."""
    b = request.beneficiary
    today = timezone.localdate()
    members = list(b.members.all())
    incomes = list(b.incomes.all())
    obligations = list(b.obligations.all())
    categories = list(b.categories.all())
    aid_types = list(request.aid_types.all())
    checklist = list(
        request.checklist.select_related("doc_type", "member", "document", "document__doc_type")
    )
    attestation = Attestation.objects.filter(request=request).select_related("declaration").first()
    notice = PrivacyNotice.objects.order_by("-effective_from").first()
    has_consent = bool(notice and b.consents.filter(notice=notice).exists())
    context = {
        "request_obj": request,
        "beneficiary": b,
        "aid_types": aid_types,
        "checklist": checklist,
        "attestation": attestation,
        "members": members,
        "timeline": [
            e
            for e in activity.entries_for(b, limit=100)
            if (e.data or {}).get("request") == str(request.public_id)
        ],
        "eligibility": checks.eligibility(
            request,
            on=today,
            members=members,
            incomes=incomes,
            obligations=obligations,
            categories=categories,
            aid_types=aid_types,
        ),
    }
    if request.status == Status.DRAFT:
        context["problems"] = checks.submission_problems(
            request,
            on=today,
            members=members,
            incomes=incomes,
            checklist=checklist,
            aid_types=aid_types,
            has_consent=has_consent,
            has_attestation=attestation is not None,
        )
    context["info_requests"] = list(request.info_requests.select_related("asked_by"))
    context["appeals"] = list(request.appeals.select_related("channel", "recorded_by"))
    enrolled = getattr(request, "enrolment", None)
    context["enrolment"] = enrolled
    context["deliveries"] = (
        list(enrolled.deliveries.select_related("recorded_by")) if enrolled else []
    )
    context["decisions"] = list(
        request.agenda_items.exclude(outcome="pending")
        .select_related("meeting", "aid_type")
        .prefetch_related("reasons")
        .order_by("-decided_at")
    )
    research = request.researches.select_related("researcher", "recommended_aid_type").first()
    context["research"] = research
    context["visits"] = list(research.visits.all()) if research else []
    documents = list(b.documents.select_related("doc_type", "member"))
    for item in checklist:
        item.candidates = [
            d
            for d in documents
            if d.doc_type_id == item.doc_type_id and d.member_id == item.member_id
        ]
    return context


# --- The committee agenda -----------------------------------------------------------------


class Ballot(NamedTuple):
    """A vote as `committee.count_votes` reads it: who voted, and how."""

    voter_id: int
    choice: str


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """One line of a meeting's agenda, everything it shows already worked out.

    A meeting may carry 200 requests; a row built from one tuple of columns, with labels
    translated once per page, costs a fraction of four model instances, two prefetched
    querysets and the lookups and translations a template would make for each of them."""

    position: int
    request_id: uuid.UUID
    reference: str
    applicant: str
    aid_type: str
    amount: Decimal | None
    months: int
    cast: int
    voters: int
    outcome: str
    outcome_label: str
    my_vote: str  # the user's own vote as shown, "" if none
    awaits_my_vote: bool


_AGENDA_COLUMNS = (
    "pk",
    "position",
    "request__public_id",
    "request__reference",
    "request__beneficiary__first_name",
    "request__beneficiary__father_name",
    "request__beneficiary__grandfather_name",
    "request__beneficiary__family_name",
    "aid_type_id",
    "amount",
    "months",
    "outcome",
)


def agenda_rows(user, meeting: Meeting, member_ids: set[int]) -> list[AgendaRow]:
    """The agenda of `meeting` as `user` sees it, in four queries whatever its length.

    Branch-bound staff see only their branch's requests. `member_ids` are the meeting's
    members: the votes count against them, less those who stood aside on an item."""
    items = list(
        meeting.agenda.filter(request__in=requests_for(user)).values_list(*_AGENDA_COLUMNS)
    )
    # Votes and recusals of the whole meeting: two flat reads instead of two per item.
    ballots: dict[int, list[Ballot]] = defaultdict(list)
    for item_id, voter_id, choice in Vote.objects.filter(item__meeting=meeting).values_list(
        "item_id", "voter_id", "choice"
    ):
        ballots[item_id].append(Ballot(voter_id, choice))
    recused: dict[int, set[int]] = defaultdict(set)
    for item_id, member_id in Recusal.objects.filter(item__meeting=meeting).values_list(
        "item_id", "member_id"
    ):
        recused[item_id].add(member_id)
    # Labels worked out once per page: a dozen configured aid types, a few outcomes.
    aid_types = {aid_type.pk: str(aid_type) for aid_type in AidType.objects.all()}
    outcomes = {value: str(label) for value, label in Outcome.choices}
    choices = {value: str(label) for value, label in VoteChoice.choices}
    me = user.pk
    may_vote = meeting.is_open and me in member_ids

    rows = []
    for (
        pk,
        position,
        request_id,
        reference,
        *name,
        aid_type_id,
        amount,
        months,
        outcome,
    ) in items:
        voters = member_ids - recused[pk]
        votes = ballots[pk]
        _outcome, summary = count_votes(meeting, voters, votes)
        mine = next((b.choice for b in votes if b.voter_id == me), "")
        rows.append(
            AgendaRow(
                position=position,
                request_id=request_id,
                reference=reference,
                # As Beneficiary.full_name: the four-part name, empty parts left out.
                applicant=" ".join(part for part in name if part),
                aid_type=aid_types[aid_type_id],
                amount=amount,
                months=months,
                cast=summary["cast"],
                voters=summary["voters"],
                outcome=outcome,
                outcome_label=outcomes[outcome],
                my_vote=choices[mine] if mine else "",
                awaits_my_vote=may_vote
                and outcome == Outcome.PENDING
                and not mine
                and me not in recused[pk],
            )
        )
    return rows


def agenda_candidates(user, *, limit: int = 200) -> list[tuple[uuid.UUID, str]]:
    """The requests `user` may put on an agenda (researched, or deferred by a meeting), oldest
    submission first, each as (public id, "reference — applicant (status)") for a select."""
    statuses = {value: str(label) for value, label in Status.choices}
    rows = (
        requests_for(user)
        .filter(status__in=[Status.RESEARCHED, Status.DEFERRED])
        .order_by("submitted_at")
        .values_list(
            "public_id",
            "reference",
            "beneficiary__first_name",
            "beneficiary__father_name",
            "beneficiary__grandfather_name",
            "beneficiary__family_name",
            "status",
        )[:limit]
    )
    return [
        (public_id, f"{reference} — {' '.join(p for p in name if p)} ({statuses[status]})")
        for public_id, reference, *name, status in rows
    ]


# --- The applicant's own view, on the portal ------------------------------------------------
#
# The portal reads only through these, always with the signed-in beneficiary: another person's
# request is simply not found. What they return is written for the applicant, in plain words:
# never a staff member's name, an internal note, a vote or a research report.

APPLICANT_STATUS = {
    Status.DRAFT: _("Not sent yet"),
    Status.SUBMITTED: _("Received"),
    Status.VERIFYING: _("We are checking your documents"),
    Status.AWAITING_APPLICANT: _("Waiting for your answer"),
    Status.IN_RESEARCH: _("Social research"),
    Status.RESEARCHED: _("Waiting for the committee"),
    Status.IN_COMMITTEE: _("Before the committee"),
    Status.APPROVED: _("Approved"),
    Status.REJECTED: _("Not approved"),
    Status.DEFERRED: _("Decision postponed"),
    Status.APPEALED: _("Your appeal is being considered"),
    Status.ENROLLED: _("Registered for the aid"),
    Status.IN_SERVICE: _("Receiving the aid"),
    Status.CLOSED: _("Closed"),
    Status.WITHDRAWN: _("Withdrawn"),
    Status.CANCELLED: _("Cancelled"),
}


def applicant_status(status: str) -> str:
    return str(APPLICANT_STATUS.get(status, ""))


def is_resumable(support_request: SupportRequest) -> bool:
    """A draft the applicant opened on the portal, which they complete there (a draft opened at
    our desk is completed with the officer)."""
    return support_request.status == Status.DRAFT and support_request.created_by_id is None


def applicant_draft(beneficiary) -> SupportRequest | None:
    """The draft the beneficiary opened on the portal and has not sent yet (one at a time)."""
    return (
        SupportRequest.objects.filter(
            beneficiary=beneficiary, status=Status.DRAFT, created_by__isnull=True
        )
        .order_by("-created_at")
        .first()
    )


def applicant_requests(beneficiary) -> list[SupportRequest]:
    """The beneficiary's requests, newest first, each with `plain_status`, `open_info` (the
    question waiting for their answer, or None), `appeal_until` (the last day to appeal, or
    None) and `resumable`. A fixed number of queries however many requests there are."""
    from assistance.committee import appeal_open_until
    from assistance.models import Appeal, AssistancePolicy, InfoRequest

    requests = list(
        SupportRequest.objects.filter(beneficiary=beneficiary)
        .order_by("-created_at", "-id")
        .prefetch_related(
            "aid_types",
            Prefetch(
                "info_requests",
                queryset=InfoRequest.objects.filter(answered_at__isnull=True).only(
                    "id", "request_id", "what", "due_date", "answered_at"
                ),
                to_attr="open_info_list",
            ),
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.exclude(outcome=Outcome.PENDING).only(
                    "id", "request_id", "outcome", "decided_at"
                ),
            ),
            Prefetch("appeals", queryset=Appeal.objects.only("id", "request_id")),
        )
    )
    days = AssistancePolicy.current().appeal_window_days if requests else 0
    for r in requests:
        r.plain_status = applicant_status(r.status)
        r.open_info = r.open_info_list[0] if r.open_info_list else None
        r.appeal_until = appeal_open_until(r, days=days)
        r.resumable = is_resumable(r)
        r.awaiting_decision = bool(r.status in AWAITING_DECISION and r.expected_decision_date)
    return requests


def applicant_request(beneficiary, public_id) -> SupportRequest | None:
    """One of the beneficiary's requests by its public id; None for anyone else's."""
    try:
        return (
            SupportRequest.objects.select_related("branch")
            .filter(beneficiary=beneficiary, public_id=public_id)
            .first()
        )
    except (ValueError, ValidationError):
        return None


def applicant_request_detail(support_request: SupportRequest) -> dict:
    """What the applicant's request page shows besides the timeline: the question waiting for
    their answer, the committee's decisions (each with its letter), the appeal deadline and
    whether they may still withdraw."""
    from assistance.committee import appeal_open_until
    from assistance.services import CLOSABLE

    decisions = list(
        support_request.agenda_items.exclude(outcome=Outcome.PENDING)
        .select_related("meeting", "aid_type")
        .order_by("-decided_at")
    )
    return {
        "plain_status": applicant_status(support_request.status),
        "awaiting_decision": bool(
            support_request.status in AWAITING_DECISION and support_request.expected_decision_date
        ),
        "open_info": support_request.info_requests.filter(answered_at__isnull=True).first(),
        "decisions": [
            {
                "meeting_id": item.meeting.public_id,
                "outcome": item.outcome,
                "label": str(_DECISION_TITLES[item.outcome]),
                "when": item.decided_at,
            }
            for item in decisions
        ],
        "appeal_until": appeal_open_until(support_request),
        "can_withdraw": support_request.status in CLOSABLE,
        "resumable": is_resumable(support_request),
        "aid_types": list(support_request.aid_types.all()),
    }


def applicant_letter_item(support_request: SupportRequest, meeting_id):
    """The decided agenda item of `support_request` in the meeting `meeting_id`, or None."""
    try:
        return (
            support_request.agenda_items.exclude(outcome=Outcome.PENDING)
            .select_related("meeting", "aid_type", "request__beneficiary", "request__branch")
            .filter(meeting__public_id=meeting_id)
            .first()
        )
    except (ValueError, ValidationError):
        return None


def applicant_draft_review(support_request: SupportRequest) -> dict:
    """For the apply pages: the eligibility pre-check (advice, as staff see it: it never
    blocks), the document checklist with each item's state, and what still stops submission
    — the same checks as at the desk, less the signature the applicant is about to give."""
    from assistance.services import problems_for

    b = support_request.beneficiary
    today = timezone.localdate()
    checklist = list(
        support_request.checklist.select_related("doc_type", "member", "document__doc_type")
    )
    return {
        "eligibility": checks.eligibility(
            support_request,
            on=today,
            members=list(b.members.all()),
            incomes=list(b.incomes.all()),
            obligations=list(b.obligations.all()),
            categories=list(b.categories.all()),
            aid_types=list(support_request.aid_types.all()),
        ),
        "checklist": checklist,
        "problems": [p for p in problems_for(support_request, today) if p.section != "attestation"],
    }


# The applicant's story of a request -----------------------------------------------------------

_DECISION_TITLES = {
    Outcome.APPROVED: _("The committee approved your request"),
    Outcome.REJECTED: _("The committee did not approve your request"),
    Outcome.DEFERRED: _("The committee postponed its decision"),
}
# Moves that leave no row of their own but the log's: when they happened.
_LOGGED_MOVES = (
    "assistance.request.verifying",
    "assistance.request.withdrawn",
    "assistance.request.cancelled",
    "assistance.request.closed",
)
_FINAL = {Status.CLOSED, Status.WITHDRAWN, Status.CANCELLED}


def _sar(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return gettext("%(amount)s SAR") % {"amount": text}


def _period(months: int) -> str:
    if months <= 1:
        return gettext("One-off")
    return ngettext("Monthly for %(months)s month", "Monthly for %(months)s months", months) % {
        "months": months
    }


def _step(when, title, text="", state="done", *, at=None) -> dict:
    """One step; `at` is the moment it sorts by when `when` shows only a day (a delivery is
    dated, but recorded at a time among the day's other events)."""
    step = {"when": when, "title": str(title), "text": str(text), "state": state}
    step["_at"] = at if at is not None else when
    return step


def _sort_key(step: dict) -> datetime:
    at = step["_at"]
    if isinstance(at, datetime):
        return timezone.localtime(at).replace(tzinfo=None) if timezone.is_aware(at) else at
    return datetime.combine(at, time.min)


def _lines(text: str) -> str:
    lines = (line.strip() for line in str(text or "").splitlines())
    return " ".join(dict.fromkeys(line for line in lines if line))


def applicant_timeline(support_request: SupportRequest) -> list[dict]:
    """The request's story for the applicant, oldest first: what has happened ("done"), where
    it is now ("current") and what comes next ("next"), each a dict of "when" (a date, a
    datetime or None), "title", "text" and "state". Built from the request's own rows, and from
    the log only for the time of a move; it names no staff member and shows no internal note,
    vote or research report."""
    from assistance.committee import appeal_open_until
    from assistance.models import AssistancePolicy, VisitStatus

    r = support_request
    status = r.status
    now = timezone.now()
    history: list[dict] = []
    upcoming: list[dict] = []
    decision_date = format_dual(r.expected_decision_date) if r.expected_decision_date else ""

    if r.submitted_at:
        history.append(
            _step(
                r.submitted_at,
                _("We received your request"),
                gettext(
                    "Reference number %(reference)s. We expect to give you our decision by "
                    "%(date)s."
                )
                % {"reference": r.reference, "date": decision_date},
            )
        )
    moves = dict(
        ActivityLog.objects.filter(
            target_type=ContentType.objects.get_for_model(SupportRequest),
            target_id=str(r.pk),
            action__in=_LOGGED_MOVES,
        )
        .order_by("created_at")
        .values_list("action", "created_at")
    )
    if "assistance.request.verifying" in moves:
        history.append(
            _step(
                moves["assistance.request.verifying"],
                _("We started checking your data and documents"),
            )
        )
    for info in sorted(r.info_requests.all(), key=lambda i: i.created_at):
        history.append(
            _step(
                info.created_at,
                _("We asked you for information"),
                gettext("What we need: %(what)s. Please answer by %(date)s.")
                % {"what": info.what, "date": format_dual(info.due_date)},
            )
        )
        if info.answered_at:
            history.append(_step(info.answered_at, _("You answered our request for information")))

    for research in r.researches.prefetch_related("visits").order_by("created_at"):
        history.append(
            _step(
                research.created_at,
                _("Your request went to social research"),
                _("A social researcher studies your situation and may call you to book a visit."),
            )
        )
        for visit in sorted(research.visits.all(), key=lambda v: v.scheduled_for):
            when = timezone.localtime(visit.scheduled_for)
            at = gettext("%(date)s at %(time)s") % {
                "date": format_dual(when.date()),
                "time": f"{when:%H:%M}",
            }
            if visit.status == VisitStatus.BOOKED and visit.scheduled_for > now:
                if research.completed_at:
                    continue  # the research was written up without it: nothing to expect
                upcoming.append(
                    _step(
                        visit.scheduled_for,
                        _("Home visit"),
                        gettext("A visit to your home is booked for %(when)s.") % {"when": at},
                        "next",
                    )
                )
            elif visit.status == VisitStatus.MISSED:
                history.append(
                    _step(
                        visit.scheduled_for,
                        _("Home visit"),
                        gettext("We visited on %(when)s but found nobody at home.") % {"when": at},
                    )
                )
            elif visit.status == VisitStatus.CANCELLED:
                history.append(
                    _step(
                        visit.scheduled_for,
                        _("Home visit"),
                        gettext("The visit booked for %(when)s was cancelled.") % {"when": at},
                    )
                )
            elif visit.status == VisitStatus.DONE:
                history.append(
                    _step(
                        visit.scheduled_for,
                        _("Home visit"),
                        gettext("We visited your home on %(when)s.") % {"when": at},
                    )
                )
            else:  # booked, and the time has come
                history.append(
                    _step(
                        visit.scheduled_for,
                        _("Home visit"),
                        gettext("A visit to your home was booked for %(when)s.") % {"when": at},
                    )
                )
        if research.completed_at:
            history.append(_step(research.completed_at, _("The social research is complete")))

    items = list(
        r.agenda_items.select_related("meeting", "aid_type")
        .prefetch_related("reasons")
        .order_by("meeting__date", "id")
    )
    # When each was put on an agenda (the meeting itself may be days later).
    placed = (
        dict(
            ActivityLog.objects.filter(
                target_type=ContentType.objects.get_for_model(AgendaItem),
                target_id__in=[str(item.pk) for item in items],
                action="assistance.request.in_committee",
            ).values_list("target_id", "created_at")
        )
        if items
        else {}
    )
    current = None
    for item in items:
        agenda = _step(
            item.meeting.date,
            _("Before the research committee"),
            gettext("The committee looks at your request in its meeting of %(date)s.")
            % {"date": format_dual(item.meeting.date)},
            at=placed.get(str(item.pk), item.meeting.date),
        )
        if item.outcome == Outcome.PENDING:
            if status == Status.IN_COMMITTEE:
                agenda["state"] = "current"
                current = agenda
            continue
        history.append(agenda)
        if item.outcome == Outcome.APPROVED:
            parts = [str(item.aid_type.name), _sar(item.amount), _period(item.months)]
            text = gettext("Aid: %(aid)s.") % {"aid": " — ".join(p for p in parts if p)}
        elif item.outcome == Outcome.REJECTED:
            reasons = [reason.name for reason in item.reasons.all()]
            if item.reason_text.strip():
                reasons.append(_lines(item.reason_text))
            text = (
                gettext("Reasons: %(reasons)s.") % {"reasons": " — ".join(reasons)}
                if reasons
                else ""
            )
        else:
            need = _lines(item.deferred_need)
            text = gettext("What is needed: %(need)s.") % {"need": need} if need else ""
        history.append(_step(item.decided_at, _DECISION_TITLES[item.outcome], text))
    for appeal in sorted(r.appeals.all(), key=lambda a: a.created_at):
        history.append(
            _step(
                appeal.created_at,
                _("You appealed the decision"),
                gettext("Your grounds: %(grounds)s") % {"grounds": appeal.grounds},
            )
        )

    enrolment = None
    if status in (Status.ENROLLED, Status.IN_SERVICE, Status.CLOSED):
        enrolment = getattr(r, "enrolment", None)
    deliveries = []
    if enrolment is not None:
        history.append(
            _step(
                enrolment.created_at,
                _("You are registered for the aid"),
                ngettext(
                    "%(aid)s in %(n)s instalment, the first on %(date)s.",
                    "%(aid)s in %(n)s instalments, the first on %(date)s.",
                    enrolment.instalments,
                )
                % {
                    "aid": enrolment.aid_type.name,
                    "n": enrolment.instalments,
                    "date": format_dual(enrolment.starts_on),
                },
            )
        )
        deliveries = list(enrolment.deliveries.all())
        for delivery in deliveries:
            amount = _sar(delivery.amount)
            history.append(
                _step(
                    delivery.delivered_on,
                    gettext("Aid delivered (%(number)s of %(of)s)")
                    % {"number": delivery.number, "of": enrolment.instalments},
                    " — ".join(p for p in [delivery.get_method_display(), amount] if p),
                    at=delivery.created_at,
                )
            )
    for action, title in (
        ("assistance.request.withdrawn", _("You withdrew the request")),
        ("assistance.request.cancelled", _("The request was cancelled")),
        ("assistance.request.closed", _("The request is closed")),
    ):
        if action in moves and status in _FINAL:
            history.append(_step(moves[action], title))

    history.sort(key=_sort_key)

    # Where the request is now.
    if current is not None:
        pass  # before the committee: the agenda entry above
    elif status == Status.DRAFT:
        current = _step(
            r.created_at,
            _("Your request is not sent yet"),
            _("Complete the steps and send it. What you have entered is kept."),
            "current",
        )
    elif status == Status.SUBMITTED:
        current = _step(None, _("Waiting to be checked"), "", "current")
    elif status == Status.VERIFYING:
        current = _step(None, _("We are checking your data and documents"), "", "current")
    elif status == Status.AWAITING_APPLICANT:
        info = next((i for i in r.info_requests.all() if not i.answered_at), None)
        current = _step(
            info.due_date if info else None,
            _("Waiting for your answer"),
            gettext("Please send us: %(what)s — by %(date)s.")
            % {"what": info.what, "date": format_dual(info.due_date)}
            if info
            else "",
            "current",
        )
    elif status == Status.IN_RESEARCH:
        current = _step(None, _("Social research in progress"), "", "current")
    elif status == Status.RESEARCHED:
        current = _step(None, _("Waiting for the research committee's meeting"), "", "current")
    elif status == Status.IN_COMMITTEE:
        current = _step(None, _("Before the research committee"), "", "current")
    elif status not in _FINAL and history:
        # Decided, appealed or in service: the latest event is where it stands.
        history[-1]["state"] = "current"
    steps = history + ([current] if current else [])

    # What comes next.
    if status == Status.DRAFT:
        period = AssistancePolicy.current().decision_period_days
        upcoming.append(
            _step(
                None,
                _("We check your data and documents"),
                ngettext(
                    "Once sent, you receive a reference number and our decision is due within "
                    "%(days)s day.",
                    "Once sent, you receive a reference number and our decision is due within "
                    "%(days)s days.",
                    period,
                )
                % {"days": period},
                "next",
            )
        )
    elif status in (
        Status.SUBMITTED,
        Status.VERIFYING,
        Status.AWAITING_APPLICANT,
        Status.IN_RESEARCH,
        Status.RESEARCHED,
        Status.IN_COMMITTEE,
    ):
        upcoming.append(
            _step(
                r.expected_decision_date,
                _("The committee's decision"),
                gettext("Expected by %(date)s. We will tell you by SMS.") % {"date": decision_date},
                "next",
            )
        )
    elif status in (Status.DEFERRED, Status.APPEALED):
        upcoming.append(
            _step(
                None,
                _("The committee looks at your request again"),
                _("We will tell you the decision by SMS."),
                "next",
            )
        )
    elif status == Status.REJECTED:
        last_day = appeal_open_until(r)
        if last_day is not None:
            upcoming.append(
                _step(
                    last_day,
                    _("You may appeal"),
                    gettext("If you disagree with the decision, you may appeal until %(date)s.")
                    % {"date": format_dual(last_day)},
                    "next",
                )
            )
    elif status == Status.APPROVED:
        upcoming.append(
            _step(
                None,
                _("Registration for the aid"),
                _("We register you for the aid and tell you when it is delivered."),
                "next",
            )
        )
    elif status in (Status.ENROLLED, Status.IN_SERVICE) and enrolment is not None:
        done = max((d.number for d in deliveries), default=0)
        if done < enrolment.instalments:
            upcoming.append(
                _step(
                    enrolment.due_date(done + 1),
                    _("Next delivery"),
                    gettext("Instalment %(number)s of %(of)s is due on %(date)s.")
                    % {
                        "number": done + 1,
                        "of": enrolment.instalments,
                        "date": format_dual(enrolment.due_date(done + 1)),
                    },
                    "next",
                )
            )
    upcoming.sort(key=lambda s: (s["when"] is None, _sort_key(s) if s["when"] else datetime.min))
    steps += upcoming
    for step in steps:
        del step["_at"]
    return steps


def submitted_by_reference(reference: str) -> SupportRequest | None:
    """A submitted request by its reference, with its applicant (the public status lookup,
    which then proves who is asking with a code to the applicant's mobile)."""
    return SupportRequest.objects.filter(reference=reference).select_related("beneficiary").first()


def submitted_by_public_id(public_id) -> SupportRequest | None:
    """A submitted request by its public id (a draft has no reference and is never found)."""
    return (
        SupportRequest.objects.filter(public_id=public_id, reference__isnull=False)
        .select_related("beneficiary")
        .first()
    )


# --- Events a satisfaction survey follows (read by surveys.events) -------------------------
# Each returns plain rows, one per event in [start, end): what happened, to whom, where and
# who served them; the keys are documented in surveys/events.py.


def decisions_told_between(start: datetime, end: datetime) -> list[dict]:
    """Final decisions (approved or rejected) taken in the window: the applicant is told at
    once, by the notice the decision sends."""
    rows = AgendaItem.objects.filter(
        outcome__in=[Outcome.APPROVED, Outcome.REJECTED], decided_at__gte=start, decided_at__lt=end
    ).values(
        "pk",
        "decided_at",
        "aid_type_id",
        "request__beneficiary_id",
        "request__branch_id",
        "request__channel_id",
        "request__owner_id",
        "request__reference",
    )
    return [
        {
            "key": f"decision:{r['pk']}",
            "at": r["decided_at"],
            "beneficiary_id": r["request__beneficiary_id"],
            "branch_id": r["request__branch_id"],
            "channel_id": r["request__channel_id"],
            "aid_type_id": r["aid_type_id"],
            "staff_id": r["request__owner_id"],
            "reference": r["request__reference"] or "",
        }
        for r in rows
    ]


def deliveries_recorded_between(start: datetime, end: datetime) -> list[dict]:
    rows = Delivery.objects.filter(created_at__gte=start, created_at__lt=end).values(
        "pk",
        "created_at",
        "recorded_by_id",
        "enrolment__aid_type_id",
        "enrolment__request__beneficiary_id",
        "enrolment__request__branch_id",
        "enrolment__request__channel_id",
        "enrolment__request__reference",
    )
    return [
        {
            "key": f"delivery:{r['pk']}",
            "at": r["created_at"],
            "beneficiary_id": r["enrolment__request__beneficiary_id"],
            "branch_id": r["enrolment__request__branch_id"],
            "channel_id": r["enrolment__request__channel_id"],
            "aid_type_id": r["enrolment__aid_type_id"],
            "staff_id": r["recorded_by_id"],
            "reference": r["enrolment__request__reference"] or "",
        }
        for r in rows
    ]


def home_visits_done_between(start: datetime, end: datetime) -> list[dict]:
    """Visits marked done in the window (a visit's last change is the report of it)."""
    rows = HomeVisit.objects.filter(
        status=VisitStatus.DONE, updated_at__gte=start, updated_at__lt=end
    ).values(
        "pk",
        "updated_at",
        "research__researcher_id",
        "research__request__beneficiary_id",
        "research__request__branch_id",
        "research__request__channel_id",
        "research__request__reference",
    )
    return [
        {
            "key": f"home_visit:{r['pk']}",
            "at": r["updated_at"],
            "beneficiary_id": r["research__request__beneficiary_id"],
            "branch_id": r["research__request__branch_id"],
            "channel_id": r["research__request__channel_id"],
            "aid_type_id": None,
            "staff_id": r["research__researcher_id"],
            "reference": r["research__request__reference"] or "",
        }
        for r in rows
    ]
