"""Reads of support requests, scoped like the registry: a branch-bound user sees their
branch's requests; roles that may not read the registry see none."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from assistance import checks
from assistance.models import Attestation, Status, SupportRequest
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
