"""The tables behind each page, as headers and rows: shown on the page, exported with
``?export=xlsx|csv&table=<name>`` (core.exports), printed in the board's PDF.

Values stay typed (numbers, dates, datetimes) so the spreadsheet can sort and sum them; the
page formats them (reports/templatetags/reports.py). Labels are translated when built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from reports.compliance import ComplianceReport
from reports.selectors import Dashboard, Row


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _breakdown(name: str, title: str, label: str, rows: list[Row], total: int) -> Table:
    return Table(
        name,
        title,
        [label, _("Number"), _("Share (%)")],
        [[r.label, r.value, round(100 * r.value / total, 1) if total else None] for r in rows],
    )


def dashboard_tables(d: Dashboard) -> dict[str, Table]:
    total = d.requests_total
    dec = d.decisions
    t = d.tickets
    s = d.satisfaction
    tables = [
        _breakdown("stage", _("Requests by stage"), _("Stage"), d.by_stage, total),
        _breakdown("channel", _("Requests by channel"), _("Channel"), d.by_channel, total),
        _breakdown("branch", _("Requests by branch"), _("Branch"), d.by_branch, total),
        _breakdown(
            "category", _("Requests by beneficiary category"), _("Category"), d.by_category, total
        ),
        Table(
            "decisions",
            _("Decisions against the promised date"),
            [_("Measure"), _("Value")],
            [
                [_("Requests submitted"), total],
                [_("Decided"), dec.decided],
                [_("Decided by the promised date"), dec.on_time],
                [_("Decided after the promised date"), dec.late],
                [_("Past the promised date, undecided"), dec.overdue],
                [_("Not yet due"), dec.waiting],
                [_("Share decided on time (%)"), dec.on_time_share],
                [_("Average days to a decision"), dec.avg_days],
                [_("Approved"), dec.approved],
                [_("Rejected"), dec.rejected],
                [_("Acceptance rate (%)"), dec.acceptance_rate],
            ],
        ),
        Table(
            "tickets",
            _("Inquiries, complaints, suggestions and praise"),
            [_("Measure"), _("Value")],
            [
                [_("Tickets opened"), t.total],
                [_("Inquiries"), t.by_kind["inquiry"]],
                [_("Complaints"), t.by_kind["complaint"]],
                [_("Suggestions"), t.by_kind["suggestion"]],
                [_("Praise"), t.by_kind["praise"]],
                [_("Average first response (hours)"), t.avg_response_hours],
                [_("First response on time (%)"), t.response_on_time_share],
                [_("Average resolution (hours)"), t.avg_resolution_hours],
                [_("Resolved on time (%)"), t.resolution_on_time_share],
                [_("With an owner (%)"), t.owner_share],
            ],
        ),
        _breakdown(
            "complaints",
            _("Complaints by category"),
            _("Category"),
            d.complaints_by_category,
            t.by_kind["complaint"],
        ),
        _breakdown(
            "contacts",
            _("Contacts per channel"),
            _("Channel"),
            d.contacts_by_channel,
            d.contacts_total,
        ),
        Table(
            "satisfaction",
            _("Satisfaction by Hijri month"),
            [_("Month"), _("Answers"), _("Average satisfaction (1–5)"), _("Net promoter score")],
            [[p.label, p.answers, p.csat, p.nps] for p in s.points]
            + [[_("The whole period"), s.answers, s.csat, s.nps]],
        ),
    ]
    return {table.name: table for table in tables}


def compliance_table(report: ComplianceReport) -> Table:
    rows = []
    for clause in report.clauses:
        figures = "؛ ".join(f"{f.label}: {f.display}" for f in clause.figures)
        rows.append(
            [
                clause.id,
                clause.title,
                clause.requirement,
                figures,
                clause.threshold,
                clause.mark_label,
            ]
        )
    return Table(
        "compliance",
        _("Policy compliance"),
        [_("Clause"), _("Title"), _("Requirement"), _("Evidence"), _("Threshold"), _("Result")],
        rows,
    )


# --- Drill-down lists (personal data: every export is recorded) -----------------------------


@dataclass(frozen=True)
class Listing:
    headers: list[str]
    rows: list[list[Any]]
    links: list[str]  # the first cell's link, per row


def _applicant(beneficiary) -> str:
    return beneficiary.full_name if beneficiary is not None else ""


def request_listing(objects) -> Listing:
    rows, links = [], []
    for r in objects:
        decision = ""
        if r.first_final is not None:
            decision = _("Approved") if r.first_approved == r.first_final else _("Rejected")
        rows.append(
            [
                r.reference,
                _applicant(r.beneficiary),
                r.branch.name,
                r.channel.name,
                r.get_status_display(),
                r.submitted_at,
                r.expected_decision_date,
                r.first_final,
                decision,
            ]
        )
        links.append(reverse("assistance:detail", args=[r.public_id]))
    return Listing(
        [
            _("Reference"),
            _("Applicant"),
            _("Branch"),
            _("Channel"),
            _("Status"),
            _("Submitted"),
            _("Promised decision date"),
            _("Decided"),
            _("Decision"),
        ],
        rows,
        links,
    )


def ticket_listing(objects) -> Listing:
    rows, links = [], []
    for t in objects:
        rows.append(
            [
                t.reference,
                t.get_kind_display(),
                t.category.name,
                _applicant(t.beneficiary) or t.person_name,
                t.branch.name,
                t.channel.name,
                t.get_status_display(),
                t.created_at,
                t.first_responded_at,
                t.first_response_due,
                t.resolved_at,
                t.resolution_due,
                t.owner.display_name if t.owner else "",
            ]
        )
        links.append(reverse("contact:ticket", args=[t.public_id]))
    return Listing(
        [
            _("Reference"),
            _("Kind"),
            _("Category"),
            _("Person"),
            _("Branch"),
            _("Channel"),
            _("Status"),
            _("Opened"),
            _("First response"),
            _("First response due"),
            _("Resolved"),
            _("Resolution due"),
            _("Owner"),
        ],
        rows,
        links,
    )


def contact_listing(objects) -> Listing:
    rows, links = [], []
    for i in objects:
        rows.append(
            [
                i.subject,
                i.occurred_at,
                i.channel.name,
                i.get_direction_display(),
                _applicant(i.beneficiary) or i.person_name,
                i.branch.name,
                i.recorded_by.display_name,
            ]
        )
        links.append(reverse("contact:interaction", args=[i.public_id]))
    return Listing(
        [
            _("Subject"),
            _("Time"),
            _("Channel"),
            _("Direction"),
            _("Person"),
            _("Branch"),
            _("Recorded by"),
        ],
        rows,
        links,
    )
