"""Benchmark of reporting and outreach (issue 6, "Speed"): the manager's dashboard under every
filter, the policy compliance report (HTML and PDF), and each outreach rule's audience over
the whole registry.

    .venv/bin/python bench/reports.py [--size full|medium|small] [--samples 30]
                                      [--report-samples 10] [--audience-samples 10]
                                      [--baseline-samples 5] [--reuse] [--explain]

Sizes (each count can also be set alone: --beneficiaries, --requests, --interactions,
--tickets, --invitations, --responses):

    full    200,000 beneficiaries, 200,000 support requests, 1,000,000 interactions,
            300,000 tickets, 450,000 survey invitations and 300,000 survey answers — the
            issue's figures, and the default (built in twenty to forty minutes on PostgreSQL
            on two shared cores: build it once, then run with --reuse)
    medium  a fifth of that
    small   a fiftieth — a quick check that the benchmark runs

It always works on a database of its own, never the app's: with DATABASE_URL set (PostgreSQL)
it drops and recreates `mustafid_bench_reports` on the same server (or the database
DATABASE_URL names, when that name contains "bench"); otherwise the SQLite file
var/bench/reports.sqlite3. `--reuse` keeps a database that already holds the same counts.

The data, built in bulk (COPY on PostgreSQL) with the other benchmarks' own builders:
  - beneficiaries with their households and categories from `seed_demo`, and support
    requests over every state of DESIGN.md §4 spread over three years with their promised
    decision dates, applicant questions and SMS outbox (bench/workflow.py's `seed`);
  - interactions over three years on the eight channels and tickets over every kind,
    category, status and owner with their business-hour deadlines (bench/contact.py's
    `seed_interactions` and `seed_tickets`, with the official holidays);
  - here: committee meetings twice a week with an agenda item for every decided request
    (approved, rejected or deferred, about one in seven decided after the promised date,
    some deferred once before their final decision), enrolments of the approved, a social
    research for every request that reached one (some reported late, some still open),
    two checklist items per submitted request, the signed declaration of 96 % of them;
    documents — an identity card per file and per household member with an identity number
    (expiries from a year ago to five years ahead, some already renewed), leases of rented
    homes, income statements; reception visits with waiting and service times;
    data-subject requests (some answered late, some extended); survey invitations (answered,
    expired, sent, waiting, skipped) over the last two Hijri years across the five events,
    the branches, channels, aid types and staff, and one answer per answered invitation with
    its CSAT, NPS, effort and comment (a fifth anonymous, unlinked) and their answer rows;
    the knowledge-base demo articles. Household members turning 18 are those `seed_demo`
    drew; the outreach rules are the ones outreach's migration seeds (with categories), and
    one bench rule per trigger over everyone.

It times, through Django's test client and the real views, templates, middleware and session,
as a head-office manager:
  1. the dashboard (`reports:dashboard`) with no filter (the current Hijri year), the last
     full Hijri month, one branch, one channel, one beneficiary category, and the last two
     years as a date range; p50/p95 and queries per page; target p95 ≤ 500 ms.
     Baseline: the same figures computed one COUNT (or one aggregate) per number on the page
     — per status, channel, branch, category, decision outcome, ticket kind and deadline,
     contact channel and Hijri month — through the reports app's own scoped querysets and
     drill-down lists: what a dashboard built from list views' counts costs. It is measured
     for every filter, and its numbers are checked against the page's (printed "figures
     equal").
  2. the compliance report (`reports:compliance`) as HTML and as PDF, the current Hijri year
     and the two-year range; target ≤ 2 s. Baseline: the COUNT-per-number figures of the
     same period (most of the report's evidence is the dashboard's figures).
  3. `outreach.selectors.rule_audience` for every rule (each trigger: document expiring,
     information pending, no contact, orphan turning 18, season) over the whole registry,
     and the rule's preview page (`outreach:rule_detail`); target ≤ 2 s. Baseline: the
     straightforward ORM spelling of the same condition — joins through the reverse
     relations with DISTINCT (MAX(occurred_at) GROUP BY for "no contact") instead of
     EXISTS / NOT EXISTS subqueries; its count is printed next to the audience's (it does
     not leave out renewed documents, so it may find a few more).

First the daily figures the pages read are recounted as the worker does every five minutes
(reports.recount), and that recount is timed and printed with the size of each table. The
dashboard and the report are also timed as their selectors alone (no view, no template).
Each figure is printed with its target, its ratio to the baseline of its group (p95 over the
baseline's p95), its queries and the time the database spent on them in one run ("db ms": the
rest is Python — view, template, PDF layout). When a figure misses its target, every statement
of one run is listed with its time and the three slowest with the database's plan (EXPLAIN
ANALYZE on PostgreSQL); `--explain` prints them for every timed page.

The other benchmarks' builders write with `beneficiaries.demo.raw_insert`; here it is wrapped
(`common.fill_defaults`) so that columns added to a model since a builder was written get the
model's default, and keys to a UUID primary key are converted, as the ORM would.

It reports; it is not a test, so it exits 0 whatever the figures (DESIGN.md §6).
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import importlib.util
import logging
import os
import random
import sqlite3
import sys
import time
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import common
import workflow
from common import ROOT, Measure, database_version, measure, setup_django

BENCH_DB_NAME = "mustafid_bench_reports"
SQLITE_PATH = common.SQLITE_DIR / "reports.sqlite3"
TARGET_DASHBOARD_MS = 500.0
TARGET_REPORT_MS = 2000.0
TARGET_AUDIENCE_MS = 2000.0
SURVEY_DAYS = 700  # about two Hijri years of survey answers
YEARS = 3  # requests, contacts and tickets (the other benchmarks' builders)
BATCH = 50_000


def _load_contact_bench():
    """bench/contact.py under another name: `contact` is the Django app's."""
    path = Path(__file__).resolve().parent / "contact.py"
    spec = importlib.util.spec_from_file_location("bench_contact", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


contact_bench = _load_contact_bench()


@dataclass(frozen=True)
class Size:
    beneficiaries: int
    requests: int
    interactions: int
    tickets: int
    invitations: int
    responses: int


SIZES = {
    "full": Size(200_000, 200_000, 1_000_000, 300_000, 450_000, 300_000),
    "medium": Size(40_000, 40_000, 200_000, 60_000, 90_000, 60_000),
    "small": Size(4_000, 4_000, 20_000, 6_000, 9_000, 6_000),
}
COUNTS = tuple(Size.__dataclass_fields__)

# The final outcome of the committee behind each state (closed: served, or refused).
FINAL_BY_STATUS = {
    "approved": "approved",
    "enrolled": "approved",
    "in_service": "approved",
    "rejected": "rejected",
    "appealed": "rejected",
    "deferred": "deferred",
}
ENROLLED_STATES = ("enrolled", "in_service")
RESEARCHED_STATES = (
    "researched",
    "in_committee",
    "approved",
    "rejected",
    "deferred",
    "appealed",
    "enrolled",
    "in_service",
    "closed",
)
EVENT_WEIGHTS = {"ticket": 35, "reception": 20, "decision": 20, "delivery": 20, "home_visit": 5}
VISIT_PURPOSES = (
    "الاستفسار عن حالة الطلب",
    "تسليم مستندات ناقصة",
    "تقديم طلب مساعدة جديد",
    "استلام سلة غذائية",
    "تحديث بيانات الأسرة",
)
ASSESSMENTS = (
    "الأسرة تسكن بالإيجار ودخلها دون حد الكفاية، وتستحق الدعم.",
    "الحالة مستقرة ويكفي الدخل الحالي الاحتياجات الأساسية.",
    "يُوصى بمساعدة عاجلة لسداد الإيجار المتأخر.",
)
COMMENTS = (
    "الموظف كان متعاوناً جداً، شكراً لكم",
    "تأخر التسليم عن الموعد أسبوعاً",
    "أتمنى تقليل المستندات المطلوبة",
    "الانتظار في الفرع طويل",
    "خدمة ممتازة وسريعة",
)


# --- Seeding ----------------------------------------------------------------------------------


def _fake_sha(*parts: object) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _at(day: date, hour: int, minute: int = 0):
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, dt_time(hour, minute)))


