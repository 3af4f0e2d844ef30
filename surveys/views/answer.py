"""The survey as the person sees it, from the link in a message: no sign-in, the token is the
key. Every refusal (unknown, used, expired token) is the same page with the same status, so a
guessed or old link learns nothing about whom it was for."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from core.activity import acting_via
from surveys.forms import SurveyAnswerForm
from surveys.models import AnsweredVia
from surveys.services import LinkRefused, invitation_by_token, response_submit, survey_opt_out


def _private(response):
    """The token is in the address: never cached, never indexed, never sent to another site as
    a referrer ("same-origin", not "no-referrer": with no referrer at all the browser posts the
    form with `Origin: null`, which CSRF protection rightly refuses)."""
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request):
    return _private(render(request, "surveys/answer/closed.html", status=404))


@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    try:
        invitation = invitation_by_token(token)
    except LinkRefused:
        return _refused(request)
    survey = invitation.version.survey
    form = SurveyAnswerForm(
        request.POST or None, version=invitation.version, offer_anonymous=survey.allow_anonymous
    )
    if request.method == "POST" and form.is_valid():
        try:
            with acting_via("link"):
                response_submit(
                    invitation=invitation,
                    answers=form.answers(),
                    anonymous=form.anonymous_chosen,
                    via=AnsweredVia.LINK,
                )
        except LinkRefused:
            return _refused(request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _private(redirect("surveys:thanks"))
    context = {
        "invitation": invitation,
        "survey": survey,
        "version": invitation.version,
        "form": form,
        "token": token,
        "title": survey.name,
    }
    return _private(render(request, "surveys/answer/form.html", context))


@require_POST
def stop(request, token: str):
    """ "Send me no more surveys", from the link: takes effect at once."""
    try:
        invitation = invitation_by_token(token)
    except LinkRefused:
        return _refused(request)
    with acting_via("link"):
        survey_opt_out(invitation=invitation)
    return _private(render(request, "surveys/answer/stopped.html"))


@require_http_methods(["GET"])
def thanks(request):
    return _private(render(request, "surveys/answer/thanks.html"))


urlpatterns = [
    path("a/<str:token>/", answer, name="answer"),
    path("a/<str:token>/stop/", stop, name="stop"),
    path("thanks/", thanks, name="thanks"),
]
