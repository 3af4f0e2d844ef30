"""Contact-centre screens: the contacts log, the reception desk, and tickets.

Each view loads through a selector (404 to outsiders), checks the role (403), calls one
service and renders; htmx requests get the named partial of the same screen. Every screen
works without JavaScript: the beneficiary search, the channel's fields and the knowledge-base
insert are plain GET round trips that htmx merely shortens.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Branch
from assistance import selectors as assistance
from assistance.models import SupportRequest
from beneficiaries import selectors as registry
from beneficiaries.models import Beneficiary
from contact import permissions, selectors, services
from contact.forms import (
    AssignForm,
    CheckInForm,
    IdentifyForm,
    InteractionFilterForm,
    InteractionForm,
    NoteForm,
    OutcomeForm,
    ReopenForm,
    ReplyForm,
    ResolveForm,
    ResumeForm,
    StatsForm,
    TicketForm,
    VisitEndForm,
    VolunteerInteractionForm,
    WaitForm,
)
from contact.models import (
    OPEN_STATUSES,
    Kind,
    ReplyChannel,
    TicketCategory,
    TicketStatus,
)
from core.decorators import role_required
from core.forms import add_service_errors, flash_errors

PICKER_MATCHES = 8
KB_RESULTS = 6


def _page_size() -> int:
    return settings.MUSTAFID["PAGE_SIZE"]


# --- Choosing a beneficiary (search, then pick) ---------------------------------------


def _beneficiary(user, public_id) -> Beneficiary | None:
    """A file the user may see, by its public id; None for anything else."""
    if not public_id or not permissions.can_log_with_registry(user):
        return None
    try:
        return registry.beneficiaries_for(user).select_related("branch").get(public_id=public_id)
    except (Beneficiary.DoesNotExist, ValueError, ValidationError):
        return None


def _matches(user, query: str) -> list[Beneficiary]:
    if not query.strip():
        return []
    ids = registry.beneficiary_search(user, query, limit=PICKER_MATCHES)
    rows = Beneficiary.objects.select_related("branch").in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def _picker(request, chosen: Beneficiary | None) -> dict:
    query = request.GET.get("q", "").strip()
    matches = [b for b in _matches(request.user, query) if not chosen or b.pk != chosen.pk]
    return {"chosen": chosen, "matches": matches, "q": query}


@require_GET
@role_required(permissions.can_log_with_registry)
def beneficiary_find(request):
    """The picker's results (htmx partial; the full pages run the same search on ?q=)."""
    return render(request, "contact/_person_matches.html", _picker(request, None))


def _support_request(user, public_id) -> SupportRequest | None:
    """A support request the user may see, by its public id; None for anything else."""
    if not public_id or not permissions.can_log_with_registry(user):
        return None
    try:
        return assistance.requests_for(user).select_related("beneficiary").get(public_id=public_id)
    except (SupportRequest.DoesNotExist, ValueError, ValidationError):
        return None


def _chosen(request, form) -> Beneficiary | None:
    """The beneficiary picked in a submitted form, or the one asked for in the URL."""
    raw = form.data.get("beneficiary") if form.is_bound else request.GET.get("beneficiary")
    return _beneficiary(request.user, raw)


# --- Contacts ---------------------------------------------------------------------------