def seed_documents(rng: random.Random) -> dict[int, int]:
    """Identity cards, leases and income statements; returns {beneficiary: identity card}."""
    from django.utils import timezone

    from beneficiaries.models import Beneficiary, Document, DocumentType, HouseholdMember

    now = timezone.now()
    today = timezone.localdate()
    types = dict(DocumentType.objects.values_list("code", "pk"))
    fields = (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "beneficiary",
        "member",
        "doc_type",
        "file",
        "original_name",
        "content_type",
        "extension",
        "size",
        "sha256",
        "issued_on",
        "expires_on",
        "note",
        "uploaded_by",
    )
    rows: list[tuple] = []
    cards: dict[int, int] = {}
    pk = _next_id(Document)

    def add(beneficiary, member, code, created, issued, expires, png=False) -> int:
        nonlocal pk
        ext = "png" if png else "pdf"
        rows.append(
            (
                pk,
                uuid.uuid4(),
                created,
                created,
                beneficiary,
                member,
                types[code],
                f"documents/bench/{pk}.{ext}",
                f"{code}.{ext}",
                "image/png" if png else "application/pdf",
                ext,
                rng.randint(40_000, 900_000),
                _fake_sha("doc", pk),
                issued,
                expires,
                "",
                None,
            )
        )
        pk += 1
        if len(rows) == BATCH:
            contact_bench.write(Document, fields, rows)
            rows.clear()
        return pk - 1

    def card(beneficiary, member, registered) -> int:
        # Ten-year cards: expiries from a year ago to five years ahead.
        expires = today + timedelta(days=rng.randint(-400, 5 * 365))
        issued = expires - timedelta(days=3650)
        created = min(now, registered + timedelta(hours=rng.uniform(0, 2)))
        first = add(beneficiary, member, "national_id", created, issued, expires, png=True)
        # Some renewed near expiry and uploaded again: the old one no longer reminds.
        if abs((expires - today).days) <= 60 and rng.random() < 0.1:
            renewed = now - timedelta(days=rng.randint(1, 20))
            if renewed > created:
                new_expiry = today + timedelta(days=3650 - rng.randint(0, 30))
                add(beneficiary, member, "national_id", renewed, today, new_expiry, png=True)
        return first

    people = Beneficiary.objects.order_by("pk").values_list("pk", "created_at", "housing_type")
    for beneficiary, registered, housing in people.iterator(chunk_size=10_000):
        cards[beneficiary] = card(beneficiary, None, registered)
        if housing == "rented":
            expires = today + timedelta(days=rng.randint(-200, 365))
            add(beneficiary, None, "lease", registered, expires - timedelta(days=365), expires)
        issued = today - timedelta(days=rng.randint(0, 400))
        income = rng.choice(("social_security", "salary_letter", "pension"))
        add(beneficiary, None, income, registered, issued, None)
    members = (
        HouseholdMember.objects.exclude(id_number="")
        .order_by("pk")
        .values_list("pk", "beneficiary_id", "created_at")
    )
    for member, beneficiary, registered in members.iterator(chunk_size=10_000):
        if rng.random() < 0.4:
            card(beneficiary, member, registered)
    contact_bench.write(Document, fields, rows)
    contact_bench.reset_sequences(Document)
    return cards


