"""Staff filling in a survey with the person during a call (P3.5: "or filled in by staff
during a call"): the open invitations of the branch, and the same questions as the link."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import role_required
from core.forms import add_service_errors
from surveys import selectors
from surveys.forms import SurveyAnswerForm
from surveys.models import AnsweredVia, Event, InvitationStatus
from surveys.permissions import can_record_answers
from surveys.services import LinkRefused, response_submit


@require_GET
@role_required(can_record_answers)
def call_list(request):
    event = request.GET.get("event", "")
    now = timezone.now()
    invitations = selectors.invitations_for(request.user).filter(
        status__in=selectors.OPEN, send_after__lte=now, expires_at__gt=now
    )
    if event in Event.values:
        invitations = invitations.filter(event=event)
    page = Paginator(invitations.order_by("-event_at", "-id"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/calls/list.html",
        {"page": page, "event": event, "events": Event.choices},
    )


@require_http_methods(["GET", "POST"])
@role_required(can_record_answers)
def call_answer(request, public_id):
    invitation = selectors.invitation_get(request.user, public_id)
    if invitation.status not in selectors.OPEN or not invitation.is_open:
        messages.error(request, _("This survey can no longer be answered."))
        return redirect("surveys:calls")
    form = SurveyAnswerForm(request.POST or None, version=invitation.version, offer_anonymous=False)
    if request.method == "POST" and form.is_valid():
        try:
            response_submit(
                invitation=invitation,
                answers=form.answers(),
                anonymous=False,
                via=AnsweredVia.STAFF,
                actor=request.user,
            )
        except LinkRefused:
            messages.error(request, _("This survey can no longer be answered."))
            return redirect("surveys:calls")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The answer is recorded. Thank you."))
            return redirect("surveys:calls")
    return render(
        request,
        "surveys/calls/answer.html",
        {
            "invitation": invitation,
            "version": invitation.version,
            "survey": invitation.version.survey,
            "form": form,
            "statuses": InvitationStatus,
        },
    )


urlpatterns = [
    path("calls/", call_list, name="calls"),
    path("calls/<uuid:public_id>/", call_answer, name="call_answer"),
]
