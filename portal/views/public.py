"""The public pages, no sign-in: who the waqf serves and with what, the knowledge base's public
answers, the policies in force, the channels and branches, the contact form, and a request's
status by its reference confirmed with a code sent to the applicant's mobile.

Everything shown is read through the feature apps' selectors as the public (`user=None`):
a staff article, a draft or a staff policy is never reachable from here. The status page
and a form prefilled for a signed-in person carry personal data: they are never cached.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assistance.models import AWAITING_DECISION
from assistance.selectors import (
    applicant_status,
    applicant_timeline,
    submitted_by_public_id,
    submitted_by_reference,
)
from contact.models import Kind
from core.activity import acting_via
from core.forms import add_service_errors
from core.http import private_file_response
from inbox.models import Source
from inbox.services import inbound_receive
from knowledge import selectors as knowledge
from knowledge.forms import VoteForm
from knowledge.models import VersionStatus
from knowledge.services import article_viewed, article_vote, policy_file_opened
from portal import otp, session
from portal import selectors_public as public
from portal.forms import CodeForm, ReferenceForm
from portal.forms_public import ContactForm, SearchForm
from portal.models import Purpose, keyed_hash

# --- Home and services ----------------------------------------------------------------------


@require_http_methods(["GET"])
def index(request):
    context = {
        "categories": public.categories_served(),
        "aid_groups": public.aid_types_by_kind(),
        "popular": knowledge.public_articles(limit=5),
        "title": _("Mafatih Al-Khair services"),
    }
    return render(request, "portal/public/index.html", context)


@require_http_methods(["GET"])
def services(request):
    context = {"overview": public.services_overview(), "title": _("Our services")}
    return render(request, "portal/public/services.html", context)


# --- Knowledge base -------------------------------------------------------------------------

KB_LIMIT = 50


@require_http_methods(["GET"])
def kb(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    categories = knowledge.public_categories()
    code = request.GET.get("category", "")
    category = next((c for c in categories if c.code == code), None)
    context = {
        "form": form,
        "query": query,
        "categories": categories,
        "category": category,
        "articles": knowledge.public_articles(query=query, category=category, limit=KB_LIMIT),
        "title": _("Questions and answers"),
    }
    return render(request, "portal/public/kb.html", context)


def _voter_key(request) -> str:
    """The browser session a public vote is counted against (one vote per article each).
    An empty session would not be kept by the session middleware, so it is marked first."""
    if not request.session.session_key:
        request.session["portal_kb"] = 1
        request.session.save()
    return request.session.session_key


@require_http_methods(["GET"])
def kb_article(request, public_id):
    article = knowledge.article_get(None, public_id)
    article_viewed(article=article)
    context = {
        "article": article,
        "my_vote": knowledge.vote_of(None, article, session_key=request.session.session_key or ""),
        "title": article.title,
    }
    return render(request, "portal/public/article.html", context)


@require_http_methods(["POST"])
def kb_vote(request, public_id):
    article = knowledge.article_get(None, public_id)
    form = VoteForm(request.POST)
    url = reverse("portal:kb_article", args=[article.public_id]) + "#vote"
    if not form.is_valid():
        messages.error(request, _("Choose whether the answer was helpful."))
        return redirect(url)
    try:
        article_vote(
            actor=None,
            article=article,
            helpful=form.cleaned_data["helpful"],
            session_key=_voter_key(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you: your rating has been recorded."))
    return redirect(url)


# --- Policies -------------------------------------------------------------------------------


@require_http_methods(["GET"])
def policies(request):
    context = {"documents": knowledge.policy_list(None), "title": _("Policies and guides")}
    return render(request, "portal/public/policies.html", context)


def _in_force(public_id):
    """A public document and its version in force, else 404 (the registry's `audience`
    decides what is public; only the version in force is published)."""
    document = knowledge.document_get(None, public_id)
    version = knowledge.versions_for(None, document).filter(status=VersionStatus.APPROVED).first()
    if version is None:
        raise Http404
    return document, version


@require_http_methods(["GET"])
def policy(request, public_id):
    document, version = _in_force(public_id)
    context = {"document": document, "version": version, "title": document.title}
    return render(request, "portal/public/policy.html", context)


@require_http_methods(["GET"])
def policy_file(request, public_id):
    document, version = _in_force(public_id)
    if not version.file:
        raise Http404
    download = request.GET.get("download") == "1"
    # No actor: a member of the public. The row says where it came from.
    with acting_via("public"):
        policy_file_opened(actor=None, version=version, download=download)
    filename = f"{document.title} - {version.display_label}.pdf"
    return private_file_response(
        version.file, content_type="application/pdf", filename=filename, download=download
    )


# --- Channels and branches ------------------------------------------------------------------


@require_http_methods(["GET"])
def channels(request):
    opens, closes = public.office_hours()
    context = {
        "channels": public.channels(),
        "branches": public.branches(),
        "opens": opens,
        "closes": closes,
        "title": _("Reach us"),
    }
    return render(request, "portal/public/channels.html", context)


# --- Contact form ---------------------------------------------------------------------------

# Messages one address may send in an hour (MUSTAFID["PORTAL"]["CONTACT_PER_ADDRESS_PER_HOUR"]).
# Counted in the cache: Redis in production, so every app process shares it; a lost count
# only lets a few more messages through, and every message is stored anyway.
CONTACT_WINDOW_SECONDS = 3600

# Service (inbox) argument → form field, to show a service's error where it was typed.
_CONTACT_FIELDS = {
    "sender_name": "name",
    "sender_phone": "mobile",
    "sender_email": "email",
    "body": "message",
}


def _contact_limit() -> int:
    return settings.MUSTAFID["PORTAL"]["CONTACT_PER_ADDRESS_PER_HOUR"]


def _contact_key(request) -> str:
    # Keyed hash: the cache holds no readable address.
    return "portal:contact:" + keyed_hash(f"contact:{session.client_ip(request) or '-'}")


def _contact_allowed(request) -> bool:
    return (cache.get(_contact_key(request)) or 0) < _contact_limit()


def _contact_count(request) -> None:
    key = _contact_key(request)
    if not cache.add(key, 1, CONTACT_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, CONTACT_WINDOW_SECONDS)


def _contact_initial(beneficiary) -> dict:
    if beneficiary is None:
        return {}
    return {
        "name": f"{beneficiary.first_name} {beneficiary.family_name}",
        "mobile": "0" + beneficiary.mobile.removeprefix("+966"),
        "email": beneficiary.email,
    }


def _contact_store(request, form: ContactForm, beneficiary) -> bool:
    """Store a valid message in the staff inbox, within the address's hourly limit; False
    with the reason on the form otherwise."""
    if not _contact_allowed(request):
        form.add_error(
            None,
            _(
                "We have received several messages from this connection in the last hour. "
                "Please try again later, or call us."
            ),
        )
        return False
    data = form.cleaned_data
    with translation.override("ar"):
        subject = str(Kind(data["kind"]).label)
    payload = {"form": "portal.contact", "kind": data["kind"]}
    if beneficiary is not None:
        payload["signed_in"] = str(beneficiary.public_id)
    try:
        inbound_receive(
            source=Source.WEB_FORM,
            channel_code="website",
            external_id=str(uuid.uuid4()),
            body=data["message"],
            sender_name=data["name"],
            sender_phone=data["mobile"],
            sender_email=data["email"],
            subject=subject,
            payload=payload,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            exc = ValidationError({_CONTACT_FIELDS.get(k, k): v for k, v in exc.error_dict.items()})
        add_service_errors(form, exc)
        return False
    _contact_count(request)
    return True


@require_http_methods(["GET", "POST"])
def contact(request):
    beneficiary = session.current_beneficiary(request)
    form = ContactForm(
        request.POST if request.method == "POST" else None, initial=_contact_initial(beneficiary)
    )
    if request.method == "POST":
        if form.is_bot:
            # Answered as a success so the program learns nothing; nothing is stored.
            return redirect("portal:contact_thanks")
        if form.is_valid() and _contact_store(request, form, beneficiary):
            return redirect("portal:contact_thanks")
    context = {"form": form, "title": _("Write to us")}
    response = render(request, "portal/public/contact.html", context)
    if beneficiary is not None:
        add_never_cache_headers(response)
    return response


@require_http_methods(["GET"])
def contact_thanks(request):
    return render(request, "portal/public/contact_thanks.html", {"title": _("Thank you")})


# --- Request status by reference ------------------------------------------------------------


def _status_minutes() -> int:
    return max(1, settings.MUSTAFID["PORTAL"]["STATUS_SECONDS"] // 60)


@require_http_methods(["GET", "POST"])
def status(request):
    form = ReferenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["reference"]
        found = submitted_by_reference(reference)
        try:
            challenge = otp.otp_issue(
                purpose=Purpose.STATUS,
                typed=reference,
                beneficiary=found.beneficiary if found else None,
                subject_id=str(found.public_id) if found else "",
                ip_address=session.client_ip(request),
                field="reference",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("portal:status_code", challenge_id=challenge.public_id)
    return render(
        request, "portal/public/status.html", {"form": form, "title": _("Request status")}
    )


@require_http_methods(["GET", "POST"])
def status_code(request, challenge_id):
    challenge = otp.challenge_for(challenge_id, purpose=Purpose.STATUS)
    if challenge is None or challenge.verified_at is not None:
        raise Http404
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            row = otp.otp_verify(
                challenge=challenge, code=form.cleaned_data["code"], purpose=Purpose.STATUS
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The grant opens this one request's status page for a few minutes; a new
            # lookup replaces it.
            request.session[session.STATUS_KEY] = {
                "request": row.subject_id,
                "until": int(time.time()) + settings.MUSTAFID["PORTAL"]["STATUS_SECONDS"],
            }
            return redirect("portal:status_request", public_id=row.subject_id)
    context = {
        "form": form,
        "minutes": int(otp.limits().ttl.total_seconds() // 60),
        "title": _("Enter the code"),
    }
    return render(request, "portal/public/status_code.html", context)


@require_http_methods(["GET"])
def status_request(request, public_id):
    grant = request.session.get(session.STATUS_KEY) or {}
    if not grant or grant.get("until", 0) <= time.time():
        request.session.pop(session.STATUS_KEY, None)
        messages.info(
            request,
            _(
                "For your protection the status page stays open for %(minutes)d minutes. "
                "Type the reference again to get a new code."
            )
            % {"minutes": _status_minutes()},
        )
        return redirect("portal:status")
    if grant.get("request") != str(public_id):
        raise Http404
    support_request = submitted_by_public_id(public_id)
    if support_request is None:
        raise Http404
    context = {
        "support_request": support_request,
        "first_name": support_request.beneficiary.first_name,
        "status_words": applicant_status(support_request.status),
        "awaiting_decision": support_request.status in AWAITING_DECISION,
        "timeline": applicant_timeline(support_request),
        "minutes": _status_minutes(),
        "title": _("Request status"),
    }
    response = render(request, "portal/public/status_request.html", context)
    add_never_cache_headers(response)
    return response


urlpatterns = [
    path("", index, name="index"),
    path("services/", services, name="services"),
    path("kb/", kb, name="kb"),
    path("kb/<uuid:public_id>/", kb_article, name="kb_article"),
    path("kb/<uuid:public_id>/vote/", kb_vote, name="kb_vote"),
    path("policies/", policies, name="policies"),
    path("policies/<uuid:public_id>/", policy, name="policy"),
    path("policies/<uuid:public_id>/file/", policy_file, name="policy_file"),
    path("reach-us/", channels, name="channels"),
    path("contact/", contact, name="contact"),
    path("contact/thanks/", contact_thanks, name="contact_thanks"),
    path("status/", status, name="status"),
    path("status/code/<uuid:challenge_id>/", status_code, name="status_code"),
    path("status/request/<uuid:public_id>/", status_request, name="status_request"),
]
