"""Reads of support requests, scoped like the registry: a branch-bound user sees their
branch's requests; roles that may not read the registry see none."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from assistance import checks
from assistance.committee import count_votes
from assistance.models import (
    AidType,
    Attestation,
    Meeting,
    Outcome,
    Recusal,
    Status,
    SupportRequest,
    Vote,
    VoteChoice,
)
from beneficiaries.models import PrivacyNotice
from core import activity


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
        from assistance.models import AWAITING_DECISION

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
