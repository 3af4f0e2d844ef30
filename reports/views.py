"""The manager's dashboard, the policy compliance report (page and PDF) and the drill-down
lists behind their numbers. Thin: parse the filters, call a selector, render or export."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assistance.models import Status
from contact import selectors as contact_selectors
from contact.models import Kind, TicketCategory
from core import charts
from core.decorators import role_required
from core.exports import requested_format, table_response
from core.hijri import format_dual
from core.http import pdf_response
from reports import compliance as compliance_selectors
from reports import selectors, services, tables
from reports.forms import ReportFilterForm
from reports.models import ExportKind
from reports.permissions import can_view_reports

# A drill-down export names people: a few thousand rows is a working list, more is a dump.
EXPORT_MAX_ROWS = 10_000


def _form(request) -> ReportFilterForm:
    return ReportFilterForm(request.GET, user=request.user)


def _url(name: str, filters: selectors.Filters, **overrides) -> str:
    return f"{reverse(name)}?{urlencode(filters.params(**overrides))}"


def _export_table(table: tables.Table, fmt: str, filters: selectors.Filters):
    period = f"{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
    return table_response(
        filename=f"{table.name}-{period}",
        title=table.title,
        headers=table.headers,
        rows=table.rows,
        fmt=fmt,
    )


# --- Dashboard ------------------------------------------------------------------------------


def _percent_text(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _dashboard_charts(d: selectors.Dashboard, user) -> dict:
    f = d.filters
    requests_url = "reports:requests"
    tickets_url = "reports:tickets"

    def contacts_link(row) -> str:
        # The contacts list filters by channel, branch and dates; the category only here.
        if f.category is None:
            params = {
                "channel": row.key,
                "date_from": f.start.isoformat(),
                "date_to": f.end.isoformat(),
            }
            if f.branch is not None and not user.branch_id:
                params["branch"] = f.branch.code
            return f"{reverse('contact:list')}?{urlencode(params)}"
        return _url("reports:contacts", f, channel=row.key)

    def rows(breakdown):
        return [(r.label, r.value) for r in breakdown]

    dec = d.decisions
    decisions = [
        ("on_time", _("Decided by the promised date"), dec.on_time),
        ("late", _("Decided after the promised date"), dec.late),
        ("overdue", _("Past the promised date, undecided"), dec.overdue),
        ("waiting", _("Not yet due"), dec.waiting),
    ]
    kinds = [(k, label, d.tickets.by_kind[k]) for k, label in Kind.choices]
    s = d.satisfaction
    return {
        "stage": charts.bars(
            rows(d.by_stage), urls=[_url(requests_url, f, status=r.key) for r in d.by_stage]
        ),
        "channel": charts.bars(
            rows(d.by_channel), urls=[_url(requests_url, f, channel=r.key) for r in d.by_channel]
        ),
        "branch": charts.bars(
            rows(d.by_branch), urls=[_url(requests_url, f, branch=r.key) for r in d.by_branch]
        ),
        "category": charts.bars(
            rows(d.by_category),
            urls=[
                _url(requests_url, f, category=r.key)
                if r.key
                else _url(requests_url, f, no_category=1)
                for r in d.by_category
            ],
        ),
        "decisions": charts.bars(
            [(label, value) for _key, label, value in decisions],
            urls=[_url(requests_url, f, decision=key) for key, _label, _value in decisions],
        ),
        "kinds": charts.bars(
            [(label, value) for _key, label, value in kinds],
            urls=[_url(tickets_url, f, kind=key) for key, _label, _value in kinds],
        ),
        "complaints": charts.bars(
            rows(d.complaints_by_category),
            urls=[
                _url(tickets_url, f, kind=Kind.COMPLAINT, ticket_category=r.key)
                for r in d.complaints_by_category
            ],
        ),
        "contacts": charts.bars(
            rows(d.contacts_by_channel), urls=[contacts_link(r) for r in d.contacts_by_channel]
        ),
        "csat": charts.trend(
            [(p.label, p.csat) for p in s.points], low=1, high=5, fmt=lambda v: f"{v:.2f}"
        ),
        "nps": charts.trend(
            [(p.label, p.nps) for p in s.points], low=-100, high=100, fmt=lambda v: f"{v:.1f}"
        ),
    }


def _dashboard_links(f: selectors.Filters) -> dict[str, str]:
    r, t = "reports:requests", "reports:tickets"
    return {
        "requests": _url(r, f),
        "decided": _url(r, f, decision="decided"),
        "approved": _url(r, f, decision="approved"),
        "rejected": _url(r, f, decision="rejected"),
        "on_time": _url(r, f, decision="on_time"),
        "overdue": _url(r, f, decision="overdue"),
        "tickets": _url(t, f),
        "response_late": _url(t, f, sla="response_late"),
        "response_on_time": _url(t, f, sla="response_on_time"),
        "resolution_late": _url(t, f, sla="resolution_late"),
        "resolution_on_time": _url(t, f, sla="resolution_on_time"),
    }


@require_GET
@role_required(can_view_reports)
def dashboard(request):
    form = _form(request)
    context = {"form": form, "title": _("Dashboard")}
    if form.is_bound and not form.is_valid():
        return render(request, "reports/dashboard.html", context)
    services.figures_ready()
    data = selectors.dashboard(request.user, form.filters())
    fmt = requested_format(request)
    if fmt:
        table = tables.dashboard_tables(data).get(request.GET.get("table", ""))
        if table is None:
            raise Http404
        return _export_table(table, fmt, data.filters)
    context |= {
        "d": data,
        "charts": _dashboard_charts(data, request.user),
        "links": _dashboard_links(data.filters),
        "compliance_url": _url("reports:compliance", data.filters),
    }
    return render(request, "reports/dashboard.html", context)


# --- Compliance report ----------------------------------------------------------------------


@require_GET
@role_required(can_view_reports)
def compliance(request):
    form = _form(request)
    context = {"form": form, "title": _("Policy compliance")}
    if form.is_bound and not form.is_valid():
        return render(request, "reports/compliance.html", context)
    services.figures_ready()
    report = compliance_selectors.compliance_report(request.user, form.filters())
    fmt = requested_format(request)
    if fmt:
        if request.GET.get("table", "compliance") != "compliance":
            raise Http404
        return _export_table(tables.compliance_table(report), fmt, report.filters)
    context |= {
        "report": report,
        "pdf_url": _url("reports:compliance_pdf", report.filters),
        "dashboard_url": _url("reports:dashboard", report.filters),
        "start": report.filters.start,
        "end": report.filters.end,
    }
    return render(request, "reports/compliance.html", context)


@require_GET
@role_required(can_view_reports)
def compliance_pdf(request):
    """The report for the board, on the letterhead, in Arabic whatever the reader's
    language; it names nobody (aggregates), so it is not logged as a personal-data export."""
    from core.pdf import dual_datetime, letterhead_context, render_pdf  # WeasyPrint: when needed

    form = _form(request)
    if form.is_bound and not form.is_valid():
        return render(
            request, "reports/compliance.html", {"form": form, "title": _("Policy compliance")}
        )
    services.figures_ready()
    with translation.override("ar"):
        report = compliance_selectors.compliance_report(request.user, form.filters())
        f = report.filters
        context = letterhead_context(reference="", branch=f.branch)
        context |= {
            "report": report,
            "period": f"{format_dual(f.start)} – {format_dual(f.end)}",
            "printed_by": request.user.display_name,
            "counted_at": dual_datetime(report.counted_at) if report.counted_at else "",
        }
        content = render_pdf("reports/compliance_pdf.html", context)
    return pdf_response(content, f"compliance-{f.start:%Y%m%d}-{f.end:%Y%m%d}.pdf")


# --- Drill-down lists -----------------------------------------------------------------------


def _page_size() -> int:
    return settings.MUSTAFID["PAGE_SIZE"]


def _drilldown(request, *, kind: str, build, column: str, listing, narrowing: list[str]):
    form = _form(request)
    context = {
        "form": form,
        "kind": kind,
        "title": ExportKind(kind).label,
        "export_limit": EXPORT_MAX_ROWS,
    }
    if form.is_bound and not form.is_valid():
        return render(request, "reports/drilldown.html", context)
    filters = form.filters()
    qs = build(filters)
    fmt = requested_format(request)
    if fmt:
        objects = list(qs.order_by(f"-{column}", "-pk")[:EXPORT_MAX_ROWS])
        result = listing(objects)
        asked = {k: v for k, v in request.GET.items() if k not in ("export", "after")}
        services.export_record(
            actor=request.user, kind=kind, fmt=fmt, filters=asked, row_count=len(objects)
        )
        scoped = filters.scoped(request.user)
        return table_response(
            filename=f"{kind}-{scoped.start:%Y%m%d}-{scoped.end:%Y%m%d}",
            title=str(ExportKind(kind).label),
            headers=result.headers,
            rows=result.rows,
            fmt=fmt,
        )
    page = contact_selectors.keyset_page(
        qs,
        column=column,
        descending=True,
        cursor=request.GET.get("after", ""),
        per_page=_page_size(),
    )
    result = listing(page.object_list)
    scoped = filters.scoped(request.user)
    context |= {
        "filters": scoped,
        "page": page,
        "total": qs.count(),
        "listing": result,
        "lines": list(zip(result.links, result.rows, strict=True)),
        "narrowing": narrowing,
        "dashboard_url": _url("reports:dashboard", scoped),
    }
    template = "reports/_drilldown_rows.html" if request.htmx else "reports/drilldown.html"
    return render(request, template, context)


@require_GET
@role_required(can_view_reports)
def request_list(request):
    status = request.GET.get("status", "")
    decision = request.GET.get("decision", "")
    no_category = request.GET.get("no_category") == "1"
    narrowing = []
    if status in Status.values:
        narrowing.append(f"{_('Stage')}: {Status(status).label}")
    labels = {
        "decided": _("Decided"),
        "approved": _("Approved"),
        "rejected": _("Rejected"),
        "on_time": _("Decided by the promised date"),
        "late": _("Decided after the promised date"),
        "overdue": _("Past the promised date, undecided"),
        "waiting": _("Not yet due"),
    }
    if decision in labels:
        narrowing.append(f"{_('Decision')}: {labels[decision]}")
    if no_category:
        narrowing.append(_("No category"))
    return _drilldown(
        request,
        kind=ExportKind.REQUESTS,
        build=lambda f: selectors.request_drilldown(
            request.user, f, status=status, decision=decision, no_category=no_category
        ),
        column="submitted_at",
        listing=tables.request_listing,
        narrowing=narrowing,
    )


@require_GET
@role_required(can_view_reports)
def ticket_list(request):
    kind = request.GET.get("kind", "")
    category = request.GET.get("ticket_category", "")
    sla = request.GET.get("sla", "")
    narrowing = []
    if kind in Kind.values:
        narrowing.append(f"{_('Kind')}: {Kind(kind).label}")
    if category:
        found = TicketCategory.objects.filter(code=category).first()
        narrowing.append(f"{_('Category')}: {found.name if found else category}")
    labels = {
        "response_on_time": _("First response on time"),
        "response_late": _("First response late"),
        "resolution_on_time": _("Resolved on time"),
        "resolution_late": _("Resolution late"),
    }
    if sla in labels:
        narrowing.append(labels[sla])
    return _drilldown(
        request,
        kind=ExportKind.TICKETS,
        build=lambda f: selectors.ticket_drilldown(
            request.user, f, kind=kind, ticket_category=category, sla=sla
        ),
        column="created_at",
        listing=tables.ticket_listing,
        narrowing=narrowing,
    )


@require_GET
@role_required(can_view_reports)
def contact_list(request):
    return _drilldown(
        request,
        kind=ExportKind.CONTACTS,
        build=lambda f: selectors.contact_drilldown(request.user, f),
        column="occurred_at",
        listing=tables.contact_listing,
        narrowing=[],
    )
