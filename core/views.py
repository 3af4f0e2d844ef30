from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import permissions
from core.hijri import format_dual, parse_any_date


@require_GET
@login_required
def home(request):
    """The start screen: what this user can act on, in their own scope."""
    from beneficiaries import selectors
    from beneficiaries.models import Document

    user = request.user
    context = {"title": _("Home"), "can_view_registry": permissions.can_view_registry(user)}
    if context["can_view_registry"]:
        scope = selectors.beneficiaries_for(user)
        today = timezone.localdate()
        month_start = today.replace(day=1)
        context["stats"] = {
            "total": scope.count(),
            "this_month": scope.filter(created_at__date__gte=month_start).count(),
        }
        if permissions.can_view_sensitive(user):
            warn = today + timedelta(days=settings.MUSTAFID["DOCUMENT_EXPIRY_WARNING_DAYS"])
            documents = Document.objects.filter(beneficiary__in=scope)
            context["stats"] |= {
                "expired_documents": documents.filter(expires_on__lt=today).count(),
                "expiring_documents": documents.filter(
                    expires_on__gte=today, expires_on__lte=warn
                ).count(),
            }
        context["recent"] = list(scope.select_related("branch").order_by("-created_at")[:8])
    context["today"] = timezone.localdate()
    return render(request, "core/home.html", context)


@require_GET
@login_required
def date_preview(request):
    """htmx helper: shows a typed date in both calendars as the user types."""
    # htmx sends the input's own name and value; take the first non-empty value given.
    raw = next((v for v in request.GET.values() if v.strip()), "")
    if not raw.strip():
        return HttpResponse("")
    try:
        parsed = parse_any_date(raw)
    except ValidationError as exc:
        return HttpResponse(format_html('<span class="hint-error">{}</span>', exc.messages[0]))
    return HttpResponse(format_html('<span class="hint-ok">{}</span>', format_dual(parsed)))
