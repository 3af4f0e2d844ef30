"""Research committee screens: meetings, the agenda, voting, minutes and decision letters."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from assistance import committee, selectors
from assistance.committee_forms import AgendaAddForm, MeetingForm, RecuseForm, VoteForm
from assistance.models import AgendaItem, Meeting, Outcome, RejectionReason, Status, VoteChoice
from core.decorators import role_required
from core.forms import add_service_errors, flash_errors
from core.http import pdf_response


def _meeting(public_id) -> Meeting:
    return get_object_or_404(Meeting, public_id=public_id)


def _url(meeting: Meeting) -> str:
    return reverse("assistance:meeting", args=[meeting.public_id])


@require_GET
@role_required(permissions.can_view_sensitive)
def meeting_list(request):
    # Counted by the database: a meeting's agenda may hold 200 requests.
    meetings = Meeting.objects.annotate(agenda_count=Count("agenda")).order_by("-date", "-id")[:50]
    ready = selectors.requests_for(request.user).filter(
        status__in=[Status.RESEARCHED, Status.DEFERRED]
    )
    return render(
        request,
        "assistance/committee/list.html",
        {
            "meetings": meetings,
            "ready_count": ready.count(),
            "can_organise": committee.can_organise(request.user),
            "title": _("Research committee"),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(committee.can_organise)
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = committee.meeting_create(
                actor=request.user,
                number=data["number"],
                day=data["day"],
                quorum=data["quorum"],
                rule=data["rule"],
                chair=data["chair"],
                secretary=data["secretary"],
                members=data["members"],
                location=data["location"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been scheduled."))
            return redirect(_url(meeting))
    return render(
        request, "assistance/committee/form.html", {"form": form, "title": _("Schedule a meeting")}
    )


@require_GET
@role_required(permissions.can_view_sensitive)
def meeting_detail(request, public_id):
    meeting = _meeting(public_id)
    members = list(meeting.members.select_related("user"))
    me = request.user.pk
    items = selectors.agenda_rows(request.user, meeting, {m.user_id for m in members})
    organiser = permissions.can_manage_configuration(request.user) or any(
        m.user_id == me and m.role in ("chair", "secretary") for m in members
    )
    ready = selectors.agenda_candidates(request.user) if organiser and meeting.is_open else []
    return render(
        request,
        "assistance/committee/detail.html",
        {
            "meeting": meeting,
            "members": members,
            "items": items,
            "organiser": organiser,
            "ready": ready,
            "title": _("Meeting %(number)s") % {"number": meeting.number},
        },
    )


@require_POST
@role_required(committee.can_organise)
def agenda_add(request, public_id):
    meeting = _meeting(public_id)
    form = AgendaAddForm(request.POST)
    if not form.is_valid():
        raise Http404
    obj = selectors.request_get(request.user, form.cleaned_data["request"])
    try:
        committee.agenda_add(actor=request.user, meeting=meeting, request=obj)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(_url(meeting) + "#agenda")


@require_GET
@role_required(permissions.can_view_sensitive)
def item_detail(request, public_id, position):
    """One agenda item: the research behind the proposal, the votes, and the member's vote."""
    meeting = _meeting(public_id)
    scope = selectors.requests_for(request.user)
    item = get_object_or_404(
        meeting.agenda.filter(request__in=scope).select_related(
            "request", "request__beneficiary", "aid_type"
        ),
        position=position,
    )
    members = list(meeting.members.all())
    votes = list(item.votes.select_related("voter"))
    recusals = list(item.recusals.select_related("member"))
    me = request.user.pk
    voters = {m.user_id for m in members} - {r.member_id for r in recusals}
    _outcome, summary = committee.count_votes(meeting, voters, votes)
    can_vote = (
        meeting.is_open
        and item.outcome == Outcome.PENDING
        and me in voters
        and not any(v.voter_id == me for v in votes)
    )
    positions = list(meeting.agenda.filter(request__in=scope).values_list("position", flat=True))
    index = positions.index(item.position)
    return render(
        request,
        "assistance/committee/item.html",
        {
            "meeting": meeting,
            "item": item,
            "votes": votes,
            "recusals": recusals,
            "summary": summary,
            "can_vote": can_vote,
            "research": item.request.researches.filter(completed_at__isnull=False)
            .select_related("researcher")
            .first(),
            "choices": VoteChoice.choices,
            "reasons": RejectionReason.objects.filter(is_active=True),
            "previous": positions[index - 1] if index > 0 else None,
            "next": positions[index + 1] if index + 1 < len(positions) else None,
            "title": _("Meeting %(number)s") % {"number": meeting.number},
        },
    )


def _item_url(item: AgendaItem) -> str:
    return reverse("assistance:agenda_item", args=[item.meeting.public_id, item.position])


def _item(meeting: Meeting, item_id) -> AgendaItem:
    return get_object_or_404(meeting.agenda.select_related("request"), pk=item_id)


@require_POST
@role_required(permissions.can_view_sensitive)
def vote(request, public_id):
    meeting = _meeting(public_id)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose your vote."))
        return redirect(_url(meeting) + "#agenda")
    item = _item(meeting, form.cleaned_data["item"])
    try:
        committee.vote_cast(
            actor=request.user,
            item=item,
            choice=form.cleaned_data["choice"],
            reasons=form.cleaned_data["reasons"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Your vote has been recorded."))
    return redirect(_item_url(item))


@require_POST
@role_required(permissions.can_view_sensitive)
def recuse(request, public_id):
    meeting = _meeting(public_id)
    form = RecuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for standing aside."))
        return redirect(_url(meeting) + "#agenda")
    item = _item(meeting, form.cleaned_data["item"])
    try:
        committee.recuse(actor=request.user, item=item, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(_item_url(item))


@require_POST
@role_required(committee.can_organise)
def meeting_close(request, public_id):
    meeting = _meeting(public_id)
    try:
        committee.meeting_close(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The meeting is closed. The minutes can be printed."))
    return redirect(_url(meeting))


@require_GET
@role_required(permissions.can_view_sensitive)
def minutes_pdf(request, public_id):
    from assistance.documents import minutes_pdf as render_minutes

    meeting = _meeting(public_id)
    if request.user.branch_id:
        # The minutes name every applicant on the agenda, whatever their branch.
        raise PermissionDenied
    return pdf_response(render_minutes(meeting), f"minutes-{meeting.pk}.pdf")


@require_GET
@role_required(permissions.can_view_registry)
def decision_letter(request, public_id):
    """The decision letter of a request's latest decided agenda item."""
    from assistance.documents import decision_letter_pdf

    obj = selectors.request_get(request.user, public_id)
    item = obj.agenda_items.exclude(outcome=Outcome.PENDING).order_by("-decided_at").first()
    if item is None:
        raise Http404
    return pdf_response(decision_letter_pdf(item), f"{obj.reference}-decision.pdf")
