"""The inbound inbox: new messages from every channel, and one page per message where staff
identify the sender and turn it into a ticket or a support request, or close it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import can_edit_registry
from beneficiaries.selectors import beneficiary_get
from contact.selectors import tickets_for
from core.decorators import role_required
from core.forms import add_service_errors, flash_errors
from inbox import selectors, services
from inbox.forms import CloseForm, FilterForm, RequestForm, TicketForm
from inbox.models import ItemStatus, Source
from inbox.permissions import can_handle_inbox


@require_GET
@role_required(can_handle_inbox)
def inbox_list(request):
    form = FilterForm(request.GET or None, user=request.user)
    filters = selectors.InboxFilters(**form.filter_values())
    page = selectors.inbox_page(
        request.user,
        filters,
        after=selectors.Cursor.decode(request.GET.get("after", "")),
        before=selectors.Cursor.decode(request.GET.get("before", "")),
    )
    counts = selectors.new_counts(request.user)
    context = {
        "form": form,
        "filtered": bool(filters.source or filters.channel_id or filters.branch_id)
        or filters.unassigned,
        "page": page,
        "counts": counts,
        "total": counts[""],
        # E-mail has no integration yet: its tab shows only once something arrives by it.
        "sources": [
            (value, label, counts.get(value, 0))
            for value, label in Source.choices
            if value != Source.EMAIL or counts.get(value)
        ],
        "selected_source": filters.source,
        "title": _("Inbox"),
    }
    template = "inbox/_items.html" if request.htmx else "inbox/list.html"
    return render(request, template, context)


def _detail(request, item, *, status=200, **forms):
    """The message page, with any bound form the officer just posted kept with its errors."""
    user = request.user
    query = request.GET.get("q", "").strip()
    context = {
        "item": item,
        "query": query,
        "candidates": selectors.candidates_for(user, query) if query else [],
        "phone_matches": selectors.phone_matches(user, item) if not item.beneficiary_id else [],
        "can_act": item.status == ItemStatus.NEW,
        "can_open_request": can_edit_registry(user),
        # A complaint about staff is the quality officer's and managers' only: no link then.
        "ticket_visible": bool(item.ticket_id)
        and tickets_for(user).filter(pk=item.ticket_id).exists(),
        "ticket_form": forms.get("ticket_form") or TicketForm.for_item(item),
        "request_form": forms.get("request_form") or RequestForm.for_item(item),
        "close_form": forms.get("close_form") or CloseForm(prefix="close"),
        "close_suggestions": CloseForm.SUGGESTIONS,
        "title": item.subject or _("Inbound message"),
    }
    if request.htmx and request.htmx.target == "candidates":
        return render(request, "inbox/_candidates.html", context)
    return render(request, "inbox/detail.html", context, status=status)


def _refused(request, item, exc, name, form):
    """A service said no. When a colleague handled the item meanwhile, say so on its page
    (the forms are gone); otherwise show the error at the form's fields."""
    item = selectors.item_get(request.user, item.public_id)
    if item.status != ItemStatus.NEW:
        flash_errors(request, exc)
        return redirect("inbox:detail", public_id=item.public_id)
    add_service_errors(form, exc)
    return _detail(request, item, **{name: form})


@require_GET
@role_required(can_handle_inbox)
def item_detail(request, public_id):
    item = selectors.item_get(request.user, public_id)
    return _detail(request, item)


@require_POST
@role_required(can_handle_inbox)
def item_identify(request, public_id):
    item = selectors.item_get(request.user, public_id)
    chosen = request.POST.get("beneficiary", "")
    beneficiary = beneficiary_get(request.user, chosen) if chosen else None
    try:
        services.inbound_identify(actor=request.user, item=item, beneficiary=beneficiary)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        if beneficiary is not None:
            messages.success(
                request,
                _("The message is now linked to the file of %(name)s.")
                % {"name": beneficiary.full_name},
            )
        else:
            messages.success(request, _("The message is no longer linked to a file."))
    return redirect("inbox:detail", public_id=item.public_id)


@require_POST
@role_required(can_handle_inbox)
def item_ticket(request, public_id):
    item = selectors.item_get(request.user, public_id)
    form = TicketForm.for_item(item, request.POST)
    if form.is_valid():
        try:
            ticket = services.inbound_to_ticket(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            return _refused(request, item, exc, "ticket_form", form)
        else:
            messages.success(
                request,
                _("Ticket %(reference)s has been opened from the message.")
                % {"reference": ticket.reference},
            )
            # On to answering it, unless it is a complaint about staff this role may not see.
            if tickets_for(request.user).filter(pk=ticket.pk).exists():
                return redirect("contact:ticket", public_id=ticket.public_id)
            return redirect("inbox:list")
    return _detail(request, item, ticket_form=form)


@require_POST
@role_required(can_handle_inbox)
def item_request(request, public_id):
    item = selectors.item_get(request.user, public_id)
    form = RequestForm.for_item(item, request.POST)
    if form.is_valid():
        try:
            created = services.inbound_to_request(
                actor=request.user, item=item, **form.cleaned_data
            )
        except ValidationError as exc:
            return _refused(request, item, exc, "request_form", form)
        else:
            messages.success(
                request,
                _(
                    "A draft support request has been opened from the message. "
                    "Complete the checklist, then have the applicant sign."
                ),
            )
            return redirect("assistance:detail", public_id=created.public_id)
    return _detail(request, item, request_form=form)


@require_POST
@role_required(can_handle_inbox)
def item_close(request, public_id):
    item = selectors.item_get(request.user, public_id)
    form = CloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.inbound_close(
                actor=request.user, item=item, reason=form.cleaned_data["close_reason"]
            )
        except ValidationError as exc:
            return _refused(request, item, exc, "close_form", form)
        else:
            messages.success(request, _("The message has been closed."))
            return redirect("inbox:list")
    return _detail(request, item, close_form=form)