def seed_decisions(cards: dict[int, int], staff, cast, rng: random.Random) -> None:
    """Meetings twice a week, an agenda item per decided request, enrolments, research,
    checklists and the signed declarations."""
    from django.utils import timezone

    from accounts.models import Role, User
    from assistance.models import (
        AgendaItem,
        AidType,
        Attestation,
        ChecklistItem,
        Declaration,
        Enrolment,
        Meeting,
        Research,
        SupportRequest,
    )
    from beneficiaries.models import DocumentType

    now = timezone.now()
    today = timezone.localdate()
    aid_types = list(AidType.objects.values_list("pk", flat=True))
    researchers = [
        User.objects.update_or_create(
            username=f"bench-researcher-{i}",
            defaults={"role": Role.SOCIAL_RESEARCHER, "full_name": f"bench-researcher-{i}"},
        )[0].pk
        for i in range(1, 7)
    ]
    service_officer = User.objects.update_or_create(
        username="bench-service",
        defaults={"role": Role.SERVICE_OFFICER, "full_name": "bench-service"},
    )[0].pk
    already = set(AgendaItem.objects.values_list("request_id", flat=True))
    requests = list(
        SupportRequest.objects.filter(submitted_at__isnull=False)
        .order_by("pk")
        .values_list(
            "pk", "status", "submitted_at", "expected_decision_date", "beneficiary_id", "owner_id"
        )
    )
    if not requests:
        return

    # Meetings: every Sunday and Wednesday since the first submission, and one today.
    first = timezone.localtime(min(r[2] for r in requests)).date()
    days = [
        first + timedelta(days=n)
        for n in range((today - first).days + 1)
        if (first + timedelta(days=n)).weekday() in (6, 2)
    ]
    if not days or days[-1] != today:
        days.append(today)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                number=f"LJ-{day:%Y%m%d}",
                date=day,
                quorum=3,
                created_by=cast.chair,
                closed_at=min(now, _at(day, 13)),
            )
            for day in days
        ]
    )
    meeting_of = {m.date: m.pk for m in meetings}
    positions: dict[int, int] = {}

    def meeting_on_or_after(day: date) -> date:
        index = bisect.bisect_left(days, day)
        return days[min(index, len(days) - 1)]

    item_fields = (
        "id",
        "meeting",
        "request",
        "position",
        "aid_type",
        "amount",
        "months",
        "outcome",
        "reason_text",
        "deferred_need",
        "decided_at",
    )
    items, enrolments, researches, checklist, attestations = [], [], [], [], []
    item_pk = _next_id(AgendaItem)

    def item(request_pk, day, outcome, submitted) -> tuple[int, datetime]:
        nonlocal item_pk
        meeting = meeting_of[day]
        positions[meeting] = positions.get(meeting, 0) + 1
        decided = min(
            now - timedelta(minutes=1), _at(day, 11) + timedelta(minutes=rng.randrange(120))
        )
        decided = max(decided, submitted + timedelta(minutes=5))
        approved = outcome == "approved"
        items.append(
            (
                item_pk,
                meeting,
                request_pk,
                positions[meeting],
                rng.choice(aid_types),
                Decimal(rng.randrange(500, 5000, 50)) if approved else None,
                rng.randint(1, 6) if approved else 1,
                outcome,
                "الدخل يتجاوز حد الكفاية." if outcome == "rejected" else "",
                "تقرير طبي حديث" if outcome == "deferred" else "",
                decided,
            )
        )
        item_pk += 1
        return item_pk - 1, decided

    declaration = Declaration.objects.order_by("-effective_from").first()
    income_type = DocumentType.objects.get(code="social_security").pk
    card_type = DocumentType.objects.get(code="national_id").pk
    checkers = [u.pk for u in staff.head_office]
    for request_pk, status, submitted, expected, beneficiary, owner in requests:
        submitted_day = timezone.localtime(submitted).date()
        final = FINAL_BY_STATUS.get(status)
        if status == "closed":
            final = "approved" if rng.random() < 0.65 else "rejected"
        # The social research: referred the day after submission, five days to report.
        if status in RESEARCHED_STATES or status == "in_research":
            referred = submitted + timedelta(days=1)
            due = timezone.localtime(referred).date() + timedelta(days=5)
            done = None
            if status != "in_research":
                late = rng.random() < 0.15
                done = referred + timedelta(
                    days=rng.uniform(5.5, 12) if late else rng.uniform(1, 5)
                )
                done = min(done, now - timedelta(minutes=30))
            researches.append(
                (
                    min(referred, now),
                    done or min(referred, now),
                    request_pk,
                    rng.choice(researchers),
                    "verification",
                    "",
                    owner or checkers[0],
                    due,
                    rng.choice(ASSESSMENTS) if done else "",
                    rng.choice(aid_types) if done else None,
                    Decimal(rng.randrange(500, 5000, 50)) if done else None,
                    rng.randint(1, 6) if done else None,
                    done,
                )
            )
        # Two required documents, checked at verification: the identity card (verified once
        # checked) and an income statement (sometimes rejected, with a reason).
        roll = rng.random()
        if status == "submitted":
            income = "pending"
        elif status == "verifying":
            income = "pending" if roll < 0.5 else "verified" if roll < 0.95 else "rejected"
        else:
            income = "verified" if roll < 0.95 else "rejected" if roll < 0.98 else "pending"
        checked = income != "pending"
        checked_at = min(now, submitted + timedelta(hours=20)) if checked else None
        checker = rng.choice(checkers) if checked else None
        reason = "المستند غير واضح" if income == "rejected" else ""
        card = "verified" if checked else "pending"
        checklist.append(
            (
                request_pk,
                card_type,
                None,
                None,
                cards.get(beneficiary),
                card,
                "",
                checker,
                checked_at,
            )
        )
        checklist.append(
            (request_pk, income_type, None, 90, None, income, reason, checker, checked_at)
        )
        if rng.random() < 0.96:
            method = rng.choices(("drawn", "paper", "otp"), (60, 25, 15))[0]
            attestations.append(
                (
                    request_pk,
                    method,
                    declaration.pk,
                    declaration.text_ar,
                    declaration.rights_ar,
                    True,
                    f"attestations/bench/{request_pk}.png",
                    "image/png",
                    _fake_sha("attestation", request_pk),
                    submitted - timedelta(minutes=3),
                    None if method == "otp" else owner or checkers[0],
                )
            )
        if final is None or request_pk in already:
            continue
        # The decision: most within the two weeks promised, about one in seven after.
        late = rng.random() < 0.15
        delay = rng.randint(15, 45) if late else rng.randint(3, 13)
        day = meeting_on_or_after(submitted_day + timedelta(days=delay))
        if day > expected and not late and day - expected <= timedelta(days=3):
            day = meeting_on_or_after(submitted_day + timedelta(days=3))
        # Some were deferred once for a missing paper before the final decision.
        if final != "deferred" and rng.random() < 0.08:
            earlier = meeting_on_or_after(submitted_day + timedelta(days=2))
            if earlier < day:
                item(request_pk, earlier, "deferred", submitted)
        decision, decided = item(request_pk, day, final, submitted)
        if final == "approved" and (status in ENROLLED_STATES or status == "closed"):
            starts = timezone.localtime(decided).date() + timedelta(days=7)
            enrolments.append(
                (
                    uuid.uuid4(),
                    decided + timedelta(days=2),
                    decided + timedelta(days=2),
                    request_pk,
                    decision,
                    rng.choice(aid_types),
                    Decimal(rng.randrange(300, 3000, 50)),
                    rng.randint(1, 12),
                    starts,
                    service_officer,
                )
            )

    contact_bench.write(AgendaItem, item_fields, items)
    contact_bench.reset_sequences(AgendaItem)
    contact_bench.write(
        Enrolment,
        (
            "public_id",
            "created_at",
            "updated_at",
            "request",
            "decision",
            "aid_type",
            "amount_per_instalment",
            "instalments",
            "starts_on",
            "enrolled_by",
        ),
        enrolments,
    )
    contact_bench.write(
        Research,
        (
            "created_at",
            "updated_at",
            "request",
            "researcher",
            "reason",
            "note",
            "referred_by",
            "due_date",
            "assessment",
            "recommended_aid_type",
            "recommended_amount",
            "recommended_months",
            "completed_at",
        ),
        researches,
    )
    contact_bench.write(
        ChecklistItem,
        (
            "request",
            "doc_type",
            "member",
            "max_age_days",
            "document",
            "verification",
            "rejection_reason",
            "checked_by",
            "checked_at",
        ),
        checklist,
    )
    contact_bench.write(
        Attestation,
        (
            "request",
            "method",
            "declaration",
            "declaration_text",
            "rights_text",
            "rights_acknowledged",
            "signature",
            "signature_type",
            "signature_sha256",
            "signed_at",
            "recorded_by",
        ),
        attestations,
    )


def seed_visits_and_dsr(visits: int, dsrs: int, staff, people, rng: random.Random) -> None:
    """Reception visits (arrival, service start and end) and data-subject requests."""
    from django.utils import timezone

    from beneficiaries.models import DataSubjectRequest
    from contact.models import ReceptionVisit
    from core.models import Channel

    now = timezone.now()
    today = timezone.localdate()
    rows = []
    for _ in range(visits):
        day = today - timedelta(days=rng.randrange(YEARS * 365))
        if day.weekday() in (4, 5):  # Friday and Saturday: closed
            day -= timedelta(days=2)
        arrived = _at(day, rng.randint(8, 14), rng.randrange(60))
        if arrived > now:
            continue
        wait = rng.uniform(2, 15) if rng.random() < 0.75 else rng.uniform(15, 60)
        served = arrived + timedelta(minutes=wait)
        left = served + timedelta(minutes=rng.uniform(5, 30))
        beneficiary, name = None, ""
        if rng.random() < 0.7:
            beneficiary, branch, _mobile = rng.choice(people)
        else:
            branch, name = rng.choice(list(staff.by_branch)), rng.choice(contact_bench.PERSON_NAMES)
        clerk = rng.choice(staff.by_branch[branch]).pk
        rows.append(
            (
                uuid.uuid4(),
                arrived,
                left,
                branch,
                beneficiary,
                name,
                "",
                rng.choice(VISIT_PURPOSES),
                arrived,
                served,
                left,
                clerk,
                clerk,
            )
        )
    contact_bench.write(
        ReceptionVisit,
        (
            "public_id",
            "created_at",
            "updated_at",
            "branch",
            "beneficiary",
            "visitor_name",
            "visitor_phone",
            "purpose",
            "arrived_at",
            "served_at",
            "left_at",
            "served_by",
            "recorded_by",
        ),
        rows,
    )
    channels = list(Channel.objects.values_list("pk", flat=True))
    rows = []
    for _ in range(dsrs):
        received = now - timedelta(seconds=rng.randrange(YEARS * 365 * 86_400))
        due = timezone.localtime(received).date() + timedelta(days=30)
        extended = due + timedelta(days=30) if rng.random() < 0.05 else None
        took = rng.uniform(3, 28) if rng.random() < 0.9 else rng.uniform(31, 50)
        closed = received + timedelta(days=took)
        status = rng.choice(("completed", "completed", "completed", "refused"))
        if closed > now:
            status, closed = "open", None
        rows.append(
            (
                uuid.uuid4(),
                received,
                closed or received,
                rng.choice(people)[0],
                rng.choice(("access", "copy", "correction", "destruction")),
                rng.choice(channels),
                received,
                due,
                extended,
                "يتطلب جمع السجلات من أكثر من فرع." if extended else "",
                status,
                "أُرسلت نسخة من البيانات." if closed else "",
                closed,
                rng.choice(staff.head_office).pk if closed else None,
                rng.choice(staff.head_office).pk,
                "{}",
            )
        )
    contact_bench.write(
        DataSubjectRequest,
        (
            "public_id",
            "created_at",
            "updated_at",
            "beneficiary",
            "kind",
            "channel",
            "received_at",
            "due_date",
            "extended_to",
            "extension_reason",
            "status",
            "response",
            "closed_at",
            "handled_by",
            "recorded_by",
            "proposed_changes",
        ),
        rows,
    )


