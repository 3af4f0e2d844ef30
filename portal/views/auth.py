"""Sign-in with the identity number and a one-time code, consent to the privacy notice on
first sign-in, sign-out, and the signed-in home page."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from beneficiaries.models import Beneficiary
from beneficiaries.services import consent_record
from core.forms import add_service_errors
from core.models import Channel
from portal import otp, session
from portal.forms import CodeForm, ConsentForm, IdentityForm
from portal.models import Purpose


def _find_by_identity(number: str) -> Beneficiary | None:
    # An identity number is unique per identity type; typed alone it must name one file.
    matches = list(Beneficiary.objects.filter(id_number=number)[:2])
    return matches[0] if len(matches) == 1 else None


@require_http_methods(["GET", "POST"])
def login(request):
    if session.current_beneficiary(request) is not None:
        return redirect(session.safe_next(request, reverse("portal:home")))
    form = IdentityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["identity"]
        try:
            challenge = otp.otp_issue(
                purpose=Purpose.LOGIN,
                typed=number,
                beneficiary=_find_by_identity(number),
                ip_address=session.client_ip(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            url = reverse("portal:login_code", args=[challenge.public_id])
            next_url = session.safe_next(request, "")
            return redirect(f"{url}?next={next_url}" if next_url else url)
    return render(
        request,
        "portal/login.html",
        {"form": form, "next": session.safe_next(request, ""), "title": _("Sign in")},
    )


@require_http_methods(["GET", "POST"])
def login_code(request, challenge_id):
    challenge = otp.challenge_for(challenge_id, purpose=Purpose.LOGIN)
    if challenge is None or challenge.verified_at is not None:
        raise Http404
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            row = otp.otp_verify(
                challenge=challenge, code=form.cleaned_data["code"], purpose=Purpose.LOGIN
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            session.sign_in(request, row.beneficiary)
            return redirect(session.safe_next(request, reverse("portal:home")))
    return render(
        request,
        "portal/login_code.html",
        {
            "form": form,
            "next": session.safe_next(request, ""),
            "minutes": int(otp.limits().ttl.total_seconds() // 60),
            "title": _("Enter the code"),
        },
    )


@require_http_methods(["GET", "POST"])
@session.beneficiary_required(consent=False)
def consent(request):
    notice = session.needs_consent(request.beneficiary)
    if notice is None:
        return redirect(session.safe_next(request, reverse("portal:home")))
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        consent_record(
            actor=None,
            beneficiary=request.beneficiary,
            notice=notice,
            channel=Channel.objects.get(code="website"),
        )
        return redirect(session.safe_next(request, reverse("portal:home")))
    return render(
        request,
        "portal/consent.html",
        {
            "form": form,
            "notice": notice,
            "next": session.safe_next(request, ""),
            "title": _("Privacy notice"),
        },
    )


@require_POST
def logout(request):
    session.sign_out(request)
    return redirect("portal:index")


@require_http_methods(["GET"])
@session.beneficiary_required
def home(request):
    from portal import dashboard

    return render(
        request,
        "portal/home.html",
        {"title": _("My page"), **dashboard.summary(request.beneficiary)},
    )
