"""Benchmark of the contact centre (issue 4, "Speed"): inbox, ticket queues, knowledge-base
search, the escalation sweep and the SMS webhook, on a contact centre several years old.

    .venv/bin/python bench/contact.py [--size full|medium|small] [--samples 100] [--sweeps 5]
                                      [--webhooks 200] [--deep-page 50] [--backlog 72]
                                      [--reuse] [--explain]

Sizes (each count can also be set alone: --interactions, --tickets, --inbound, --articles,
--beneficiaries):

    full    1,000,000 interactions, 300,000 tickets, 200,000 inbound items, 5,000 articles,
            20,000 beneficiaries — the issue's figures, and the default (built in about two
            minutes on either database; the whole run takes five to ten)
    medium  a fifth of that
    small   a fiftieth, with the deep page at 5 — a quick check that the benchmark runs

It always works on a database of its own, never the app's: with DATABASE_URL set (PostgreSQL)
it drops and recreates `mustafid_bench_contact` on the same server (or the database
DATABASE_URL names, when that name contains "bench"); otherwise the SQLite file
var/bench/contact.sqlite3. `--reuse` keeps a database that already holds the same counts.

The data: beneficiaries from `seed_demo`; staff of every branch; interactions over three years
on the eight channels with each channel's details; tickets over every kind, category, status,
branch and owner, a share about staff, deadlines fixed in business hours by core.sla (with a
holiday table) and the escalation state the sweep would have left if the worker had stopped
`--backlog` hours ago (72: a long weekend), computed with contact.escalation's own `next_step`;
inbound items from the four API clients, about 15 % still new; published, draft and archived
knowledge-base articles whose words follow the frequencies of real Arabic answers, indexed by
knowledge.services' own tokenizer, plus the demo articles written through the service.

It times, through Django's test client and the real views and templates (session, middleware,
htmx partials), as a head-office relations officer:
  1. the inbox of new inbound items: page 1, page 50 (keyset cursor), ?source=sms,
     unidentified senders; baseline: Django's Paginator on the same rows (COUNT(*) and
     OFFSET) for page 50, without template;
  2. the ticket queue: open page 1 and page 50, mine, unassigned, overdue page 1 and 50, and
     the quality officer's overdue view (complaints about staff included); baseline: the
     Paginator's COUNT + OFFSET page 50 of open tickets, without template;
  3. the contacts list over the million interactions (page 1, page 50, ?channel=phone) —
     not named by the issue, held to the same 100 ms; baseline: Paginator page 50;
  4. knowledge-base search, one to three words typed in another spelling (hamza, taa
     marbuta, alef maqsura, a diacritic, the last word cut short), as the search page and as
     the htmx search box on a ticket, and the selector alone; baseline: `icontains` on title
     and body for every word (what a list view does without the token index);
  5. the escalation sweep `contact.escalation.tickets_escalate()` with the backlog due, and a
     run with nothing due, each in a transaction rolled back after the sample so every sample
     does the same work (on PostgreSQL the tables it rewrites are vacuumed before the pages
     and after the sweeps, so dead row versions of rolled-back samples slow nothing);
     baseline: a Python loop over every running ticket computing `next_step()` (ladder
     and holidays read once), i.e. the sweep without the `next_escalation_at` column,
     writing nothing;
  6. a webhook accepted: POST /api/v1/webhooks/sms/ with a bearer token and the HMAC
     signature of api.credentials, a new message id each time (201, committed), and the same
     id again (200); baseline: one unsigned ORM INSERT of the same item.

Each figure is printed with its target from the issue (pages and search p95 ≤ 100 ms, sweep
≤ 5 s, webhook p95 ≤ 20 ms) and its ratio to the baseline of its group. It reports; it is not
a test, so it exits 0 whatever the figures (DESIGN.md §6).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode, urlsplit

import common
from common import ROOT, Measure, database_version, measure, setup_django

BENCH_DB_NAME = "mustafid_bench_contact"
SQLITE_PATH = common.SQLITE_DIR / "contact.sqlite3"
TARGET_PAGE_MS = 100.0
TARGET_SWEEP_MS = 5000.0
TARGET_WEBHOOK_MS = 20.0
DEEP_PAGE = 50
BATCH = 50_000
YEARS = 3


@dataclass(frozen=True)
class Size:
    interactions: int
    tickets: int
    inbound: int
    articles: int
    beneficiaries: int


SIZES = {
    "full": Size(1_000_000, 300_000, 200_000, 5_000, 20_000),
    "medium": Size(200_000, 60_000, 40_000, 2_000, 10_000),
    "small": Size(20_000, 6_000, 4_000, 500, 2_000),
}

# Shares of a contact centre three years into the system: most tickets are long closed; the
# open ones (8 %) are the queues.
TICKET_STATUS_WEIGHTS = {
    "new": 2,
    "in_progress": 4,
    "awaiting_person": 2,
    "resolved": 12,
    "closed": 80,
}
KIND_WEIGHTS = {"inquiry": 55, "complaint": 25, "suggestion": 12, "praise": 8}
PRIORITY_WEIGHTS = {"low": 10, "normal": 70, "high": 15, "urgent": 5}
CHANNEL_WEIGHTS = {
    "phone": 45,
    "interview": 15,
    "social_media": 12,
    "website": 9,
    "help_request": 8,
    "branch_representative": 5,
    "letter": 4,
    "volunteer": 2,
}
INBOUND_SOURCE_WEIGHTS = {"sms": 30, "web_form": 25, "social": 25, "whatsapp": 20}
INBOUND_NEW_SHARE = 0.15
PLATFORMS = ("x", "whatsapp", "snapchat", "instagram", "tiktok")
CLOSE_REASONS = (
    "إعلان تجاري",
    "أُجيب عن الاستفسار مباشرة",
    "رسالة مكررة",
    "شكر لا يحتاج إلى إجراء",
)
PERSON_NAMES = (
    "سعاد بنت إبراهيم الشهري",
    "أبو ريان",
    "منيرة العنزي",
    "تركي بن حمد السبيعي",
    "أم عبدالله",
    "فهد الدوسري",
    "نوال القرشي",
    "عبدالإله المطيري",
)
TICKET_TEXTS = {
    "inquiry": (
        ("الاستفسار عن حالة طلب المساعدة", "قدّم طلبًا قبل أسابيع ويسأل متى يصدر القرار."),
        ("الاستفسار عن شروط التسجيل", "تسأل عن شروط تسجيل الأرامل والمستندات المطلوبة."),
        ("موعد توزيع السلال الغذائية", "يسأل عن موعد توزيع السلال الغذائية في رمضان."),
        ("تحديث رقم الجوال", "يطلب تحديث رقم جواله لأن الرقم السابق لم يعد يعمل."),
    ),
    "complaint": (
        ("تأخر صرف المساعدة المعتمدة", "اعتُمدت مساعدة شهرية ولم تصل دفعة هذا الشهر."),
        ("السلة الغذائية ناقصة", "استلمت السلة الغذائية ناقصة عبوات الزيت والأرز."),
        ("اعتراض على قرار اللجنة", "يعترض على رفض طلب الترميم ويطلب إعادة الدراسة."),
        ("صعوبة الوصول إلى قسم النساء", "قسم النساء في الدور الثاني ولا يوجد مصعد."),
    ),
    "suggestion": (
        ("استقبال الطلبات عبر واتساب", "أقترح استقبال الاستفسارات عبر واتساب لكبار السن."),
        ("تمديد ساعات الاستقبال", "أقترح تمديد ساعات الاستقبال يوم الخميس."),
    ),
    "praise": (
        ("شكر لموظف الاستقبال", "أشكر موظف الاستقبال على حسن تعامله وسرعة إنجاز طلبي."),
        ("شكر على سرعة الإنجاز", "وصلتني المساعدة خلال أسبوع، جزاكم الله خيرًا."),
    ),
}
STAFF_COMPLAINT = ("شكوى على أسلوب تعامل موظف", "تعامل الموظف معي بأسلوب غير لائق عند المراجعة.")


def saudi_holidays(first: date, last: date) -> list[tuple[date, str, str]]:
    """The official holidays of DOMAIN.md §3 between two dates: Founding Day, National Day and
    the two Eids (dates from the Umm al-Qura calendar)."""
    from core.hijri import hijri_to_gregorian, to_hijri

    days: dict[date, tuple[str, str]] = {}
    for year in range(first.year, last.year + 1):
        days[date(year, 2, 22)] = ("يوم التأسيس", "Founding Day")
        days[date(year, 9, 23)] = ("اليوم الوطني", "National Day")
    for hijri_year in range(to_hijri(first).year, to_hijri(last).year + 1):
        for n in range(4):
            day = hijri_to_gregorian(hijri_year, 10, 1) + timedelta(days=n)
            days[day] = ("عيد الفطر", "Eid al-Fitr")
            day = hijri_to_gregorian(hijri_year, 12, 9) + timedelta(days=n)
            days[day] = ("عيد الأضحى", "Eid al-Adha")
    return [(d, ar, en) for d, (ar, en) in sorted(days.items()) if first <= d <= last]


# --- Seeding ----------------------------------------------------------------------------------


@dataclass
class Staff:
    officer: object  # the head-office relations officer the pages are timed for
    quality: object
    manager: object
    by_branch: dict  # branch id → officers and representatives who own its tickets
    head_office: list  # officers of every branch (no branch)
    representatives: dict  # branch id → representatives
    volunteers: list


def ensure_staff() -> Staff:
    from accounts.models import Branch, Role, User

    def user(username: str, role: str, branch=None):
        obj, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "branch": branch,
                "full_name": username,
                "email": f"{username}@bench.example",
                "is_active": True,
            },
        )
        return obj

    head_office = [user("bench-officer", Role.RELATIONS_OFFICER)] + [
        user(f"bench-officer-h{i}", Role.RELATIONS_OFFICER) for i in range(1, 4)
    ]
    by_branch, representatives = {}, {}
    for branch in Branch.objects.order_by("pk"):
        officers = [
            user(f"bench-officer-{branch.code}-{i}", Role.RELATIONS_OFFICER, branch)
            for i in range(1, 4)
        ]
        rep = user(f"bench-rep-{branch.code}", Role.BRANCH_REPRESENTATIVE, branch)
        by_branch[branch.pk] = [*officers, rep]
        representatives[branch.pk] = [rep]
    return Staff(
        officer=head_office[0],
        quality=user("bench-quality", Role.QUALITY_OFFICER),
        manager=user("bench-manager", Role.MANAGER),
        by_branch=by_branch,
        head_office=head_office,
        representatives=representatives,
        volunteers=[user(f"bench-volunteer-{i}", Role.VOLUNTEER) for i in range(1, 4)],
    )


def weighted(rng: random.Random, weights: dict, k: int) -> list:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def moment(rng: random.Random, now: datetime, span_days: float) -> datetime:
    return now - timedelta(seconds=rng.randrange(max(1, int(span_days * 86_400))))


def mobile(rng: random.Random) -> str:
    # 0599… numbers, as the inbox demo uses, unlikely to be a registry file's mobile.
    return f"+966599{rng.randrange(10**6):06d}"


def write(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Bulk rows through beneficiaries.demo.raw_insert (COPY on PostgreSQL) in batches."""
    from django.db import transaction

    from beneficiaries.demo import raw_insert

    for start in range(0, len(rows), BATCH):
        with transaction.atomic():
            raw_insert(model, fields, rows[start : start + BATCH])