@require_GET
@role_required(permissions.can_view_contacts)
def interaction_list(request):
    user = request.user
    form = InteractionFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.interaction_list(
        user,
        channel=filters["channel"].code if filters.get("channel") else "",
        branch=filters.get("branch"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        direction=filters.get("direction", ""),
    )
    page = selectors.keyset_page(
        qs,
        column="occurred_at",
        descending=True,
        cursor=request.GET.get("after", ""),
        per_page=_page_size(),
    )
    page.total = selectors.cached_count(qs)
    context = {
        "form": form,
        "page": page,
        "can_log": permissions.can_log_contacts(user),
        "title": _("Contacts"),
    }
    template = "contact/_interaction_rows.html" if request.htmx else "contact/interaction_list.html"
    return render(request, template, context)


def _log_form(request):
    user = request.user
    data = request.POST if request.method == "POST" else None
    if permissions.is_volunteer(user):
        return VolunteerInteractionForm(data, user=user)
    channel = request.GET.get("channel", "phone")
    return InteractionForm(data, user=user, initial={"channel": channel, "direction": "in"})


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_log_contacts)
def interaction_log(request):
    """The quick log: for a call or the front desk, a few fields in keyboard order.

    From a support request's page (?request=<uuid>) the contact is logged against that
    request, its beneficiary preselected."""
    user = request.user
    form = _log_form(request)
    chosen = None if permissions.is_volunteer(user) else _chosen(request, form)
    raw_request = (
        request.POST.get("support_request", "")
        if request.method == "POST"
        else request.GET.get("request", "")
    )
    support_request = _support_request(user, raw_request)
    if support_request is not None and chosen is None and not form.is_bound:
        chosen = _beneficiary(user, support_request.beneficiary.public_id)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data.get("beneficiary")
        if raw and chosen is None:
            form.add_error(None, _("Choose the beneficiary again from the search results."))
        elif raw_request and support_request is None:
            form.add_error(None, _("This support request is not available to you."))
        else:
            try:
                interaction = services.interaction_log(
                    actor=user,
                    beneficiary=chosen,
                    support_request=support_request,
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The contact has been logged."))
                if request.POST.get("then") == "ticket":
                    url = reverse("contact:ticket_new") + f"?interaction={interaction.public_id}"
                    return redirect(url)
                if permissions.is_volunteer(user):
                    return redirect("contact:log")
                return redirect("contact:interaction", public_id=interaction.public_id)
    channel_code = (
        form["channel"].value() if "channel" in form.fields else permissions.VOLUNTEER_CHANNEL
    )
    context = {
        "form": form,
        "channel_code": channel_code,
        "detail_fields": form.detail_fields(channel_code) if "channel" in form.fields else [],
        "volunteer": permissions.is_volunteer(user),
        "support_request": support_request,
        "can_open_ticket": permissions.can_handle_tickets(user),
        "title": _("Log a contact"),
        **({} if permissions.is_volunteer(user) else _picker(request, chosen)),
    }
    if permissions.is_volunteer(user):
        context["recent"] = list(
            selectors.interactions_for(user).select_related("channel").order_by("-occurred_at")[:5]
        )
    return render(request, "contact/interaction_form.html", context)


@require_GET
@role_required(permissions.can_log_with_registry)
def channel_details(request):
    """The fields the chosen channel needs (htmx partial of the quick log)."""
    form = InteractionForm(user=request.user)
    code = request.GET.get("channel", "")
    return render(
        request,
        "contact/_channel_details.html",
        {"detail_fields": form.detail_fields(code), "channel_code": code},
    )


@require_GET
@role_required(permissions.can_view_contacts)
def interaction_detail(request, public_id):
    user = request.user
    interaction = selectors.interaction_get(user, public_id)
    context = selectors.interaction_detail(user, interaction)
    context |= {
        "title": interaction.subject,
        "can_open_ticket": permissions.can_handle_tickets(user),
        "can_identify": permissions.can_log_with_registry(user)
        and interaction.beneficiary_id is None,
        "beneficiary_visible": bool(
            interaction.beneficiary_id
            and permissions.can_log_with_registry(user)
            and registry.beneficiaries_for(user).filter(pk=interaction.beneficiary_id).exists()
        ),
        "linked_request": assistance.requests_for(user)
        .filter(pk=interaction.support_request_id)
        .first()
        if interaction.support_request_id
        else None,
    }
    if context["can_identify"]:
        context |= _picker(request, None)
    return render(request, "contact/interaction_detail.html", context)


@require_POST
@role_required(permissions.can_log_with_registry)
def interaction_identify(request, public_id):
    interaction = selectors.interaction_get(request.user, public_id)
    form = IdentifyForm(request.POST)
    beneficiary = _beneficiary(request.user, request.POST.get("beneficiary"))
    if not form.is_valid() or beneficiary is None:
        messages.error(request, _("Choose the beneficiary from the search results."))
    else:
        try:
            services.interaction_identify(
                actor=request.user, interaction=interaction, beneficiary=beneficiary
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The contact is now on the beneficiary's file."))
    return redirect("contact:interaction", public_id=interaction.public_id)


# --- Reception --------------------------------------------------------------------------


def _desk_context(request, branch: Branch, form=None, chosen=None) -> dict:
    user = request.user
    return {
        **selectors.desk(user, branch),
        "branch": branch,
        "branches": [] if user.branch_id else list(Branch.objects.filter(is_active=True)),
        "form": form or CheckInForm(),
        "title": _("Reception"),
        **_picker(request, chosen),
    }


@require_GET
@role_required(permissions.can_run_reception)
def desk(request):
    """Who is waiting and for how long, who is being served; the check-in form. The list
    refreshes itself every 30 seconds with htmx."""
    branch = selectors.desk_branch(request.user, request.GET.get("branch", ""))
    chosen = _beneficiary(request.user, request.GET.get("beneficiary"))
    context = _desk_context(request, branch, chosen=chosen)
    if request.htmx and request.htmx.target == "desk":
        return render(request, "contact/_desk.html", context)
    return render(request, "contact/desk.html", context)


@require_POST
@role_required(permissions.can_run_reception)
def visit_check_in(request):
    user = request.user
    branch = selectors.desk_branch(user, request.POST.get("branch", ""))
    form = CheckInForm(request.POST)
    chosen = _chosen(request, form)
    if form.is_valid():
        if form.cleaned_data["beneficiary"] and chosen is None:
            form.add_error(None, _("Choose the beneficiary again from the search results."))
        else:
            try:
                services.visit_check_in(
                    actor=user,
                    branch=branch,
                    beneficiary=chosen,
                    visitor_name=form.cleaned_data["visitor_name"],
                    visitor_phone=form.cleaned_data["visitor_phone"],
                    purpose=form.cleaned_data["purpose"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The visitor is in the waiting list."))
                return redirect(reverse("contact:desk") + f"?branch={branch.code}")
    return render(request, "contact/desk.html", _desk_context(request, branch, form, chosen))


@require_POST
@role_required(permissions.can_run_reception)
def visit_start(request, public_id):
    visit = selectors.visit_get(request.user, public_id)
    try:
        services.visit_start(actor=request.user, visit=visit)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(reverse("contact:desk") + f"?branch={visit.branch.code}")


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_run_reception)
def visit_end(request, public_id):
    visit = selectors.visit_get(request.user, public_id)
    if visit.served_at is None or visit.left_at is not None:
        messages.error(request, _("This visit is not being served."))
        return redirect(reverse("contact:desk") + f"?branch={visit.branch.code}")
    form = VisitEndForm(request.POST or None, initial={"subject": visit.purpose})
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_end(actor=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The visit has ended and is logged as an interview."))
            return redirect(reverse("contact:desk") + f"?branch={visit.branch.code}")
    return render(
        request,
        "contact/visit_end.html",
        {"form": form, "visit": visit, "title": _("End the visit")},
    )


@require_GET
@role_required(permissions.can_view_reception_stats)
def visit_stats(request):
    user = request.user
    today = timezone.localdate()
    form = StatsForm(request.GET or None, user=user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or date_to - timedelta(days=29)
    rows = selectors.visit_stats(
        user, date_from=date_from, date_to=date_to, branch=data.get("branch")
    )
    return render(
        request,
        "contact/visit_stats.html",
        {
            "form": form,
            "rows": rows,
            "date_from": date_from,
            "date_to": date_to,
            "title": _("Waiting and service times"),
        },
    )


# --- Tickets ----------------------------------------------------------------------------


@require_GET
@role_required(permissions.can_view_tickets)
def ticket_list(request):
    user = request.user
    query = request.GET.get("q", "").strip()
    if query:
        found = selectors.ticket_by_reference(user, query)
        if found is not None:
            return redirect("contact:ticket", public_id=found.public_id)
        messages.error(request, _("No ticket you may see has this reference."))
    view = request.GET.get("view", "open")
    if view not in selectors.QUEUE_VIEWS:
        view = "open"
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    status = request.GET.get("status", "")
    qs = selectors.ticket_queue(
        user,
        view=view,
        kind=kind,
        category=request.GET.get("category", ""),
        status=status,
    )
    closed = view == "closed"
    page = selectors.keyset_page(
        qs,
        column="created_at" if closed else "resolution_due",
        descending=closed,
        cursor=request.GET.get("after", ""),
        per_page=_page_size(),
    )
    context = {
        "page": page,
        "view": view,
        "kind": kind,
        "status": status,
        "category": request.GET.get("category", ""),
        "kinds": Kind.choices,
        "statuses": [(s, TicketStatus(s).label) for s in OPEN_STATUSES],
        "categories": TicketCategory.objects.filter(is_active=True),
        "counts": selectors.queue_counts(user),
        "now": timezone.now(),
        "can_open": permissions.can_handle_tickets(user),
        "title": _("Tickets"),
    }
    template = "contact/_ticket_rows.html" if request.htmx else "contact/ticket_list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@role_required(permissions.can_handle_tickets)
def ticket_new(request):
    """Open a ticket, blank or from a logged contact (?interaction=…, prefilled)."""
    user = request.user
    interaction = None
    raw_interaction = request.POST.get("interaction") or request.GET.get("interaction")
    if raw_interaction:
        interaction = selectors.interaction_get(user, raw_interaction)
    initial = {"kind": request.GET.get("kind", Kind.INQUIRY), "channel": "phone"}
    if interaction is not None:
        initial |= {
            "subject": interaction.subject,
            "description": interaction.summary,
            "channel": interaction.channel.code,
            "person_name": interaction.person_name,
            "person_phone": interaction.person_phone,
            "beneficiary": interaction.beneficiary.public_id if interaction.beneficiary else "",
        }
    form = TicketForm(
        request.POST or None,
        initial=initial | {"priority": "normal", "reply_channel": ReplyChannel.SMS},
        staff=selectors.staff_choices(),
        can_own=permissions.can_own_tickets(user),
    )
    chosen = _chosen(request, form)
    if chosen is None and interaction is not None and interaction.beneficiary_id:
        chosen = _beneficiary(user, interaction.beneficiary.public_id)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if d["beneficiary"] and chosen is None:
            form.add_error(None, _("Choose the beneficiary again from the search results."))
        else:
            try:
                ticket = services.ticket_open(
                    actor=user,
                    kind=d["kind"],
                    category=d["category"],
                    subject=d["subject"],
                    description=d["description"],
                    channel=d["channel"],
                    beneficiary=chosen,
                    person_name=d["person_name"],
                    person_phone=d["person_phone"],
                    person_email=d["person_email"],
                    reply_channel=d["reply_channel"],
                    priority=d["priority"],
                    interaction=interaction,
                    staff_member=d["staff_member"],
                    owner=user if d.get("take") else None,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if services.may_see_ticket(user, ticket):
                    messages.success(
                        request, _("Ticket %(ref)s is open.") % {"ref": ticket.reference}
                    )
                    return redirect("contact:ticket", public_id=ticket.public_id)
                # A complaint about staff leaves the hands of whoever recorded it.
                messages.success(
                    request,
                    _(
                        "The complaint is recorded as %(ref)s and passed to the quality "
                        "officer; only they and the managers can see it."
                    )
                    % {"ref": ticket.reference},
                )
                return redirect("contact:tickets")
    context = {
        "form": form,
        "interaction": interaction,
        "title": _("New ticket"),
        **_picker(request, chosen),
    }
    return render(request, "contact/ticket_form.html", context)


def _ticket_context(request, ticket, **forms) -> dict:
    """The ticket page: history, actions the user may take, the reply box with the
    knowledge-base search (and an inserted answer, ?insert=<article id>)."""
    user = request.user
    context = selectors.ticket_detail(user, ticket)
    can_handle = permissions.can_handle_tickets(user)
    reply_form = forms.get("reply_form")
    inserted = None
    insert_id = request.GET.get("insert", "")
    if reply_form is None:
        initial = {}
        if insert_id and can_handle:
            from knowledge.selectors import article_get

            try:
                inserted = article_get(user, insert_id)
            except Http404:
                messages.error(request, _("This answer is not available."))
            else:
                initial = {"body": inserted.body, "article": inserted.public_id}
        reply_form = ReplyForm(initial=initial)
    kb_query = request.GET.get("kb", "")
    kb_results = []
    if can_handle and ticket.is_open:
        from knowledge.selectors import article_search

        kb_results = article_search(user, kb_query, limit=KB_RESULTS)
    context |= {
        "title": ticket.reference,
        "now": timezone.now(),
        "can_handle": can_handle,
        "can_note": permissions.can_note_tickets(user),
        "can_assign": can_handle
        and (permissions.can_supervise_tickets(user) or ticket.owner_id == user.pk),
        "can_take": permissions.can_own_tickets(user) and ticket.owner_id is None,
        "confidential": services.is_confidential(ticket),
        "reply_form": reply_form,
        "inserted": inserted,
        "kb_query": kb_query,
        "kb_results": kb_results,
        "note_form": forms.get("note_form") or NoteForm(),
        "wait_form": forms.get("wait_form") or WaitForm(),
        "resume_form": forms.get("resume_form") or ResumeForm(),
        "resolve_form": forms.get("resolve_form") or ResolveForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm(owners=selectors.owner_choices(ticket)),
    }
    return context


@require_GET
@role_required(permissions.can_view_tickets)
def ticket_detail(request, public_id):
    ticket = selectors.ticket_get(request.user, public_id)
    context = _ticket_context(request, ticket)
    if request.htmx and request.htmx.target == "reply-box":
        return render(request, "contact/_reply_box.html", context)
    if request.htmx and request.htmx.target == "kb-results":
        return render(request, "contact/_kb_results.html", context)
    return render(request, "contact/ticket_detail.html", context)


def _ticket_action(request, public_id, form_class, form_name, act, done: str, form_kwargs=None):
    """Run one transition from a posted form: back to the ticket with a message, or the page
    again with the form's errors at their fields."""
    ticket = selectors.ticket_get(request.user, public_id)
    form = form_class(request.POST, **(form_kwargs(ticket) if form_kwargs else {}))
    if form.is_valid():
        try:
            act(ticket, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            if not services.may_see_ticket(request.user, ticket):
                return redirect("contact:tickets")
            return redirect("contact:ticket", public_id=ticket.public_id)
    context = _ticket_context(request, ticket, **{form_name: form})
    return render(request, "contact/ticket_detail.html", context, status=200)


@require_POST
@role_required(permissions.can_handle_tickets)
def ticket_reply(request, public_id):
    def act(ticket, data):
        article = None
        if data.get("article"):
            from knowledge.selectors import article_get

            article = article_get(request.user, data["article"])
        services.ticket_reply(actor=request.user, ticket=ticket, body=data["body"], article=article)

    return _ticket_action(
        request, public_id, ReplyForm, "reply_form", act, _("The answer has been sent.")
    )


@require_POST
@role_required(permissions.can_note_tickets)
def ticket_note(request, public_id):
    return _ticket_action(
        request,
        public_id,
        NoteForm,
        "note_form",
        lambda t, d: services.ticket_note(actor=request.user, ticket=t, body=d["body"]),
        _("The note has been added."),
    )


@require_POST
@role_required(permissions.can_handle_tickets)
def ticket_wait(request, public_id):
    return _ticket_action(
        request,
        public_id,
        WaitForm,
        "wait_form",
        lambda t, d: services.ticket_wait(actor=request.user, ticket=t, note=d["note"]),
        _("The ticket is waiting for the person."),
    )


@require_POST
@role_required(permissions.can_handle_tickets)
def ticket_resume(request, public_id):
    return _ticket_action(
        request,
        public_id,
        ResumeForm,
        "resume_form",
        lambda t, d: services.ticket_resume(actor=request.user, ticket=t, note=d["note"]),
        _("The person's answer is recorded."),
    )


@require_POST
@role_required(permissions.can_handle_tickets)
def ticket_resolve(request, public_id):
    return _ticket_action(
        request,
        public_id,
        ResolveForm,
        "resolve_form",
        lambda t, d: services.ticket_resolve(
            actor=request.user, ticket=t, resolution=d["resolution"]
        ),
        _("The ticket is resolved and the person is told."),
    )


@require_POST
@role_required(permissions.can_handle_tickets)
def ticket_outcome(request, public_id):
    return _ticket_action(
        request,
        public_id,
        OutcomeForm,
        "outcome_form",
        lambda t, d: services.ticket_outcome(
            actor=request.user, ticket=t, outcome=d["outcome"], reason=d["reason"]
        ),
        _("The outcome is recorded and the person is told."),
    )


@require_POST
@role_required(permissions.can_handle_tickets)
def ticket_reopen(request, public_id):
    return _ticket_action(
        request,
        public_id,
        ReopenForm,
        "reopen_form",
        lambda t, d: services.ticket_reopen(actor=request.user, ticket=t, reason=d["reason"]),
        _("The ticket is open again."),
    )


@require_POST
@role_required(permissions.can_handle_tickets)
def ticket_assign(request, public_id):
    return _ticket_action(
        request,
        public_id,
        AssignForm,
        "assign_form",
        lambda t, d: services.ticket_assign(actor=request.user, ticket=t, owner=d["owner"]),
        _("The ticket has a new owner."),
        form_kwargs=lambda t: {"owners": selectors.owner_choices(t)},
    )


def _simple_ticket_action(request, public_id, act, done: str):
    ticket = selectors.ticket_get(request.user, public_id)
    try:
        act(ticket)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("contact:ticket", public_id=ticket.public_id)


@require_POST
@role_required(permissions.can_own_tickets)
def ticket_take(request, public_id):
    return _simple_ticket_action(
        request,
        public_id,
        lambda t: services.ticket_take(actor=request.user, ticket=t),
        _("The ticket is yours."),
    )


@require_POST
@role_required(permissions.can_handle_tickets)
def ticket_close(request, public_id):
    return _simple_ticket_action(
        request,
        public_id,
        lambda t: services.ticket_close(actor=request.user, ticket=t),
        _("The ticket is closed."),
    )
