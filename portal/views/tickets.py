"""My inquiries, complaints, suggestions and praise: the list, a new one, and each one's page
with the answers sent to me and a box to write a follow-up.

Tickets are found by public id among the signed-in beneficiary's own (404 for anyone
else's), and shown through `contact.selectors.person_ticket_history`, which keeps internal
notes, assignments, escalations and staff names out of the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from contact import selectors as contact_selectors
from contact import services as contact_services
from contact.models import Kind, TicketStatus
from core.forms import add_service_errors
from portal import session
from portal.forms_public import KIND_CHOICES, TicketForm, TicketMessageForm
from portal.selectors_public import ticket_categories

# A ticket's status in the person's words.
STATUS_WORDS = {
    TicketStatus.NEW: gettext_lazy("Received"),
    TicketStatus.IN_PROGRESS: gettext_lazy("Being handled"),
    TicketStatus.AWAITING_PERSON: gettext_lazy("Waiting for your answer"),
    TicketStatus.RESOLVED: gettext_lazy("Answered"),
    TicketStatus.CLOSED: gettext_lazy("Closed"),
}

# What each kind is, and what it is for, on the page where the person chooses.
KIND_HINTS = {
    Kind.INQUIRY: gettext_lazy("Ask about our services, procedures or your request."),
    Kind.COMPLAINT: gettext_lazy(
        "Tell us what went wrong; every complaint is followed up to its end, in confidence."
    ),
    Kind.SUGGESTION: gettext_lazy(
        "An idea to improve our services; we tell you what became of it."
    ),
    Kind.PRAISE: gettext_lazy("Thank a team or a service that helped you."),
}


def _status_words(ticket) -> str:
    return str(STATUS_WORDS.get(ticket.status, ticket.get_status_display()))


@require_http_methods(["GET"])
@session.beneficiary_required
def tickets(request):
    rows = list(contact_selectors.person_tickets(request.beneficiary)[:100])
    for ticket in rows:
        ticket.status_words = _status_words(ticket)
    return render(
        request,
        "portal/tickets/list.html",
        {"tickets": rows, "title": _("Questions and complaints")},
    )


@require_http_methods(["GET", "POST"])
@session.beneficiary_required
def ticket_new(request):
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kinds = [(value, label, KIND_HINTS[value]) for value, label in KIND_CHOICES]
        return render(
            request,
            "portal/tickets/choose.html",
            {"kinds": kinds, "title": _("Write to us")},
        )
    beneficiary = request.beneficiary
    form = TicketForm(
        request.POST if request.method == "POST" else None,
        categories=ticket_categories(kind),
        beneficiary=beneficiary,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = contact_services.ticket_open(
                actor=None,
                channel="website",
                beneficiary=beneficiary,
                kind=kind,
                category=data["category"],
                subject=data["subject"],
                description=data["description"],
                reply_channel=data["reply_channel"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("We have received your message, reference %(reference)s.")
                % {"reference": ticket.reference},
            )
            return redirect("portal:ticket", public_id=ticket.public_id)
    context = {
        "form": form,
        "kind": kind,
        "kind_label": dict(KIND_CHOICES)[kind],
        "title": dict(KIND_CHOICES)[kind],
    }
    return render(request, "portal/tickets/form.html", context)


def _detail(request, ticket, message_form):
    context = {
        "ticket": ticket,
        "status_words": _status_words(ticket),
        "history": contact_selectors.person_ticket_history(ticket),
        "message_form": message_form,
        "title": ticket.subject,
    }
    return render(request, "portal/tickets/detail.html", context)


@require_http_methods(["GET"])
@session.beneficiary_required
def ticket(request, public_id):
    found = contact_selectors.person_ticket_get(request.beneficiary, public_id)
    return _detail(request, found, TicketMessageForm() if found.is_open else None)


@require_http_methods(["POST"])
@session.beneficiary_required
def ticket_message(request, public_id):
    found = contact_selectors.person_ticket_get(request.beneficiary, public_id)
    form = TicketMessageForm(request.POST)
    if form.is_valid():
        try:
            contact_services.ticket_person_message(
                beneficiary=request.beneficiary, ticket=found, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your message has been added. We will answer you soon."))
            return redirect("portal:ticket", public_id=found.public_id)
    return _detail(request, found, form)


urlpatterns = [
    path("me/tickets/", tickets, name="tickets"),
    path("me/tickets/new/", ticket_new, name="ticket_new"),
    path("me/tickets/<uuid:public_id>/", ticket, name="ticket"),
    path("me/tickets/<uuid:public_id>/message/", ticket_message, name="ticket_message"),
]