def reset_sequences(*models) -> None:
    """Explicit ids were written: move the sequences past them (PostgreSQL)."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)


def seed_interactions(size: int, staff: Staff, people: list, rng: random.Random) -> None:
    from django.utils import timezone

    from accounts.models import Branch
    from contact.demo import CONTACTS, UNIDENTIFIED, VOLUNTEER_REPORTS
    from contact.models import Interaction
    from core.models import Channel

    now = timezone.now()
    channels = dict(Channel.objects.values_list("code", "pk"))
    branches = list(Branch.objects.values_list("pk", flat=True))
    texts: dict[str, list[tuple[str, str, str]]] = {}
    for code, direction, subject, summary, _details in CONTACTS:
        texts.setdefault(code, []).append((direction, subject, summary))
    texts["volunteer"] = [("in", s, m) for s, m in VOLUNTEER_REPORTS]
    names = [n for n, _phone in UNIDENTIFIED] + list(PERSON_NAMES)
    codes = weighted(rng, CHANNEL_WEIGHTS, size)
    when = sorted(moment(rng, now, YEARS * 365) for _ in range(size))
    fields = (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "channel",
        "direction",
        "beneficiary",
        "person_name",
        "person_phone",
        "branch",
        "subject",
        "summary",
        "occurred_at",
        "recorded_by",
        "duration_seconds",
        "platform",
        "handle",
        "letter_reference",
        "representative",
        "volunteer",
    )
    rows = []
    for pk, (code, occurred) in enumerate(zip(codes, when, strict=True), start=1):
        direction, subject, summary = rng.choice(texts.get(code) or texts["phone"])
        beneficiary, name, phone = None, "", ""
        if code == "volunteer":  # volunteers log a name and phone, never a registry file
            volunteer = rng.choice(staff.volunteers)
            recorded_by, branch = volunteer.pk, rng.choice(branches)
            name, phone = rng.choice(names), mobile(rng)
        else:
            volunteer = None
            if rng.random() < 0.75:
                beneficiary, branch = rng.choice(people)[:2]
            else:
                branch = rng.choice(branches)
                name, phone = rng.choice(names), mobile(rng)
            recorded_by = rng.choice(staff.by_branch[branch] + staff.head_office).pk
        representative = None
        if code == "branch_representative":
            representative = rng.choice(staff.representatives[branch]).pk
        rows.append(
            (
                pk,
                uuid.uuid4(),
                occurred,
                occurred,
                channels[code],
                direction,
                beneficiary,
                name,
                phone,
                branch,
                subject,
                summary,
                occurred,
                recorded_by,
                rng.randint(40, 900) if code == "phone" else None,
                rng.choice(PLATFORMS) if code == "social_media" else "",
                f"@user{rng.randrange(10**5)}" if code == "social_media" else "",
                f"خ/{rng.randint(1444, 1448)}/{rng.randrange(1, 999)}" if code == "letter" else "",
                representative,
                volunteer.pk if volunteer else None,
            )
        )
        if len(rows) == BATCH:
            write(Interaction, fields, rows)
            rows = []
    write(Interaction, fields, rows)
    reset_sequences(Interaction)


def seed_tickets(
    size: int, staff: Staff, people: list, backlog: timedelta, rng: random.Random
) -> int:
    """`size` tickets; deadlines and the escalation state through contact's own functions.
    Returns how many running tickets are due for the sweep now."""
    from django.utils import timezone

    from accounts.models import Branch
    from contact import escalation
    from contact.models import (
        Interaction,
        Ticket,
        TicketCategory,
        TicketEvent,
        TicketSequence,
        TicketStatus,
    )
    from core.hijri import to_hijri
    from core.models import Channel
    from core.sla import add_business_hours

    now = timezone.now()
    as_of = now - backlog  # the last run of the sweep before the worker stopped
    ladder = escalation.Ladder.load()
    holidays = escalation.all_holidays()
    channels = dict(Channel.objects.values_list("code", "pk"))
    branches = list(Branch.objects.values_list("pk", flat=True))
    categories = list(TicketCategory.objects.filter(is_active=True))
    by_kind = {
        kind: [c for c in categories if c.kind in (kind, "") and not c.about_staff]
        for kind in KIND_WEIGHTS
    }
    staff_category = next(c for c in categories if c.about_staff)
    staff_ids = [u.pk for users in staff.by_branch.values() for u in users]
    max_interaction = Interaction.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    hijri_years: dict[date, int] = {}

    plans = []
    for status in weighted(rng, TICKET_STATUS_WEIGHTS, size):
        if status in ("new", "in_progress", "awaiting_person"):
            # Most open tickets are recent; some have lingered for months (the overdue ones).
            created = moment(rng, now, 14 if rng.random() < 0.85 else 120)
        else:
            created = moment(rng, now, YEARS * 365)
        plans.append((created, status))
    plans.sort(key=lambda p: p[0])  # ids and references follow time

    fields = (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "reference",
        "kind",
        "category",
        "priority",
        "status",
        "subject",
        "description",
        "channel",
        "branch",
        "beneficiary",
        "person_name",
        "person_phone",
        "person_email",
        "reply_channel",
        "interaction",
        "about_staff",
        "staff_member",
        "owner",
        "created_by",
        "first_response_due",
        "resolution_due",
        "first_responded_at",
        "resolved_at",
        "closed_at",
        "escalation_level",
        "resolution",
        "outcome",
        "outcome_reason",
        "reopened_count",
        "next_escalation_at",
    )
    rows, events = [], []
    sequences: Counter = Counter()
    priorities = weighted(rng, PRIORITY_WEIGHTS, size)
    kinds = weighted(rng, KIND_WEIGHTS, size)
    for pk, ((created, status), kind, priority) in enumerate(
        zip(plans, kinds, priorities, strict=True), start=1
    ):
        about_staff = kind == "complaint" and rng.random() < 0.08
        category = staff_category if about_staff else rng.choice(by_kind[kind])
        subject, description = STAFF_COMPLAINT if about_staff else rng.choice(TICKET_TEXTS[kind])
        beneficiary, name, phone, email = None, "", "", ""
        if rng.random() < 0.6:
            beneficiary, branch, phone = rng.choice(people)
            phone = ""  # the file's mobile is used; nothing to copy
        else:
            branch = rng.choice(branches)
            name, phone = rng.choice(PERSON_NAMES), mobile(rng)
            if rng.random() < 0.2:
                email = f"person{pk}@mail.example"
        reply_channel = "email" if email else rng.choice(("sms", "sms", "sms", "phone"))
        running = status in ("new", "in_progress")
        is_open = running or status == "awaiting_person"
        if about_staff:
            owner = rng.choice((staff.quality, staff.manager)).pk
        elif rng.random() < (0.8 if is_open else 1.0):
            owner = rng.choice(staff.by_branch[branch] + staff.head_office).pk
        else:
            owner = None  # unassigned: the queue's "unassigned" view
        created_by = rng.choice(staff.by_branch[branch] + staff.head_office).pk
        day = created.date()
        if day not in hijri_years:
            hijri_years[day] = to_hijri(timezone.localdate(created)).year
        year = hijri_years[day]
        sequences[year] += 1
        first_due = add_business_hours(created, category.first_response_hours, holidays=holidays)
        resolution_due = add_business_hours(created, category.resolution_hours, holidays=holidays)
        responded = resolved = closed = None
        if status != "new":
            responded = created + timedelta(hours=rng.uniform(0.2, 30))
        if status in ("resolved", "closed"):
            resolved = responded + timedelta(hours=rng.uniform(1, 120))
            closed = resolved + timedelta(days=rng.uniform(1, 7)) if status == "closed" else None
        outcome, reason = "", ""
        if kind == "suggestion" and status in ("resolved", "closed"):
            outcome = rng.choice(("accepted", "implemented", "declined"))
            reason = "لا تسمح الميزانية الحالية بتنفيذه." if outcome == "declined" else ""
        level, next_at = (rng.choice((0, 0, 0, 1, 2)) if not running else 0), None
        if running:
            ticket = Ticket(
                status=status,
                category_id=category.pk,
                escalation_level=0,
                first_response_due=first_due,
                resolution_due=resolution_due,
                first_responded_at=responded,
            )
            # As the sweep would have left it at its last run: every level due by then.
            step = escalation.next_step(ticket, ladder, holidays=holidays)
            while step is not None and step.due_at <= as_of:
                ticket.escalation_level = step.level
                step = escalation.next_step(ticket, ladder, holidays=holidays)
            level, next_at = ticket.escalation_level, step.due_at if step else None
        updated = closed or resolved or responded or created
        rows.append(
            (
                pk,
                uuid.uuid4(),
                created,
                updated,
                f"TKT-{year}-{sequences[year]:06d}",
                kind,
                category.pk,
                priority,
                status,
                subject,
                description,
                channels[rng.choice(("phone", "phone", "website", "interview", "social_media"))],
                branch,
                beneficiary,
                name,
                phone,
                email,
                reply_channel,
                rng.randint(1, max_interaction) if max_interaction and rng.random() < 0.2 else None,
                about_staff,
                rng.choice(staff_ids) if about_staff else None,
                owner,
                created_by,
                first_due,
                resolution_due,
                responded,
                resolved,
                closed,
                level,
                "أُجيب عن الاستفسار وأُبلغ صاحبه." if resolved else "",
                outcome,
                reason,
                0,
                next_at,
            )
        )
        events.append((pk, "opened", created, created_by, "", "new", "", "{}"))
    write(Ticket, fields, rows)
    write(
        TicketEvent,
        ("ticket", "kind", "created_at", "actor", "from_status", "to_status", "body", "data"),
        events,
    )
    for year, last in sequences.items():
        TicketSequence.objects.update_or_create(hijri_year=year, defaults={"last": last})
    reset_sequences(Ticket)
    running = Ticket.objects.filter(status__in=[TicketStatus.NEW, TicketStatus.IN_PROGRESS])
    return running.filter(next_escalation_at__lte=now).count()


def api_clients() -> dict:
    """The four integration clients (website, social relay, SMS and WhatsApp gateways)."""
    from api import services
    from api.models import ApiClient
    from core.models import Channel
    from inbox.services import DEFAULT_CHANNEL

    clients = {}
    for source in INBOUND_SOURCE_WEIGHTS:
        client = ApiClient.objects.filter(name=f"bench {source}").first()
        if client is None:
            client = ApiClient(
                name=f"bench {source}",
                source=source,
                channel=Channel.objects.get(code=DEFAULT_CHANNEL[source]),
            )
            services.api_client_create(actor=None, client=client)
        clients[source] = client
    return clients


def seed_inbound(size: int, staff: Staff, people: list, rng: random.Random) -> None:
    from django.utils import timezone

    from contact.models import Ticket
    from core.models import Channel
    from inbox.demo import MESSAGES
    from inbox.models import InboundItem
    from inbox.services import DEFAULT_CHANNEL

    now = timezone.now()
    clients = api_clients()
    channels = dict(Channel.objects.values_list("code", "pk"))
    texts: dict[str, list] = {}
    for source, name, handle, platform, subject, text in MESSAGES:
        texts.setdefault(source, []).append((name or "", handle, platform, subject, text))
    ticket_max = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first()
    handlers = [*staff.head_office, *(u for users in staff.by_branch.values() for u in users)]
    fields = (
        "public_id",
        "source",
        "channel",
        "external_id",
        "received_at",
        "sender_name",
        "sender_phone",
        "sender_email",
        "sender_handle",
        "platform",
        "subject",
        "body",
        "payload",
        "status",
        "branch",
        "beneficiary",
        "ticket",
        "handled_by",
        "handled_at",
        "close_reason",
    )
    rows = []
    for n, source in enumerate(weighted(rng, INBOUND_SOURCE_WEIGHTS, size)):
        name, handle, platform, subject, text = rng.choice(texts[source])
        new = rng.random() < INBOUND_NEW_SHARE
        # What waits in the inbox is recent; what was handled spans the years.
        received = moment(rng, now, 30 if new else YEARS * 365)
        phone, email, beneficiary, branch = "", "", None, None
        if source in ("sms", "whatsapp") and rng.random() < 0.45:
            beneficiary, branch, phone = rng.choice(people)
        elif source in ("sms", "whatsapp", "web_form"):
            phone = mobile(rng)
        if source == "web_form" and rng.random() < 0.3:
            email = f"sender{n}@mail.example"
        external_id = f"{clients[source].pk}:{source}-{n}"
        status, ticket, handled_by, handled_at, reason = "new", None, None, None, ""
        if not new:
            handled_by = rng.choice(handlers).pk
            handled_at = received + timedelta(hours=rng.uniform(0.1, 48))
            if ticket_max and rng.random() < 0.35:
                status, ticket = "ticket", rng.randint(1, ticket_max)
            else:
                status, reason = "closed", rng.choice(CLOSE_REASONS)
        payload = {"message_id": external_id.split(":", 1)[1], "text": text}
        if phone:
            payload["phone"] = phone.removeprefix("+")
        rows.append(
            (
                uuid.uuid4(),
                source,
                channels[DEFAULT_CHANNEL[source]],
                external_id,
                received,
                name,
                phone,
                email,
                handle,
                platform,
                subject,
                text,
                json.dumps(payload, ensure_ascii=False),
                status,
                branch,
                beneficiary,
                ticket,
                handled_by,
                handled_at,
                reason,
            )
        )
    write(InboundItem, fields, rows)


def vocabulary() -> list[str]:
    """Words of real answers, most frequent first (their rank drives a Zipf weighting)."""
    from knowledge.demo import ARTICLES

    text = (ROOT / "knowledge" / "data" / "beneficiary-relations-policy.ar.txt").read_text()
    text += " ".join(a["title"] + " " + a["summary"] + " " + a["body"] for a in ARTICLES)
    counts = Counter(re.findall(r"[\u0621-\u064a]{2,}", text))
    return [word for word, _n in counts.most_common()]


def seed_articles(size: int, staff: Staff, rng: random.Random) -> None:
    """The demo articles through knowledge's own service, then `size` more in bulk, indexed by
    the service's tokenizer (`_article_tokens`) so the index is what a save would write."""
    from django.db import transaction
    from django.utils import timezone

    from knowledge import demo
    from knowledge.models import Article, ArticleCategory, ArticleToken
    from knowledge.services import _article_tokens

    demo.seed_demo(rng=rng, actor=staff.manager)
    words = vocabulary()
    weights = [1 / (rank + 1) for rank in range(len(words))]
    categories = list(ArticleCategory.objects.all())
    now = timezone.now()

    def sentence(n: int) -> str:
        return " ".join(rng.choices(words, weights, k=n))

    batch = 500
    for start in range(0, size, batch):
        with transaction.atomic():
            articles = []
            for _ in range(min(batch, size - start)):
                status = rng.choices(("published", "draft", "archived"), (90, 5, 5))[0]
                articles.append(
                    Article(
                        kind=rng.choice(("faq", "script", "guide")),
                        category=rng.choice(categories),
                        audience=rng.choice(("public", "public", "staff")),
                        title=sentence(rng.randint(3, 8)),
                        summary=sentence(rng.randint(6, 15)),
                        body=sentence(rng.randint(80, 300)),
                        status=status,
                        published_at=now if status != "draft" else None,
                        author=staff.manager,
                        use_count=rng.randint(0, 50),
                        helpful_count=rng.randint(0, 20),
                    )
                )
            Article.objects.bulk_create(articles)
            ArticleToken.objects.bulk_create(
                ArticleToken(article=a, token=token, field=field)
                for a in articles
                for token, field in _article_tokens(a).items()
            )