def seed_surveys(invitations: int, responses: int, staff, people, rng: random.Random) -> None:
    """Invitations over about two Hijri years and one answer per answered invitation."""
    from django.utils import timezone

    from assistance.models import AidType
    from core.hijri import to_hijri
    from core.models import Channel
    from surveys.models import Answer, Invitation, Response
    from surveys.services import published_versions
    from surveys.tokens import token_for, token_hash

    now = timezone.now()
    versions = {v.survey.event: v for v in published_versions().values()}
    questions = {
        event: {q.kind: q.pk for q in version.questions.all()}
        for event, version in versions.items()
    }
    channels = dict(Channel.objects.values_list("code", "pk"))
    aid_types = list(AidType.objects.values_list("pk", flat=True))
    responses = min(responses, invitations)
    rest = invitations - responses
    statuses = ["answered"] * responses
    statuses += rng.choices(("expired", "sent", "pending", "skipped"), (88, 8, 2, 2), k=rest)
    plans = []
    for status in statuses:
        if status == "answered":
            at = now - timedelta(seconds=rng.randrange(2 * 86_400, SURVEY_DAYS * 86_400))
        elif status == "expired":
            at = now - timedelta(seconds=rng.randrange(9 * 86_400, SURVEY_DAYS * 86_400))
        elif status == "sent":
            at = now - timedelta(seconds=rng.randrange(3 * 3600, 7 * 86_400))
        else:
            at = now - timedelta(seconds=rng.randrange(60, 2 * 3600))
        plans.append((at, status))
    plans.sort(key=lambda p: p[0])  # ids follow time, as the dispatcher writes them

    events = contact_bench.weighted(rng, EVENT_WEIGHTS, len(plans))
    channel_codes = contact_bench.weighted(rng, contact_bench.CHANNEL_WEIGHTS, len(plans))
    hijri: dict[date, tuple[int, int]] = {}
    inv_fields = (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "version",
        "beneficiary",
        "event",
        "event_key",
        "event_at",
        "subject_reference",
        "branch",
        "service_channel",
        "aid_type",
        "staff",
        "token_hash",
        "send_channel",
        "status",
        "skip_reason",
        "send_after",
        "sent_at",
        "reminded_at",
        "expires_at",
        "answered_on",
    )
    resp_fields = (
        "id",
        "version",
        "invitation",
        "anonymous",
        "via",
        "recorded_by",
        "answered_on",
        "hijri_year",
        "hijri_month",
        "event",
        "branch",
        "service_channel",
        "aid_type",
        "staff",
        "csat",
        "nps",
        "effort",
        "comment",
    )
    inv_rows, resp_rows, answer_rows = [], [], []
    pk = _next_id(Invitation)

    def flush(final: bool = False) -> None:
        if final or len(inv_rows) >= BATCH:
            contact_bench.write(Invitation, inv_fields, inv_rows)
            contact_bench.write(Response, resp_fields, resp_rows)
            contact_bench.write(Answer, ("response", "question", "score", "text"), answer_rows)
            inv_rows.clear()
            resp_rows.clear()
            answer_rows.clear()

    for n, ((at, status), event, code) in enumerate(zip(plans, events, channel_codes, strict=True)):
        version = versions[event]
        beneficiary, branch, _mobile = rng.choice(people)
        public_id = uuid.uuid4()
        served_by = None
        if event in ("ticket", "home_visit", "reception"):
            served_by = rng.choice(staff.by_branch[branch]).pk
        aid_type = rng.choice(aid_types) if event in ("decision", "delivery") else None
        channel = channels[code] if rng.random() < 0.9 else None
        send_after = at + timedelta(hours=2)
        sent = None if status in ("pending", "skipped") else send_after + timedelta(minutes=3)
        expires = (sent or send_after) + timedelta(days=7)
        answered_on = None
        if status == "answered":
            answered_on = timezone.localdate(sent + timedelta(hours=rng.uniform(0.2, 72)))
            answered_on = min(answered_on, timezone.localdate(now))
        reminded = sent + timedelta(hours=48) if status == "expired" and sent else None
        prefix = "TKT" if event == "ticket" else "REQ"
        inv_rows.append(
            (
                pk,
                public_id,
                at,
                sent or at,
                version.pk,
                beneficiary,
                event,
                f"{event}:bench-{n}",
                at,
                f"{prefix}-1447-{n % 999_999 + 1:06d}",
                branch,
                channel,
                aid_type,
                served_by,
                token_hash(token_for(public_id)),
                "" if sent is None else "sms",
                status,
                "recent" if status == "skipped" else "",
                send_after,
                sent,
                reminded,
                expires,
                answered_on,
            )
        )
        if status == "answered":
            if answered_on not in hijri:
                h = to_hijri(answered_on)
                hijri[answered_on] = (h.year, h.month)
            year, month = hijri[answered_on]
            anonymous = rng.random() < 0.2
            via = rng.choices(("link", "portal", "staff"), (70, 20, 10))[0]
            if anonymous and via == "staff":
                via = "link"
            mood = rng.choices((5, 4, 3, 2, 1), (45, 30, 12, 8, 5))[0]
            effort = max(1, min(5, mood + rng.choice((-1, 0, 0, 1))))
            nps = max(0, min(10, mood * 2 + rng.choice((-1, 0, 0, 1))))
            comment = rng.choice(COMMENTS) if rng.random() < 0.3 else ""
            response_id = uuid.uuid4()
            resp_rows.append(
                (
                    response_id,
                    version.pk,
                    None if anonymous else pk,
                    anonymous,
                    via,
                    served_by if via == "staff" and served_by else None,
                    answered_on,
                    year,
                    month,
                    event,
                    branch,
                    channel,
                    aid_type,
                    served_by,
                    mood,
                    nps,
                    effort,
                    comment,
                )
            )
            kinds = questions[event]
            for kind, score in (("csat", mood), ("effort", effort), ("nps", nps)):
                if kind in kinds:
                    answer_rows.append((response_id, kinds[kind], score, ""))
            if comment and "text" in kinds:
                answer_rows.append((response_id, kinds["text"], None, comment))
        pk += 1
        flush()
    flush(final=True)
    contact_bench.reset_sequences(Invitation)


