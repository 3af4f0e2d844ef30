"""Rating our services from the portal: the surveys the person was invited to and has not
answered, each answered here as through the link in the message (the same invitation: one
answer, whichever way), and their choice to receive surveys and outreach messages or not."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from beneficiaries.services import contact_preferences_set
from core.forms import add_service_errors
from portal import session
from surveys import selectors as survey_selectors
from surveys.forms import SurveyAnswerForm
from surveys.models import AnsweredVia
from surveys.services import LinkRefused, response_submit


@require_http_methods(["GET"])
@session.beneficiary_required
def surveys(request):
    return render(
        request,
        "portal/surveys/list.html",
        {
            "invitations": survey_selectors.open_invitations(request.beneficiary),
            "beneficiary": request.beneficiary,
            "title": _("Rate our service"),
        },
    )


@require_http_methods(["GET", "POST"])
@session.beneficiary_required
def survey(request, public_id):
    invitation = survey_selectors.person_invitation(request.beneficiary, public_id)
    survey = invitation.version.survey
    form = SurveyAnswerForm(
        request.POST or None, version=invitation.version, offer_anonymous=survey.allow_anonymous
    )
    if request.method == "POST" and form.is_valid():
        try:
            response_submit(
                invitation=invitation,
                answers=form.answers(),
                anonymous=form.anonymous_chosen,
                via=AnsweredVia.PORTAL,
            )
        except LinkRefused:
            messages.error(request, _("This survey can no longer be answered."))
            return redirect("portal:surveys")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your answer has been received."))
            return redirect("portal:surveys")
    return render(
        request,
        "portal/surveys/answer.html",
        {
            "invitation": invitation,
            "survey": survey,
            "version": invitation.version,
            "form": form,
            "title": survey.name,
        },
    )


@require_POST
@session.beneficiary_required
def preferences(request):
    """Stop or resume surveys and outreach messages (two checkboxes; unticked means no)."""
    contact_preferences_set(
        actor=None,
        beneficiary=request.beneficiary,
        accepts_surveys=request.POST.get("accepts_surveys") == "1",
        accepts_outreach=request.POST.get("accepts_outreach") == "1",
    )
    messages.success(request, _("Your choices are saved."))
    return redirect("portal:surveys")


urlpatterns = [
    path("me/surveys/", surveys, name="surveys"),
    path("me/surveys/choices/", preferences, name="survey_preferences"),
    path("me/surveys/<uuid:public_id>/", survey, name="survey"),
]
