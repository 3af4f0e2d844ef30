"""The overdue screen (issue §10): requests past the decision date promised to the applicant."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import permissions
from assistance import deadlines
from assistance.models import Status
from core.decorators import role_required
from core.listing import paginate


@require_GET
@role_required(permissions.can_view_registry)
def overdue(request):
    today = timezone.localdate()
    status = request.GET.get("status", "")
    owner = request.GET.get("owner", "")
    qs = deadlines.overdue_requests(request.user, today=today, status=status, owner=owner)
    page = paginate(request, qs, settings.MUSTAFID["PAGE_SIZE"])
    # Materialise the page once, so the days computed here are the rows the table shows.
    page.object_list = deadlines.mark_days_overdue(page.object_list, today=today)
    context = {
        "page": page,
        "today": today,
        "selected_status": status if status in deadlines.STAGES else "",
        "selected_owner": owner,
        "title": _("Overdue requests"),
    }
    if request.htmx:
        return render(request, "assistance/_overdue_table.html", context)
    summary = deadlines.overdue_summary(request.user, today=today)
    context |= {
        "summary": summary,
        "stages": [(s, Status(s).label) for s in deadlines.STAGES],
        "unassigned": deadlines.UNASSIGNED,
    }
    return render(request, "assistance/overdue.html", context)