def seed(args, rng: random.Random) -> None:
    from django.db import connection
    from django.utils import timezone

    from beneficiaries.models import Beneficiary
    from core.models import Holiday
    from knowledge import demo as knowledge_demo

    common.fill_defaults()
    workflow.seed(
        argparse.Namespace(size=args.requests, beneficiaries=args.beneficiaries, seed=args.seed),
        rng,
    )
    today = timezone.localdate()
    for day, name_ar, name_en in contact_bench.saudi_holidays(
        today - timedelta(days=365 * YEARS + 30), today + timedelta(days=400)
    ):
        Holiday.objects.get_or_create(date=day, defaults={"name_ar": name_ar, "name_en": name_en})
    staff = contact_bench.ensure_staff()
    cast = workflow.ensure_staff()
    people = list(Beneficiary.objects.order_by("pk").values_list("pk", "branch_id", "mobile"))
    cards: dict[int, int] = {}

    def documents() -> None:
        cards.update(seed_documents(rng))

    steps: list[tuple[str, Callable[[], object]]] = [
        (
            f"{args.interactions:,} interactions",
            lambda: contact_bench.seed_interactions(args.interactions, staff, people, rng),
        ),
        (
            f"{args.tickets:,} tickets",
            lambda: contact_bench.seed_tickets(
                args.tickets, staff, people, timedelta(hours=72), rng
            ),
        ),
        ("documents", documents),
        (
            "decisions, research, checklists, declarations",
            lambda: seed_decisions(cards, staff, cast, rng),
        ),
        (
            "reception visits and data requests",
            lambda: seed_visits_and_dsr(
                args.interactions // 10, max(20, args.beneficiaries // 150), staff, people, rng
            ),
        ),
        (
            "knowledge-base demo articles",
            lambda: knowledge_demo.seed_demo(rng=rng, actor=staff.manager),
        ),
        (
            f"{args.invitations:,} survey invitations, {args.responses:,} answers",
            lambda: seed_surveys(args.invitations, args.responses, staff, people, rng),
        ),
    ]
    for label, step in steps:
        started = time.perf_counter()
        step()
        print(f"Seeded {label} in {time.perf_counter() - started:.1f} s.", flush=True)
    # Fresh statistics and visibility map, as autovacuum would leave them after a bulk load.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# --- A database of our own --------------------------------------------------------------------

# What --reuse compares: the tables the seed fills, with the counts asked for. The survey
# tables come last: equal counts there mean the seed finished.
REUSE_TABLES = {
    "beneficiaries_beneficiary": "beneficiaries",
    "assistance_supportrequest": "requests",
    "contact_interaction": "interactions",
    "contact_ticket": "tickets",
    "surveys_invitation": "invitations",
    "surveys_response": "responses",
}


def reusable(url: str, args) -> bool:
    checks = [f'SELECT count(*) FROM "{table}"' for table in REUSE_TABLES]
    wanted = [getattr(args, attr) for attr in REUSE_TABLES.values()]
    wanted[-1] = min(args.responses, args.invitations)
    try:
        if common.is_postgresql(url):
            import psycopg

            with psycopg.connect(url, connect_timeout=5) as conn:
                found = [conn.execute(sql).fetchone()[0] for sql in checks]
        else:
            if not SQLITE_PATH.exists():
                return False
            with sqlite3.connect(SQLITE_PATH) as conn:
                found = [conn.execute(sql).fetchone()[0] for sql in checks]
    except Exception:
        return False
    return found == wanted


# --- Measuring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Queries:
    """The statements of one run and the time the database spent on them."""

    count: int
    ms: float

    def __str__(self) -> str:
        return str(self.count)


@dataclass
class Row:
    measure: Measure
    queries: Queries | int | str
    target: str
    verdict: str
    baseline: Measure | None
    note: str = ""


def get(client, url: str) -> Callable[[object], bool]:
    def run(_item) -> bool:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return True

    return run