def seed(args, rng: random.Random) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from beneficiaries.models import Beneficiary
    from core.models import Holiday

    common.fill_defaults()  # columns added to the models since this builder was written
    started = time.perf_counter()
    call_command(
        "seed_demo", beneficiaries=args.beneficiaries, seed=args.seed, no_users=True, verbosity=0
    )
    print(f"Seeded {args.beneficiaries:,} beneficiaries in {time.perf_counter() - started:.1f} s.")
    today = timezone.localdate()
    for day, name_ar, name_en in saudi_holidays(
        today - timedelta(days=365 * YEARS + 30), today + timedelta(days=400)
    ):
        Holiday.objects.get_or_create(date=day, defaults={"name_ar": name_ar, "name_en": name_en})
    staff = ensure_staff()
    # (pk, branch, mobile), ordered so both databases draw the same people for the same seed.
    people = list(Beneficiary.objects.order_by("pk").values_list("pk", "branch_id", "mobile"))

    steps: list[tuple[str, Callable[[], object]]] = [
        (
            f"{args.interactions:,} interactions",
            lambda: seed_interactions(args.interactions, staff, people, rng),
        ),
        (
            f"{args.tickets:,} tickets",
            lambda: seed_tickets(args.tickets, staff, people, timedelta(hours=args.backlog), rng),
        ),
        (f"{args.inbound:,} inbound items", lambda: seed_inbound(args.inbound, staff, people, rng)),
        (f"{args.articles:,} articles", lambda: seed_articles(args.articles, staff, rng)),
    ]
    for label, step in steps:
        started = time.perf_counter()
        step()
        print(f"Seeded {label} in {time.perf_counter() - started:.1f} s.")
    # Fresh statistics and visibility map, as autovacuum would leave them after a bulk load.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# --- A database of our own --------------------------------------------------------------------

