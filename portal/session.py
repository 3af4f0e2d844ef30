"""Who the beneficiary is on the portal. The portal's sign-in is separate from staff sign-in:
the session holds the beneficiary's public id (never a national ID) under its own key, with
its own idle timeout, and staff permissions never apply to it.

Views of the signed-in portal use `beneficiary_required`; they then read only through
`request.beneficiary`, so another person's reference in a URL finds nothing (404).
"""

from __future__ import annotations

import functools
import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

from beneficiaries.models import Beneficiary, PrivacyNotice
from core.activity import acting_via, log_action

SESSION_KEY = "portal"
STATUS_KEY = "portal_status"


def client_ip(request) -> str | None:
    # Behind the reverse proxy the address is set by it (DESIGN §3); REMOTE_ADDR otherwise.
    return request.META.get("REMOTE_ADDR") or None


def sign_in(request, beneficiary: Beneficiary) -> None:
    """Start a portal session for `beneficiary` (a new session key: no fixation). Logs
    `portal.signed_in` on the beneficiary's timeline."""
    request.session.cycle_key()
    now = int(time.time())
    request.session[SESSION_KEY] = {"b": str(beneficiary.public_id), "seen": now}
    with acting_via("portal"):
        log_action(
            actor=None,
            action="portal.signed_in",
            target=beneficiary,
            data={"ip": client_ip(request)},
        )


def sign_out(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(STATUS_KEY, None)
    request.session.cycle_key()


def current_beneficiary(request) -> Beneficiary | None:
    """The signed-in beneficiary, or None when nobody is or the session sat idle too long."""
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    now = int(time.time())
    if now - data.get("seen", 0) > settings.MUSTAFID["PORTAL"]["IDLE_SECONDS"]:
        sign_out(request)
        return None
    beneficiary = (
        Beneficiary.objects.select_related("city", "branch").filter(public_id=data["b"]).first()
    )
    if beneficiary is None:
        sign_out(request)
        return None
    if now - data["seen"] > 30:  # write the session back at most every 30 s
        data["seen"] = now
        request.session.modified = True
    return beneficiary


def needs_consent(beneficiary: Beneficiary) -> PrivacyNotice | None:
    """The current privacy notice when the beneficiary has not acknowledged it yet."""
    notice = PrivacyNotice.objects.order_by("-effective_from").first()
    if notice is None or beneficiary.consents.filter(notice=notice).exists():
        return None
    return notice


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def beneficiary_required(view=None, *, consent: bool = True):
    """Sign-in (and, unless `consent=False`, the current privacy notice) before the view.
    Sets `request.beneficiary`; pages with personal data are never cached."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            beneficiary = current_beneficiary(request)
            if beneficiary is None:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('portal:login')}?{query}")
            if consent and needs_consent(beneficiary) is not None:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('portal:consent')}?{query}")
            request.beneficiary = beneficiary
            with acting_via("portal"):
                response = func(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        return wrapper

    return decorate(view) if view is not None else decorate