def slowest(label: str, call: Callable[[], object], top: int = 3) -> None:
    """The slowest statements of one call, with the database's plan for each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in queries) * 1000
    print(f"\n--- {label}: {len(queries)} queries, {total:.0f} ms in the database")
    for query in queries:
        print(f"  {float(query['time']) * 1000:>7.1f} ms  {query['sql'][:110]}")
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    for query in queries[:top]:
        sql = query["sql"]
        print(f"\n[{float(query['time']) * 1000:.1f} ms] {sql[:1500]}")
        if not sql.lstrip().upper().startswith("SELECT") or "FOR UPDATE" in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("    ", " | ".join(str(c) for c in row))


# --- The baseline of the dashboard: one COUNT per number ------------------------------------


def naive_figures(user, filters) -> dict[str, object]:
    """The dashboard's numbers computed one query per number, through the reports app's own
    scoped querysets and drill-down lists (what list views' counts would cost)."""
    from django.db.models import Avg, Q

    from accounts.models import Branch
    from assistance.models import Status
    from beneficiaries.models import Category
    from contact.models import Kind
    from core.models import Channel
    from reports import selectors as rs

    figures: dict[str, object] = {}
    channels = list(Channel.objects.all())
    requests = rs.requests_in_period(user, filters)
    figures["requests"] = requests.count()
    for status in Status.values:
        figures[f"stage {status}"] = requests.filter(status=status).count()
    for channel in channels:
        figures[f"request channel {channel.code}"] = requests.filter(channel_id=channel.pk).count()
    for branch in Branch.objects.all():
        figures[f"request branch {branch.code}"] = requests.filter(branch_id=branch.pk).count()
    # Under a category filter the page's breakdown by category is that category's line.
    categories = [filters.category] if filters.category else Category.objects.all()
    for category in categories:
        figures[f"request category {category.code}"] = requests.filter(
            rs._in_category(category)
        ).count()
    if filters.category is None:
        figures["request category (none)"] = requests.filter(
            beneficiary__categories__isnull=True
        ).count()
    for decision in rs.REQUEST_DECISIONS:
        figures[f"decision {decision}"] = (
            rs.request_drilldown(user, filters, decision=decision).order_by().count()
        )
    tickets = rs.tickets_in_period(user, filters)
    figures["tickets"] = tickets.count()
    for kind in Kind.values:
        figures[f"tickets {kind}"] = tickets.filter(kind=kind).count()
    figures["tickets with owner"] = tickets.filter(owner__isnull=False).count()
    figures["tickets resolved"] = tickets.filter(resolved_at__isnull=False).count()
    for sla in rs.TICKET_SLA:
        figures[f"tickets {sla}"] = rs.ticket_drilldown(user, filters, sla=sla).order_by().count()
    complaints = tickets.filter(kind=Kind.COMPLAINT)
    for code in complaints.order_by().values_list("category__code", flat=True).distinct():
        figures[f"complaints {code}"] = complaints.filter(category__code=code).count()
    contacts = rs.contact_drilldown(user, filters)
    for channel in channels:
        figures[f"contacts {channel.code}"] = contacts.filter(channel_id=channel.pk).count()
    f = filters.scoped(user)
    responses = rs.responses_in_period(user, filters)
    for year, month in rs._months_between(f.start, f.end):
        of_month = responses.filter(hijri_year=year, hijri_month=month)
        figures[f"answers {year}-{month}"] = of_month.count()
        figures[f"csat {year}-{month}"] = of_month.aggregate(v=Avg("csat"))["v"]
        figures[f"nps answers {year}-{month}"] = of_month.filter(nps__isnull=False).count()
        figures[f"promoters {year}-{month}"] = of_month.filter(nps__gte=9).count()
        figures[f"detractors {year}-{month}"] = of_month.filter(nps__lte=6).count()
    invitations = rs.invitations_in_period(user, filters)
    figures["invitations sent"] = invitations.count()
    figures["invitations answered"] = invitations.filter(Q(status="answered")).count()
    return figures


def compare(dashboard, figures: dict[str, object]) -> list[str]:
    """Where the page's numbers and the one-count-per-number figures differ (empty: equal)."""
    page: dict[str, object] = {"requests": dashboard.requests_total}
    page |= {f"stage {r.key}": r.value for r in dashboard.by_stage}
    page |= {f"request channel {r.key}": r.value for r in dashboard.by_channel}
    page |= {f"request branch {r.key}": r.value for r in dashboard.by_branch}
    page |= {f"request category {r.key or '(none)'}": r.value for r in dashboard.by_category}
    d = dashboard.decisions
    for name in ("decided", "approved", "rejected", "on_time", "late", "overdue", "waiting"):
        page[f"decision {name}"] = getattr(d, name)
    t = dashboard.tickets
    page["tickets"] = t.total
    page |= {f"tickets {k}": n for k, n in t.by_kind.items()}
    page["tickets with owner"] = t.with_owner
    page["tickets resolved"] = t.resolved
    page["tickets resolution_on_time"] = t.resolved_on_time
    page |= {f"complaints {r.key}": r.value for r in dashboard.complaints_by_category}
    page |= {f"contacts {r.key}": r.value for r in dashboard.contacts_by_channel}
    for point in dashboard.satisfaction.points:
        page[f"answers {point.year}-{point.month}"] = point.answers
    page["invitations sent"] = dashboard.satisfaction.invitations_sent
    page["invitations answered"] = dashboard.satisfaction.invitations_answered
    differences = []
    for key, value in page.items():
        expected = figures.get(key, 0)
        if value != expected:
            differences.append(f"{key}: page {value}, counted {expected}")
    # Lines the page leaves out must be zero when counted one by one.
    for key, value in figures.items():
        if key not in page and value and key.split(" ")[0] in ("stage", "request", "contacts"):
            differences.append(f"{key}: not on the page, counted {value}")
    return differences


# --- The baseline of an audience: joins and DISTINCT ----------------------------------------


def naive_audience(rule, today: date) -> int:
    """The rule's condition spelled with joins through the reverse relations and DISTINCT
    (GROUP BY with MAX for "no contact"), without EXISTS subqueries."""
    from django.db.models import Max, Q
    from django.utils import timezone

    from beneficiaries.models import Beneficiary, Relation
    from outreach import selectors as os_
    from outreach.models import Trigger
    from outreach.seasons import upcoming

    qs = Beneficiary.objects.all()
    if rule.branch_id:
        qs = qs.filter(branch_id=rule.branch_id)
    categories = [c.pk for c in rule.categories.all()]
    if categories:
        qs = qs.filter(categories__in=categories)
    days = rule.days or 0
    if rule.trigger == Trigger.DOCUMENT_EXPIRING:
        qs = qs.filter(
            documents__expires_on__gte=today,
            documents__expires_on__lte=today + timedelta(days=days),
        )
    elif rule.trigger == Trigger.INFO_PENDING:
        cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=days - 1), dt_time()))
        qs = qs.filter(
            support_requests__status="awaiting_applicant",
            support_requests__info_requests__answered_at__isnull=True,
            support_requests__info_requests__created_at__lt=cutoff,
        )
    elif rule.trigger == Trigger.NO_CONTACT:
        cutoff = timezone.make_aware(
            datetime.combine(os_.add_months(today, -(rule.months or 0)), dt_time())
        )
        qs = (
            qs.filter(created_at__lt=cutoff)
            .annotate(last=Max("interactions__occurred_at"))
            .filter(Q(last__isnull=True) | Q(last__lt=cutoff))
        )
        return qs.count()
    elif rule.trigger == Trigger.ORPHAN_ADULT:
        orphans = [r for r in Relation.values if r not in os_.NOT_ORPHANS]
        qs = qs.filter(categories__code=os_.ORPHANS_CATEGORY).filter(
            members__relation__in=orphans,
            members__birth_date__gt=os_.years_before(today - timedelta(days=1), os_.ADULT_AGE),
            members__birth_date__lte=os_.years_before(today + timedelta(days=days), os_.ADULT_AGE),
        )
    elif rule.trigger == Trigger.SEASON and not (
        rule.season_id and upcoming(rule.season, today=today, days=days)
    ):
        return 0
    return qs.values("pk").distinct().count()


def bench_rules(manager, today: date) -> list:
    """One rule per trigger over everyone (no category, no branch), created through
    outreach's service as a manager would; found again on a later run. The season rule
    follows the season that starts soonest."""
    from notify.models import MessageTemplate
    from outreach import services
    from outreach.models import Rule, Season, Trigger
    from outreach.seasons import upcoming

    season, soonest = None, None
    for candidate in Season.objects.filter(is_active=True):
        found = upcoming(candidate, today=today, days=365)
        if found and (soonest is None or found.starts_on < soonest):
            season, soonest = candidate, found.starts_on
    specs = [
        ("bench: document expiring in 30 days, everyone", Trigger.DOCUMENT_EXPIRING, 30, None),
        ("bench: information pending 7 days, everyone", Trigger.INFO_PENDING, 7, None),
        ("bench: no contact for 6 months, everyone", Trigger.NO_CONTACT, None, 6),
        ("bench: orphan turning 18 in 60 days", Trigger.ORPHAN_ADULT, 60, None),
        ("bench: the next season, everyone", Trigger.SEASON, 365, None),
    ]
    rules = []
    for name, trigger, days, months in specs:
        rule = Rule.objects.filter(name=name).first()
        if rule is None:
            data = {
                "name": name,
                "trigger": trigger,
                "days": days,
                "months": months,
                "season": season if trigger == Trigger.SEASON else None,
                "action": "message",
                "template": MessageTemplate.objects.get(code=f"outreach.{trigger}"),
            }
            rule = services.rule_create(actor=manager, data=data)
        rules.append(rule)
    return rules


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=SIZES, default="full", help="full (default)")
    for name in COUNTS:
        parser.add_argument(f"--{name}", type=int, help=f"{name} (overrides --size)")
    parser.add_argument("--samples", type=int, default=30, help="samples per dashboard (30)")
    parser.add_argument(
        "--report-samples", type=int, default=10, help="samples per compliance report (10)"
    )
    parser.add_argument(
        "--audience-samples", type=int, default=10, help="samples per rule audience (10)"
    )
    parser.add_argument("--baseline-samples", type=int, default=5, help="samples per baseline (5)")
    parser.add_argument("--seed", type=int, default=1447)
    parser.add_argument("--reuse", action="store_true", help="keep a bench DB of the same size")
    parser.add_argument("--explain", action="store_true", help="print the plans of every page")
    args = parser.parse_args()
    os.chdir(ROOT)
    size = SIZES[args.size]
    for name in COUNTS:
        if getattr(args, name) is None:
            setattr(args, name, getattr(size, name))

    app_url = os.environ.get("DATABASE_URL", "")
    if common.is_postgresql(app_url):
        named = urlsplit(app_url).path.lstrip("/")
        dbname = named if "bench" in named else BENCH_DB_NAME
        ready = args.reuse and reusable(common.pg_url(app_url, dbname), args)
        database_url, reused = common.prepare_postgresql(
            app_url,
            dbname,
            table="beneficiaries_beneficiary",
            size=args.beneficiaries,
            reuse=ready,
        )
    else:
        ready = args.reuse and reusable(f"sqlite:///{SQLITE_PATH}", args)
        database_url, reused = common.prepare_sqlite(
            SQLITE_PATH, table="beneficiaries_beneficiary", size=args.beneficiaries, reuse=ready
        )
    setup_django(database_url, {"ALLOWED_HOSTS": "testserver,localhost,127.0.0.1"})
    # Static files are not collected for the bench; whitenoise only warns about it.
    warnings.filterwarnings("ignore", message="No directory at")

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    if reused:
        print("Reusing the bench database of the same size.")
    else:
        started = time.perf_counter()
        seed(args, rng)
        print(f"Built in {time.perf_counter() - started:.0f} s.", flush=True)
    run_measurements(args, database_url, connection)