# What --reuse compares: the tables the seed fills, with the counts asked for. Inbound items
# the webhook timing adds carry a ":bench-" id and are deleted after each run.
REUSE_TABLES = {
    "contact_interaction": "interactions",
    "contact_ticket": "tickets",
    "inbox_inbounditem": "inbound",
}


def reusable(url: str, args) -> bool:
    """True if the bench database holds exactly the counts asked for (and finished seeding:
    the articles come last)."""
    wanted = {table: getattr(args, attr) for table, attr in REUSE_TABLES.items()}
    checks = [f'SELECT count(*) FROM "{table}"' for table in wanted]
    checks.append("SELECT count(*) FROM knowledge_article")
    expected = [*wanted.values(), None]
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
    return found[:-1] == expected[:-1] and found[-1] >= args.articles


# Tables the sweep rewrites. Each rolled-back sample leaves its row versions dead on
# PostgreSQL (7,000 tickets × samples), which would slow the next run's queue pages (heap
# fetches on the open-ticket index) until autovacuum passes: vacuumed before measuring and
# after the sweeps, as autovacuum would after the one committed sweep of real life.
SWEPT_TABLES = ("contact_ticket", "contact_ticketevent", "core_activitylog", "notify_message")


def vacuum(tables: tuple[str, ...]) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return  # SQLite rewrites in place: nothing left behind by a rollback
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'VACUUM ANALYZE "{table}"')


# --- Measuring --------------------------------------------------------------------------------


@dataclass
class Row:
    measure: Measure
    queries: int | str
    target: str
    verdict: str
    baseline: Measure | None
    unit: str = "ms"


def count_queries(call: Callable[[], object]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    return [q["sql"] for q in ctx.captured_queries]


def repeated(queries: list[str]) -> list[tuple[int, str]]:
    """Statements that differ only by their literals, with how often each ran (2+ only)."""
    shapes = Counter(re.sub(r"'[^']*'|\b\d+\b", "?", sql) for sql in queries)
    return [(n, shape) for shape, n in shapes.most_common() if n > 1]


def rolled_back(call: Callable[[], object]) -> Callable[[object], object]:
    """Run `call` in a transaction undone afterwards: each sample does the same writes, and
    nothing scheduled on commit (the e-mails) runs."""
    from django.db import transaction

    def run(_item):
        with transaction.atomic():
            result = call()
            transaction.set_rollback(True)
        return result

    return run


def get(client, url: str, headers: dict | None = None) -> Callable[[object], bool]:
    def run(_item) -> bool:
        response = client.get(url, headers=headers or {})
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return True

    return run


def timed(label: str, n: int, prepare: Callable[[int], object], run, warmup: int = 5) -> Measure:
    """Like common.measure, for calls whose input must be fresh each time (a new message id,
    a signature on the current time): `prepare(i)` is not timed, `run(input)` is."""
    for i in range(warmup):
        run(prepare(-1 - i))
    seconds, found = [], 0
    for i in range(n):
        item = prepare(i)
        started = time.perf_counter()
        hit = run(item)
        seconds.append(time.perf_counter() - started)
        found += bool(hit)
    return Measure(label, seconds, found)


_LETTER_VARIANTS = (("ة", "ه"), ("ى", "ي"), ("أ", "ا"), ("إ", "ا"), ("آ", "ا"))


def variant(rng: random.Random, word: str) -> str:
    """`word` as someone might type it: another hamza, taa marbuta or alef maqsura, or a
    diacritic pasted in."""
    options = [(a, b) for a, b in _LETTER_VARIANTS if a in word]
    if word.endswith("ي"):
        options.append(("ي", "ى"))
    if not options:
        return word[:2] + "\u064e" + word[2:] if len(word) > 3 else word
    a, b = rng.choice(options)
    return word.replace(a, b)


def kb_queries(rng: random.Random, count: int) -> list[tuple[str, int | None]]:
    """Search-box queries, each with the article it was taken from when that article should
    be found (a demo article's title words), else None (any match counts).

    Two thirds: one to three words of a random published article (title or body), in
    another spelling, sometimes the last word cut short as in a live search box. One third:
    the title of a demo article (the answers a desk really looks for) in another spelling.
    """
    from knowledge.demo import ARTICLES
    from knowledge.models import Article

    demo = dict(
        Article.objects.filter(title__in=[a["title"] for a in ARTICLES]).values_list("title", "pk")
    )
    ids = list(
        Article.objects.filter(status="published").order_by("pk").values_list("pk", flat=True)
    )
    result: list[tuple[str, int | None]] = []
    for pk in rng.sample(ids, min(count, len(ids))):
        if demo and rng.random() < 1 / 3:
            title, target = rng.choice(sorted(demo.items()))
            words = [w for w in re.findall(r"[\u0600-\u06ff]+", title) if len(w) > 2]
            picked = [variant(rng, w) for w in words[:4]]
            result.append((" ".join(picked), target))
            continue
        article = Article.objects.only("title", "body").get(pk=pk)
        source = article.title if rng.random() < 0.5 else article.body
        words = [w for w in source.split() if len(w) > 2]
        picked = [variant(rng, w) for w in rng.sample(words, min(len(words), rng.randint(1, 3)))]
        if rng.random() < 0.3:
            picked[-1] = picked[-1][: max(3, len(picked[-1]) - 2)]
        result.append((" ".join(picked), None))
    return result


def explain(label: str, call: Callable[[], object]) -> None:
    """Print each SQL statement of one call with its time and the database's plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    print(f"\n--- {label}: {len(ctx.captured_queries)} queries")
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    for query in ctx.captured_queries:
        sql = query["sql"]
        print(f"[{float(query['time']) * 1000:.1f} ms] {sql[:700]}")
        if not sql.lstrip().upper().startswith("SELECT") or "FOR UPDATE" in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("    ", " | ".join(str(c) for c in row))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=SIZES, default="full", help="full (default)")
    for name in ("interactions", "tickets", "inbound", "articles", "beneficiaries"):
        parser.add_argument(f"--{name}", type=int, help=f"{name} (overrides --size)")
    parser.add_argument("--samples", type=int, default=100, help="samples per page (100)")
    parser.add_argument("--sweeps", type=int, default=5, help="samples per sweep (5)")
    parser.add_argument("--webhooks", type=int, default=200, help="webhook deliveries (200)")
    parser.add_argument(
        "--backlog", type=float, default=72, help="hours since the sweep last ran (72)"
    )
    parser.add_argument(
        "--deep-page", type=int, help="the deep page timed (50; 5 with --size small)"
    )
    parser.add_argument("--seed", type=int, default=1447)
    parser.add_argument("--reuse", action="store_true", help="keep a bench DB of the same size")
    parser.add_argument("--explain", action="store_true", help="print the plans of each page")
    args = parser.parse_args()
    os.chdir(ROOT)

    app_url = os.environ.get("DATABASE_URL", "")
    postgresql = common.is_postgresql(app_url)
    size = SIZES[args.size]
    deep = args.deep_page or (5 if args.size == "small" else DEEP_PAGE)
    for name in ("interactions", "tickets", "inbound", "articles", "beneficiaries"):
        if getattr(args, name) is None:
            setattr(args, name, getattr(size, name))

    if postgresql:
        named = urlsplit(app_url).path.lstrip("/")
        dbname = named if "bench" in named else BENCH_DB_NAME
        ready = args.reuse and reusable(common.pg_url(app_url, dbname), args)
        database_url, reused = common.prepare_postgresql(
            app_url, dbname, table="contact_interaction", size=args.interactions, reuse=ready
        )
    else:
        ready = args.reuse and reusable(f"sqlite:///{SQLITE_PATH}", args)
        database_url, reused = common.prepare_sqlite(
            SQLITE_PATH, table="contact_interaction", size=args.interactions, reuse=ready
        )
    setup_django(database_url, {"ALLOWED_HOSTS": "testserver,localhost,127.0.0.1"})
    # Static files are not collected for the bench; whitenoise only warns about it.
    warnings.filterwarnings("ignore", message="No directory at")

    from django.conf import settings
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from api import credentials
    from api import services as api_services
    from beneficiaries.models import Beneficiary
    from contact import escalation
    from contact.models import OPEN_STATUSES, Interaction, Ticket, TicketStatus
    from core.models import Channel
    from inbox import selectors as inbox_selectors
    from inbox.forms import UNASSIGNED
    from inbox.models import InboundItem, ItemStatus
    from knowledge.models import Article, ArticleToken
    from knowledge.selectors import article_search

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    if reused:
        print("Reusing the bench database of the same size.")
        vacuum((*SWEPT_TABLES, "inbox_inbounditem"))
    else:
        seed(args, rng)
    staff = ensure_staff()
    page_size = settings.MUSTAFID["PAGE_SIZE"]
    samples = [None] * args.samples
    rows: list[Row] = []
    query_log: dict[str, list[str]] = {}
    load_before = os.getloadavg()

    def page_row(label: str, m: Measure, queries: list[str], base: Measure) -> Row:
        ok = m.p95 <= TARGET_PAGE_MS
        return Row(m, len(queries), f"≤{TARGET_PAGE_MS:.0f} ms", "PASS" if ok else "FAIL", base)

    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def time_pages(client, urls: dict[str, str], base: Measure, headers=None) -> None:
        for label, url in urls.items():
            get(client, url, headers)(None)  # warm: a cached count is computed once per filter
            query_log[label] = count_queries(lambda u=url: get(client, u, headers)(None))
        for label, url in urls.items():
            m = measure(label, samples, get(client, url, headers))
            rows.append(page_row(label, m, query_log[label], base))

    def paginator_page(qs) -> Callable[[object], bool]:
        def run(_item) -> bool:
            return bool(list(Paginator(qs, page_size).page(deep).object_list))

        return run

    def deep_cursor(first: Callable[[str], object], cursor_of: Callable[[object], str]) -> str:
        """The cursor of the deep page, reached by following "next" as a user would."""
        cursor = ""
        for _ in range(deep - 1):
            cursor = cursor_of(first(cursor))
            if not cursor:
                raise SystemExit(f"fewer than {deep} pages: use a larger --size or --deep-page")
        return cursor

    officer = client_for(staff.officer)

    # 1. The inbox -----------------------------------------------------------------------------
    inbox_url = reverse("inbox:list")
    no_filter = inbox_selectors.InboxFilters()

    def inbox_next(cursor: str):
        after = inbox_selectors.Cursor.decode(cursor)
        return inbox_selectors.inbox_page(staff.officer, no_filter, after=after)

    inbox_deep = deep_cursor(inbox_next, lambda p: p.older.encode() if p.older else "")
    new_items = InboundItem.objects.filter(status=ItemStatus.NEW).select_related(
        "channel", "branch", "beneficiary"
    )
    inbox_base = measure(
        f"baseline: Paginator page {deep}, inbox",
        samples,
        paginator_page(new_items.order_by("-received_at", "-public_id")),
    )
    inbox_urls = {
        "inbox page 1": inbox_url,
        f"inbox page {deep} (keyset)": f"{inbox_url}?after={inbox_deep}",
        "inbox ?source=sms": f"{inbox_url}?source=sms",
        "inbox, senders not identified": f"{inbox_url}?branch={UNASSIGNED}",
    }
    time_pages(officer, inbox_urls, inbox_base)
    rows.append(Row(inbox_base, 2, "", "(baseline)", None))

    # 2. Ticket queues -------------------------------------------------------------------------
    from contact import selectors as contact_selectors

    tickets_url = reverse("contact:tickets")

    def queue_next(view: str) -> Callable[[str], object]:
        def page(cursor: str):
            qs = contact_selectors.ticket_queue(staff.officer, view=view)
            return contact_selectors.keyset_page(
                qs, column="resolution_due", descending=False, cursor=cursor, per_page=page_size
            )

        return page

    open_deep = deep_cursor(queue_next("open"), lambda p: p.next_cursor)
    overdue_deep = deep_cursor(queue_next("overdue"), lambda p: p.next_cursor)
    open_tickets = Ticket.objects.filter(status__in=OPEN_STATUSES).select_related(
        "category", "owner", "branch", "beneficiary"
    )
    queue_base = measure(
        f"baseline: Paginator page {deep}, queue",
        samples,
        paginator_page(open_tickets.order_by("resolution_due", "pk")),
    )
    queue_urls = {
        "queue, open page 1": tickets_url,
        f"queue, open page {deep} (keyset)": f"{tickets_url}?after={open_deep}",
        "queue, mine": f"{tickets_url}?view=mine",
        "queue, unassigned": f"{tickets_url}?view=unassigned",
        "queue, overdue page 1": f"{tickets_url}?view=overdue",
        f"queue, overdue page {deep}": f"{tickets_url}?view=overdue&after={overdue_deep}",
    }
    time_pages(officer, queue_urls, queue_base)
    time_pages(
        client_for(staff.quality),
        {"queue, overdue (quality)": f"{tickets_url}?view=overdue"},
        queue_base,
    )
    rows.append(Row(queue_base, 2, "", "(baseline)", None))

    # 3. The contacts list over the million interactions ---------------------------------------
    contacts_url = reverse("contact:list")

    def contacts_next(cursor: str):
        qs = contact_selectors.interaction_list(staff.officer)
        return contact_selectors.keyset_page(
            qs, column="occurred_at", descending=True, cursor=cursor, per_page=page_size
        )

    contacts_deep = deep_cursor(contacts_next, lambda p: p.next_cursor)
    contacts_base = measure(
        f"baseline: Paginator page {deep}, contacts",
        samples,
        paginator_page(
            Interaction.objects.select_related(
                "channel", "beneficiary", "branch", "recorded_by"
            ).order_by("-occurred_at", "-id")
        ),
    )
    contacts_urls = {
        "contacts page 1": contacts_url,
        f"contacts page {deep} (keyset)": f"{contacts_url}?after={contacts_deep}",
        "contacts ?channel=phone": f"{contacts_url}?channel=phone",
    }
    time_pages(officer, contacts_urls, contacts_base)
    # The list shows "about N" from a count cached five minutes per filter; what a cold cache
    # costs once per filter and period:
    cold_count = measure(
        "contacts COUNT(*), cache cold",
        samples[:10],
        lambda _i: contact_selectors.interaction_list(staff.officer).order_by().count(),
        warmup=1,
    )
    rows.append(Row(contacts_base, 2, "", "(baseline)", None))

    # 4. Knowledge-base search -----------------------------------------------------------------
    queries = kb_queries(random.Random(args.seed + 1), args.samples)
    kb_url = reverse("knowledge:article_list")
    a_ticket = (
        contact_selectors.ticket_queue(staff.officer, view="open")
        .order_by("resolution_due")
        .first()
    )
    ticket_url = reverse("contact:ticket", args=[a_ticket.public_id])
    kb_headers = {"HX-Request": "true", "HX-Target": "kb-results"}

    def naive_search(item) -> bool:
        query, _target = item
        qs = Article.objects.filter(status="published")
        for word in query.split():
            qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
        return bool(list(qs.order_by("-updated_at")[:10]))

    def page_search(url: str, param: str, headers=None) -> Callable[[object], bool]:
        def run(item) -> bool:
            query, _target = item
            response = officer.get(f"{url}?{urlencode({param: query})}", headers=headers or {})
            if response.status_code != 200:
                raise SystemExit(f"GET {url} answered {response.status_code}")
            return True

        return run

    def selector_search(item) -> bool:
        query, target = item
        found = article_search(staff.officer, query)
        return any(a.pk == target for a in found) if target else bool(found)

    kb_base = measure("baseline: icontains title/body", queries, naive_search)
    kb_measures = [
        ("KB search page", page_search(kb_url, "q"), f"{kb_url}?q="),
        ("KB search box on a ticket (htmx)", page_search(ticket_url, "kb", kb_headers), None),
        ("KB search, selector only", selector_search, None),
    ]
    sample_query = urlencode({"q": queries[0][0]})
    query_log["KB search page"] = count_queries(
        lambda: get(officer, f"{kb_url}?{sample_query}")(None)
    )
    query_log["KB search box on a ticket (htmx)"] = count_queries(
        lambda: officer.get(f"{ticket_url}?{urlencode({'kb': queries[0][0]})}", headers=kb_headers)
    )
    query_log["KB search, selector only"] = count_queries(
        lambda: article_search(staff.officer, queries[0][0])
    )
    for label, run, _url in kb_measures:
        m = measure(label, queries, run)
        rows.append(page_row(label, m, query_log[label], kb_base))
    rows.append(Row(kb_base, 1, "", "(baseline)", None))
    targeted = [(q, t) for q, t in queries if t]

    # 5. The escalation sweep ------------------------------------------------------------------
    sweeps = [None] * args.sweeps
    running = [TicketStatus.NEW, TicketStatus.IN_PROGRESS]
    now = timezone.now()
    due = Ticket.objects.filter(status__in=running, next_escalation_at__lte=now).count()
    first_due = (
        Ticket.objects.filter(status__in=running, next_escalation_at__isnull=False)
        .order_by("next_escalation_at")
        .values_list("next_escalation_at", flat=True)
        .first()
    )

    def naive_sweep(_item) -> int:
        ladder = escalation.Ladder.load()
        holidays = escalation.all_holidays()
        at = timezone.now()
        found = 0
        open_qs = Ticket.objects.filter(status__in=running).select_related("category")
        for ticket in open_qs.iterator(chunk_size=2000):
            step = escalation.next_step(ticket, ladder, holidays=holidays)
            found += step is not None and step.due_at <= at
        return found

    def sweep_row(m: Measure, queries: int | str, base: Measure) -> Row:
        ok = m.p95 <= TARGET_SWEEP_MS
        return Row(m, queries, f"≤{TARGET_SWEEP_MS / 1000:.0f} s", "PASS" if ok else "FAIL", base)

    naive_due = naive_sweep(None)
    sweep_base = measure("baseline: next_step() per open ticket", sweeps, naive_sweep, warmup=1)
    nothing_at = (first_due - timedelta(seconds=1)) if first_due else now
    sweep_calls = {
        f"sweep, {due:,} tickets due": lambda: escalation.tickets_escalate(),
        "sweep, nothing due": lambda: escalation.tickets_escalate(now=nothing_at),
    }
    escalated = rolled_back(sweep_calls[f"sweep, {due:,} tickets due"])(None)
    for label, call in sweep_calls.items():
        query_log[label] = count_queries(lambda c=call: rolled_back(c)(None))
        m = measure(label, sweeps, rolled_back(call), warmup=1)
        rows.append(sweep_row(m, len(query_log[label]), sweep_base))
    rows.append(
        Row(sweep_base, len(count_queries(lambda: naive_sweep(None))), "", "(baseline)", None)
    )
    vacuum(SWEPT_TABLES)

    # 6. The SMS webhook -----------------------------------------------------------------------
    from api.models import ApiClient

    api_clients()
    gateway = ApiClient.objects.get(name="bench sms")
    # Only the hash of the token is stored: issue a fresh one for this run.
    issued = api_services.api_client_rotate(actor=None, client=gateway)
    webhook_url = reverse("api:webhook_sms")
    run_tag = f"bench-{uuid.uuid4().hex[:8]}"
    mobiles = list(Beneficiary.objects.order_by("?").values_list("mobile", flat=True)[:500])
    api = Client()
    phone_channel = Channel.objects.get(code="phone")

    def delivery(i: int, *, message_id: str | None = None) -> tuple[bytes, dict]:
        # Half from a registered mobile (matched to the file), half from unknown numbers.
        number = mobiles[i % len(mobiles)] if i % 2 == 0 else mobile(rng)
        body = json.dumps(
            {
                "message_id": message_id or f"{run_tag}-{i}",
                "phone": number.removeprefix("+"),
                "text": "السلام عليكم، متى موعد الزيارة المنزلية؟",
            },
            ensure_ascii=False,
        ).encode()
        stamp = str(int(time.time()))
        return body, {
            "Authorization": f"Bearer {issued.token}",
            credentials.TIMESTAMP_HEADER: stamp,
            credentials.SIGNATURE_HEADER: credentials.sign(issued.webhook_secret, stamp, body),
        }

    def post(expected: int) -> Callable[[tuple[bytes, dict]], bool]:
        def run(item) -> bool:
            body, headers = item
            response = api.post(
                webhook_url, data=body, content_type="application/json", headers=headers
            )
            if response.status_code != expected:
                raise SystemExit(f"webhook answered {response.status_code}: {response.content!r}")
            return True

        return run

    def plain_insert(i: int) -> bool:
        InboundItem.objects.create(
            source="sms",
            channel=phone_channel,
            external_id=f"{gateway.pk}:{run_tag}-base-{i}",
            sender_phone=mobile(rng),
            body="السلام عليكم، متى موعد الزيارة المنزلية؟",
            payload={"message_id": f"{run_tag}-base-{i}"},
        )
        return True

    query_log["webhook, new message (201)"] = count_queries(lambda: post(201)(delivery(10**6)))
    webhook_base = timed("baseline: unsigned ORM INSERT", args.webhooks, lambda i: i, plain_insert)
    accepted = timed("webhook, new message (201)", args.webhooks, delivery, post(201))
    replayed = timed(
        "webhook, same id again (200)",
        args.webhooks,
        lambda i: delivery(i, message_id=f"{run_tag}-{i % 50}"),
        post(200),
        warmup=0,
    )
    for m in (accepted, replayed):
        ok = m.p95 <= TARGET_WEBHOOK_MS
        count = len(query_log["webhook, new message (201)"]) if m is accepted else ""
        rows.append(
            Row(m, count, f"≤{TARGET_WEBHOOK_MS:.0f} ms", "PASS" if ok else "FAIL", webhook_base)
        )
    rows.append(Row(webhook_base, 1, "", "(baseline)", None))
    posted = InboundItem.objects.filter(external_id__startswith=f"{gateway.pk}:{run_tag}-")
    new_items_posted = posted.exclude(external_id__contains="-base-").count()
    matched = posted.exclude(external_id__contains="-base-").exclude(beneficiary=None).count()
    # Keep the inbox the size it was seeded with, for the next --reuse.
    posted.delete()
    load_after = os.getloadavg()

    # Report -----------------------------------------------------------------------------------
    now = timezone.now()
    tickets = Ticket.objects
    open_count = tickets.filter(status__in=OPEN_STATUSES).count()
    print()
    print(
        f"Database: {connection.vendor} {database_version(connection)}  "
        f"({database_url.split('@')[-1]})"
    )
    print(
        f"Rows: {Interaction.objects.count():,} interactions, {tickets.count():,} tickets "
        f"({open_count:,} open, "
        f"{tickets.filter(status__in=OPEN_STATUSES, resolution_due__lt=now).count():,} overdue, "
        f"{tickets.filter(about_staff=True).count():,} about staff, "
        f"{tickets.filter(status__in=OPEN_STATUSES, owner__isnull=True).count():,} unassigned, "
        f"{tickets.filter(status__in=OPEN_STATUSES, owner=staff.officer).count():,} the "
        "officer's), "
        f"{InboundItem.objects.count():,} inbound items "
        f"({InboundItem.objects.filter(status=ItemStatus.NEW).count():,} new), "
        f"{Article.objects.count():,} articles ({ArticleToken.objects.count():,} index rows), "
        f"{Beneficiary.objects.count():,} beneficiaries."
    )
    print(
        f"Load average (1, 5, 15 min) before measuring {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f} "
        f"{load_after[2]:.2f}, on {os.cpu_count()} CPUs."
    )
    print(
        "Pages through django.test.Client (middleware, session, templates) as a head-office "
        f"relations officer; {args.samples} samples per page, {len(queries)} KB queries, "
        f"{args.sweeps} per sweep (rolled back), {args.webhooks} webhooks (committed).\n"
    )
    header = (
        f"{'operation':<36} {'n':>4} {'p50 ms':>9} {'p95 ms':>9} {'p95/base':>9} "
        f"{'queries':>7}  {'target':<10} verdict"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        m = row.measure
        ratio = f"{m.p95 / row.baseline.p95:.2f}" if row.baseline else "1.00"
        print(
            f"{m.label:<36} {len(m.seconds):>4} {m.p50:>9.1f} {m.p95:>9.1f} {ratio:>9} "
            f"{row.queries!s:>7}  {row.target:<10} {row.verdict}"
        )

    print("\nNotes")
    for first, deeper in (
        ("inbox page 1", f"inbox page {deep} (keyset)"),
        ("queue, open page 1", f"queue, open page {deep} (keyset)"),
        ("contacts page 1", f"contacts page {deep} (keyset)"),
    ):
        same = len(query_log[first]) == len(query_log[deeper])
        print(f"  queries of {first!r} and of {deeper!r} equal: {'yes' if same else 'NO'}")
    kb_found = statistics.fmean(selector_search(item) for item in targeted) if targeted else 0
    print(
        f"  KB: {len(targeted)} of {len(queries)} queries are a demo article's title in another "
        f"spelling; that article is among the 10 results for {kb_found:.0%} of them."
    )
    print(
        f"  Sweep: {due:,} running tickets due at the start (the Python loop finds {naive_due:,});"
        f" one run escalated {escalated:,}. Baseline = the loop without next_escalation_at."
    )
    print(
        f"  Webhook: {matched} of {new_items_posted} new items matched a file by phone; "
        "the baseline INSERT skips authentication, signature, parsing and the phone lookup."
    )
    print(
        f"  Contacts: the list's cached COUNT(*) over {Interaction.objects.count():,} rows costs "
        f"p50 {cold_count.p50:.0f} ms when the cache is cold (once per filter per five minutes;"
        " the figures above are with it warm, as the server runs)."
    )
    print(
        "  Ratios are p95 over the baseline's p95 in the same group; baselines are the "
        "naive queries only (no template), so a page near 1.0 costs what the bare naive "
        "query costs."
    )
    for label, queries_run in query_log.items():
        again = repeated(queries_run)
        if again and again[0][0] > 3:
            print(f"\nStatements repeated in {label} (same shape, different literals):")
            for n, shape in again[:5]:
                print(f"  {n:>5} × {shape[:300]}")

    if args.explain:
        explain(
            f"inbox page {deep}",
            lambda: get(officer, inbox_urls[f"inbox page {deep} (keyset)"])(None),
        )
        explain("queue, open page 1", lambda: get(officer, tickets_url)(None))
        explain(
            f"queue, overdue page {deep}",
            lambda: get(officer, queue_urls[f"queue, overdue page {deep}"])(None),
        )
        explain("contacts page 1", lambda: get(officer, contacts_url)(None))
        explain(
            f"KB search {queries[0][0]!r}", lambda: article_search(staff.officer, queries[0][0])
        )
        explain("sweep (rolled back)", lambda: rolled_back(escalation.tickets_escalate)(None))


if __name__ == "__main__":
    main()