def run_measurements(args, database_url: str, connection) -> None:
    from django.db.models import Count
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from accounts.models import Branch
    from assistance.models import AgendaItem, SupportRequest
    from beneficiaries.models import Beneficiary, Category, Document, HouseholdMember
    from contact.models import Interaction, Ticket
    from core.hijri import hijri_month_name, to_hijri
    from core.models import Channel
    from outreach import selectors as outreach_selectors
    from outreach.models import Rule
    from reports import selectors as rs
    from surveys.models import Invitation, Response

    try:
        from reports.compliance import compliance_report
    except ImportError:
        compliance_report = rs.compliance_report
    # WeasyPrint warns on every PDF that it subsets fonts with fontTools: said once here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    staff = contact_bench.ensure_staff()
    manager = staff.manager
    client = Client()
    client.force_login(manager)
    rows: list[Row] = []
    failures: list[tuple[str, Callable[[], object]]] = []
    explains: list[tuple[str, Callable[[], object]]] = []
    notes: list[str] = []
    load_before = os.getloadavg()

    # 0. The recount of the daily figures the pages read (the worker's job, every five
    # minutes): timed once, as it runs there, and done before anything reads the figures.
    from reports.recount import FIGURE_TABLES, recount

    started = time.perf_counter()
    recount()
    recount_s = time.perf_counter() - started
    sizes = ", ".join(f"{m.__name__} {m.objects.count():,}" for m in FIGURE_TABLES)
    print(f"Recount of the daily figures: {recount_s:.1f} s ({sizes} rows).", flush=True)
    notes.append(
        f"The pages read the daily figures; their recount (every five minutes, in the worker) "
        f"took {recount_s:.1f} s."
    )

    def count_queries(call: Callable[[], object]) -> Queries:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            call()
        spent = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        return Queries(len(ctx.captured_queries), spent)

    def verdict(m: Measure, target: float) -> str:
        return "PASS" if m.p95 <= target else "FAIL"

    def target_label(target: float) -> str:
        return f"≤{target / 1000:.0f} s" if target >= 1000 else f"≤{target:.0f} ms"

    def url_of(name: str) -> str | None:
        try:
            return reverse(name)
        except NoReverseMatch:
            return None

    # 1. The dashboard --------------------------------------------------------------------------
    today = timezone.localdate()
    now_h = to_hijri(today)
    last_month = (now_h.year, now_h.month - 1) if now_h.month > 1 else (now_h.year - 1, 12)
    busiest = (
        SupportRequest.objects.values("branch")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("branch", flat=True)
        .first()
    )
    branch = Branch.objects.get(pk=busiest)
    phone = Channel.objects.get(code="phone")
    orphans = Category.objects.get(code="orphans")
    two_years = (today - timedelta(days=729), today)
    year = rs.current_hijri_year()
    cases = [
        ("no filter (Hijri year)", {}, rs.Filters.default()),
        (
            f"Hijri month {last_month[1]}/{last_month[0]}",
            {"year": last_month[0], "month": last_month[1]},
            rs.Filters.hijri(*last_month),
        ),
        (f"branch {branch.code}", {"branch": branch.code}, rs.Filters.hijri(year, branch=branch)),
        ("channel phone", {"channel": "phone"}, rs.Filters.hijri(year, channel=phone)),
        ("category orphans", {"category": "orphans"}, rs.Filters.hijri(year, category=orphans)),
        (
            "2 years of dates",
            {"date_from": two_years[0].isoformat(), "date_to": two_years[1].isoformat()},
            rs.Filters(start=two_years[0], end=two_years[1]),
        ),
    ]
    samples = [None] * args.samples
    base_samples = [None] * args.baseline_samples
    dashboard_url = url_of("reports:dashboard")
    if dashboard_url is None:
        notes.append("reports:dashboard is not routed yet: the dashboard selector is timed.")
    equal: dict[str, list[str]] = {}
    for label, params, filters in cases:
        naive_queries = count_queries(lambda f=filters: naive_figures(manager, f))
        base = measure(
            f"baseline: COUNT per number, {label}",
            base_samples,
            lambda _i, f=filters: naive_figures(manager, f),
            warmup=1,
        )
        equal[label] = compare(rs.dashboard(manager, filters), naive_figures(manager, filters))
        if dashboard_url is not None:
            url = f"{dashboard_url}?{urlencode(params)}" if params else dashboard_url
            run = get(client, url)
            name = f"dashboard, {label}"
        else:
            run = lambda _i, f=filters: bool(rs.dashboard(manager, f))  # noqa: E731
            name = f"dashboard selector, {label}"
        queries = count_queries(lambda r=run: r(None))
        m = measure(name, samples, run)
        rows.append(
            Row(
                m, queries, target_label(TARGET_DASHBOARD_MS), verdict(m, TARGET_DASHBOARD_MS), base
            )
        )
        rows.append(Row(base, naive_queries, "", "(baseline)", None))
        call = lambda r=run: r(None)  # noqa: E731
        if m.p95 > TARGET_DASHBOARD_MS:
            failures.append((name, call))
        explains.append((name, call))
    if dashboard_url is not None:
        selector = measure(
            "dashboard selector alone, no filter",
            samples,
            lambda _i: bool(rs.dashboard(manager, rs.Filters.default())),
        )
        rows.append(
            Row(
                selector,
                count_queries(lambda: rs.dashboard(manager, rs.Filters.default())),
                "",
                "(no template)",
                None,
            )
        )

    # 2. The compliance report ------------------------------------------------------------------
    report_samples = [None] * args.report_samples
    compliance_url = url_of("reports:compliance")
    pdf_url = None
    for name in ("reports:compliance_pdf", "reports:compliance-pdf", "reports:compliance_print"):
        pdf_url = url_of(name)
        if pdf_url:
            break
    report_cases = [cases[0], cases[-1]]
    for label, params, filters in report_cases:
        naive_queries = count_queries(lambda f=filters: naive_figures(manager, f))
        base = measure(
            f"baseline: COUNT per number, {label}",
            base_samples,
            lambda _i, f=filters: naive_figures(manager, f),
            warmup=1,
        )
        pages = []
        if compliance_url is not None:
            pages.append((f"compliance HTML, {label}", compliance_url))
            if pdf_url:
                pages.append((f"compliance PDF, {label}", pdf_url))
        for name, address in pages:
            url = f"{address}?{urlencode(params)}" if params else address
            run = get(client, url)
            queries = count_queries(lambda r=run: r(None))
            m = measure(name, report_samples, run, warmup=1)
            rows.append(
                Row(m, queries, target_label(TARGET_REPORT_MS), verdict(m, TARGET_REPORT_MS), base)
            )
            call = lambda r=run: r(None)  # noqa: E731
            if m.p95 > TARGET_REPORT_MS:
                failures.append((name, call))
            explains.append((name, call))
        run = lambda _i, f=filters: bool(compliance_report(manager, f))  # noqa: E731
        queries = count_queries(lambda r=run: r(None))
        m = measure(f"compliance selector, {label}", report_samples, run, warmup=1)
        rows.append(
            Row(m, queries, target_label(TARGET_REPORT_MS), verdict(m, TARGET_REPORT_MS), base)
        )
        if m.p95 > TARGET_REPORT_MS:
            failures.append((m.label, lambda r=run: r(None)))
        rows.append(Row(base, naive_queries, "", "(baseline)", None))
    if compliance_url is None:
        notes.append("reports:compliance is not routed yet: only its selector is timed.")
    elif pdf_url is None:
        notes.append("No PDF route of the compliance report found (reports:compliance_pdf).")

    # 3. Outreach audiences ---------------------------------------------------------------------
    ours = bench_rules(manager, today)
    seeded = list(Rule.objects.exclude(pk__in=[r.pk for r in ours]).order_by("name"))
    audience_samples = [None] * args.audience_samples
    sizes: list[str] = []
    for rule in [*ours, *seeded]:
        rule = (
            Rule.objects.select_related("season", "branch", "template")
            .prefetch_related("categories")
            .get(pk=rule.pk)
        )
        scope = ", ".join(c.code for c in rule.categories.all()) or "everyone"
        span = f"{rule.months} mo" if rule.months else f"{rule.days} d"
        label = f"audience {rule.trigger} {span} ({scope})"
        naive_count = naive_audience(rule, today)
        base = measure(
            f"baseline: JOIN+DISTINCT, {rule.trigger}",
            base_samples,
            lambda _i, r=rule: naive_audience(r, today),
            warmup=1,
        )
        run = lambda _i, r=rule: outreach_selectors.rule_audience(r).size  # noqa: E731
        audience = outreach_selectors.rule_audience(rule)
        queries = count_queries(lambda r=run: r(None))
        m = measure(label, audience_samples, run, warmup=2)
        rows.append(
            Row(
                m,
                queries,
                target_label(TARGET_AUDIENCE_MS),
                verdict(m, TARGET_AUDIENCE_MS),
                base,
                f"{audience.size:,} found ({audience.reachable:,} reachable); "
                f"the join finds {naive_count:,}",
            )
        )
        rows.append(
            Row(
                base, count_queries(lambda r=rule: naive_audience(r, today)), "", "(baseline)", None
            )
        )
        call = lambda r=rule: outreach_selectors.rule_audience(r)  # noqa: E731
        if m.p95 > TARGET_AUDIENCE_MS:
            failures.append((label, call))
        explains.append((label, call))
        sizes.append(f"{rule.name}: {audience.size:,}")
        if rule in ours:
            try:
                preview_url = reverse("outreach:rule_detail", args=[rule.public_id])
            except NoReverseMatch:
                continue
            run = get(client, preview_url)
            queries = count_queries(lambda r=run: r(None))
            m = measure(f"preview page {rule.trigger}", audience_samples, run, warmup=1)
            rows.append(
                Row(
                    m,
                    queries,
                    target_label(TARGET_AUDIENCE_MS),
                    verdict(m, TARGET_AUDIENCE_MS),
                    base,
                )
            )
            if m.p95 > TARGET_AUDIENCE_MS:
                failures.append((m.label, lambda r=run: r(None)))
    load_after = os.getloadavg()

    # Report ------------------------------------------------------------------------------------
    print()
    print(
        f"Database: {connection.vendor} {database_version(connection)}  "
        f"({database_url.split('@')[-1]})"
    )
    decided = AgendaItem.objects.filter(outcome__in=("approved", "rejected")).count()
    print(
        f"Rows: {Beneficiary.objects.count():,} beneficiaries "
        f"({HouseholdMember.objects.count():,} household members, "
        f"{Document.objects.count():,} documents), "
        f"{SupportRequest.objects.count():,} requests ({decided:,} final decisions), "
        f"{Interaction.objects.count():,} interactions, {Ticket.objects.count():,} tickets, "
        f"{Invitation.objects.count():,} survey invitations, "
        f"{Response.objects.count():,} survey answers."
    )
    print(
        f"Load average (1, 5, 15 min) before measuring {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f} "
        f"{load_after[2]:.2f}, on {os.cpu_count()} CPUs."
    )
    print(
        "Pages through django.test.Client (middleware, session, templates) as a head-office "
        f"manager; {args.samples} samples per dashboard, {args.report_samples} per report, "
        f"{args.audience_samples} per audience, {args.baseline_samples} per baseline. "
        f"Today {today.isoformat()} ({hijri_month_name(now_h.month)} {now_h.year})."
    )
    print()
    header = (
        f"{'operation':<46} {'n':>3} {'p50 ms':>9} {'p95 ms':>9} {'p95/base':>9} "
        f"{'queries':>7} {'db ms':>7}  {'target':<8} verdict"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        m = row.measure
        ratio = f"{m.p95 / row.baseline.p95:.2f}" if row.baseline else "1.00"
        db_ms = f"{row.queries.ms:.0f}" if isinstance(row.queries, Queries) else ""
        print(
            f"{m.label[:46]:<46} {len(m.seconds):>3} {m.p50:>9.1f} {m.p95:>9.1f} {ratio:>9} "
            f"{row.queries!s:>7} {db_ms:>7}  {row.target:<8} {row.verdict}"
        )
        if row.note:
            print(f"{'':<6}{row.note}")

    print("\nNotes")
    for label, differences in equal.items():
        if differences:
            print(f"  figures of {label!r}: {len(differences)} differ from the one-by-one count:")
            for line in differences[:10]:
                print(f"    {line}")
        else:
            print(f"  figures of {label!r} equal the one-by-one count: yes")
    for line in notes:
        print(f"  {line}")
    print(
        "  Ratios are p95 over the baseline's p95 in the same group: below 1.00 the page "
        "(with its template) is faster than the naive computation alone. db ms: what the "
        "database spent on the statements of one run; the rest of a page's time is Python "
        "(view, template, PDF layout)."
    )

    for label, call in failures:
        slowest(f"{label} (missed its target)", call)
    if args.explain:
        for label, call in explains:
            slowest(label, call)


if __name__ == "__main__":
    main()
