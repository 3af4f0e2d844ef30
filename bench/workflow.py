"""Benchmark of the request workflow: the officer's queue, a committee agenda, the deadline sweep.

    .venv/bin/python bench/workflow.py [--size 200000] [--beneficiaries N] [--samples 100] [--reuse]

It always works on a database of its own, never the app's: with DATABASE_URL set (PostgreSQL)
it drops and recreates `mustafid_bench_workflow` on the same server (or the database DATABASE_URL
names, when that name contains "bench": two people benchmarking one server each keep their own
copy); otherwise it uses the SQLite
file var/bench/workflow.sqlite3. It seeds beneficiaries with `seed_demo`, then writes in bulk
`--size` support requests spread over every state of DESIGN.md §4 (references, promised dates,
a share overdue, owners, branches, channels, aid types), the applicant questions and the SMS
outbox the daily sweeps read, and two committee meetings (200 and 20 agenda items, 3 members,
votes and a recusal). The bulk rows go through `beneficiaries.demo.raw_insert` wrapped by
`common.fill_defaults`, so a column added to a model since this was written gets its default.

It times, through Django's test client and the real views and templates:
  1. the officer's queue (page 1, page 50, a status filter, the overdue filter);
     baseline: the first 25 requests without select_related/prefetch, touched row by row;
  2. the committee agenda of 200 requests, as a member and as the chair (whose page also
     offers the requests ready for the committee); baseline: the same page for a meeting of 20;
  3. the deadline sweep over all open requests (the outbox sweep, the reminders for questions
     due, and the overdue digest or its aggregate queries); baseline: a Python loop over every
     open request computing `is_overdue`.
Sweeps that write run in a transaction rolled back afterwards, so every sample does the same
work. It reports; it is not a test, so it exits 0 whatever the figures (DESIGN.md §6).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import re
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal
from urllib.parse import urlsplit

import common
from common import ROOT, Measure, database_version, measure, setup_django

BENCH_DB_NAME = "mustafid_bench_workflow"
SQLITE_PATH = common.SQLITE_DIR / "workflow.sqlite3"
TABLE = "assistance_supportrequest"
TARGET_PAGE_MS = 100.0
TARGET_SWEEP_MS = 5000.0
AGENDA_SIZE = 200
SMALL_AGENDA_SIZE = 20
OFFICERS = 6
DEEP_PAGE = 50

# Share of each state among the requests of a charity three years into the system.
STATUS_WEIGHTS = {
    "draft": 3,
    "submitted": 2,
    "verifying": 4,
    "awaiting_applicant": 4,
    "in_research": 5,
    "researched": 3,
    "in_committee": 3,
    "approved": 2,
    "rejected": 8,
    "deferred": 2,
    "appealed": 1,
    "enrolled": 3,
    "in_service": 12,
    "closed": 40,
    "withdrawn": 4,
    "cancelled": 6,
}
NEEDS = (
    "سداد إيجار المنزل المتأخر",
    "سلة غذائية شهرية للأسرة",
    "فواتير الكهرباء والماء",
    "رسوم دراسية للأبناء",
    "علاج وأدوية لمرض مزمن",
    "ترميم المنزل",
    "كسوة الشتاء",
)


# --- Seeding ----------------------------------------------------------------------------------


@dataclass
class Cast:
    officer: object
    officers: list
    chair: object
    secretary: object
    member: object


def ensure_staff() -> Cast:
    from accounts.models import Branch, Role, User

    branches = list(Branch.objects.order_by("pk"))

    def user(username: str, role: str, branch=None):
        obj, _created = User.objects.update_or_create(
            username=username,
            defaults={"role": role, "branch": branch, "full_name": username, "is_active": True},
        )
        return obj

    # The officer timed sees every branch (head office): the largest queue there is.
    officer = user("bench-officer", Role.RELATIONS_OFFICER)
    officers = [officer] + [
        user(f"bench-officer-{i}", Role.RELATIONS_OFFICER, branches[i % len(branches)])
        for i in range(1, OFFICERS)
    ]
    return Cast(
        officer=officer,
        officers=officers,
        chair=user("bench-chair", Role.COMMITTEE_MEMBER),
        secretary=user("bench-secretary", Role.COMMITTEE_MEMBER),
        member=user("bench-member", Role.COMMITTEE_MEMBER),
    )


def seed_requests(size: int, cast: Cast, rng: random.Random) -> None:
    """`size` requests over every state, with their aid types, questions and SMS outbox."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from assistance.models import (
        AWAITING_DECISION,
        AidType,
        InfoRequest,
        RequestSequence,
        Status,
        SupportRequest,
    )
    from beneficiaries.demo import raw_insert
    from beneficiaries.models import Beneficiary
    from core.models import Channel
    from notify.models import Message

    now = timezone.now()
    today = timezone.localdate()
    people = list(Beneficiary.objects.values_list("pk", "branch_id", "mobile"))
    channels = list(Channel.objects.values_list("pk", flat=True))
    aid_types = list(AidType.objects.values_list("pk", flat=True))
    officer_ids = [o.pk for o in cast.officers]
    statuses = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=size)
    day = 86_400

    plans = []
    for status in statuses:
        beneficiary_id, branch_id, mobile = rng.choice(people)
        submitted = True
        if status == Status.DRAFT:
            submitted = False
            created = now - timedelta(seconds=rng.randrange(30 * day))
        elif status in (Status.CANCELLED, Status.WITHDRAWN) and rng.random() < 0.3:
            submitted = False  # stopped before submission: no reference
            created = now - timedelta(seconds=rng.randrange(3 * 365 * day))
        elif status in AWAITING_DECISION:
            # Most are recent; some have lingered: about a third are past the promised date.
            span = 18 * day if rng.random() < 0.85 else 180 * day
            created = now - timedelta(seconds=rng.randrange(span))
        else:
            created = now - timedelta(seconds=rng.randrange(3 * 365 * day))
        plans.append((created, status, submitted, beneficiary_id, branch_id, mobile))
    plans.sort(key=lambda p: p[0])  # ids and references follow time, as in real use

    rows, links, infos, messages = [], [], [], []
    sequence = 0
    beneficiary_type = ContentType.objects.get_for_model(Beneficiary).pk
    max_attempts = 5
    for pk, (created, status, submitted, beneficiary_id, branch_id, mobile) in enumerate(
        plans, start=1
    ):
        owner = rng.choice(officer_ids) if rng.random() < 0.9 else None
        reference = submitted_at = expected = None
        if submitted:
            sequence += 1
            reference = f"REQ-1447-{sequence:06d}"
            submitted_at = created + timedelta(seconds=rng.randrange(3 * day))
            expected = timezone.localtime(submitted_at).date() + timedelta(days=14)
        amount = Decimal(rng.randrange(500, 10_000, 50)) if rng.random() < 0.7 else None
        rows.append(
            (
                pk,
                uuid.uuid4(),
                created,
                created,
                beneficiary_id,
                branch_id,
                rng.choice(channels),
                rng.choice(NEEDS),
                amount,
                False,
                status,
                reference,
                submitted_at,
                expected,
                owner or officer_ids[0],
                owner,
            )
        )
        links.extend((pk, a) for a in rng.sample(aid_types, 1 if rng.random() < 0.8 else 2))
        if status == Status.AWAITING_APPLICANT:
            due = today + timedelta(days=rng.randint(-14, 7))
            asked = timezone.make_aware(datetime.combine(due - timedelta(days=7), dt_time(9)))
            # Past-due questions were reminded on their day; today's are the sweep's work.
            reminded = asked + timedelta(days=7) if due < today else None
            asker = owner or officer_ids[0]
            infos.append((asked, asked, pk, "صورة عقد الإيجار", due, asker, reminded, ""))
        if submitted:
            # The submission notice: sent, except a few the outbox sweep still has to pick up.
            roll = rng.random()
            status_msg, attempts, claimed, sent, next_at = "sent", 1, submitted_at, None, None
            sent = submitted_at + timedelta(seconds=5)
            if roll < 0.0015:
                status_msg, attempts, claimed, sent = "queued", 0, None, None
                next_at = now - timedelta(minutes=10)
            elif roll < 0.002:
                status_msg, attempts, sent = "failed", 2, None
                next_at = now - timedelta(minutes=1)
            elif roll < 0.0022:
                status_msg, attempts, sent = "sending", max_attempts, None
                claimed = now - timedelta(hours=1)  # the worker died: no attempts left
            messages.append(
                (
                    uuid.uuid4(),
                    "sms",
                    mobile,
                    "",
                    f"تم استلام طلبكم رقم {reference}",
                    "request.submitted",
                    f"request.submitted:{pk}",
                    status_msg,
                    attempts,
                    "",
                    "",
                    "",
                    submitted_at,
                    claimed,
                    sent,
                    next_at,
                    beneficiary_type,
                    str(beneficiary_id),
                )
            )

    with transaction.atomic():
        raw_insert(
            SupportRequest,
            (
                "id",
                "public_id",
                "created_at",
                "updated_at",
                "beneficiary",
                "branch",
                "channel",
                "need",
                "requested_amount",
                "declares_no_income",
                "status",
                "reference",
                "submitted_at",
                "expected_decision_date",
                "created_by",
                "owner",
            ),
            rows,
        )
        raw_insert(SupportRequest.aid_types.through, ("supportrequest", "aidtype"), links)
        raw_insert(
            InfoRequest,
            (
                "created_at",
                "updated_at",
                "request",
                "what",
                "due_date",
                "asked_by",
                "reminded_at",
                "answer",
            ),
            infos,
        )
        raw_insert(
            Message,
            (
                "public_id",
                "channel",
                "recipient",
                "subject",
                "body",
                "template_code",
                "idempotency_key",
                "status",
                "attempts",
                "last_error",
                "provider",
                "provider_message_id",
                "created_at",
                "claimed_at",
                "sent_at",
                "next_attempt_at",
                "about_type",
                "about_id",
            ),
            messages,
        )
        RequestSequence.objects.update_or_create(hijri_year=1447, defaults={"last": sequence})
        # Explicit ids were written: move the sequence past them (PostgreSQL).
        statements = connection.ops.sequence_reset_sql(no_style(), [SupportRequest])
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def seed_meeting(number: str, items: int, cast: Cast, request_ids: list[int], rng) -> None:
    """A meeting of three members with `items` requests; a pattern of votes and a recusal."""
    from django.utils import timezone

    from assistance.models import (
        AgendaItem,
        AidType,
        Meeting,
        MeetingMember,
        Recusal,
        Status,
        SupportRequest,
        Vote,
    )

    meeting = Meeting.objects.create(
        number=number, date=timezone.localdate(), quorum=3, created_by=cast.chair
    )
    MeetingMember.objects.bulk_create(
        [
            MeetingMember(meeting=meeting, user=cast.chair, role="chair"),
            MeetingMember(meeting=meeting, user=cast.secretary, role="secretary"),
            MeetingMember(meeting=meeting, user=cast.member, role="member"),
        ]
    )
    aid_type = AidType.objects.order_by("pk").first()
    now = timezone.now()
    agenda = AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                request_id=request_id,
                position=position,
                aid_type=aid_type,
                amount=Decimal(rng.randrange(500, 5000, 50)),
                months=rng.randint(1, 6),
                # Every fifth item has its three votes: decided.
                outcome="approved" if position % 5 == 4 else "pending",
                decided_at=now if position % 5 == 4 else None,
            )
            for position, request_id in enumerate(request_ids[:items])
        ]
    )
    votes, recusals = [], []
    for item in agenda:
        pattern = item.position % 5
        voters = {0: [], 1: [cast.chair], 2: [cast.chair, cast.secretary], 3: [cast.chair]}.get(
            pattern, [cast.chair, cast.secretary, cast.member]
        )
        votes.extend(Vote(item=item, voter=v, choice="approve", cast_at=now) for v in voters)
        if pattern == 3:
            recusals.append(Recusal(item=item, member=cast.member, reason="قرابة مع المتقدم"))
    Vote.objects.bulk_create(votes)
    Recusal.objects.bulk_create(recusals)
    decided = [item.request_id for item in agenda if item.outcome == "approved"]
    SupportRequest.objects.filter(pk__in=decided).update(status=Status.APPROVED)


def seed(args, rng: random.Random) -> None:
    from django.core.management import call_command
    from django.db import connection

    from assistance.models import Status, SupportRequest

    # The bulk rows below (and seed_demo's) name their columns; the ones added to a model since
    # get its default instead of failing NOT NULL.
    common.fill_defaults()
    started = time.perf_counter()
    call_command(
        "seed_demo", beneficiaries=args.beneficiaries, seed=args.seed, no_users=True, verbosity=0
    )
    print(f"Seeded {args.beneficiaries:,} beneficiaries in {time.perf_counter() - started:.1f} s.")
    started = time.perf_counter()
    cast = ensure_staff()
    seed_requests(args.size, cast, rng)
    in_committee = list(
        SupportRequest.objects.filter(status=Status.IN_COMMITTEE)
        .order_by("pk")
        .values_list("pk", flat=True)[: AGENDA_SIZE + SMALL_AGENDA_SIZE]
    )
    seed_meeting("BENCH-20", SMALL_AGENDA_SIZE, cast, in_committee[:SMALL_AGENDA_SIZE], rng)
    seed_meeting("BENCH-200", AGENDA_SIZE, cast, in_committee[SMALL_AGENDA_SIZE:], rng)
    print(f"Seeded {args.size:,} requests in {time.perf_counter() - started:.1f} s.")
    # Fresh statistics, as autovacuum would have on PostgreSQL and as the planner needs.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Measuring --------------------------------------------------------------------------------


@dataclass
class Row:
    measure: Measure
    queries: int | str
    target: str
    verdict: str
    baseline: Measure | None


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
    nothing scheduled on commit (SMS sending) runs."""
    from django.db import transaction

    def run(_item):
        with transaction.atomic():
            result = call()
            transaction.set_rollback(True)
        return result

    return run


def get(client, url: str) -> Callable[[object], bool]:
    def run(_item) -> bool:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return True

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=200_000, help="support requests (200000)")
    parser.add_argument("--beneficiaries", type=int, help="beneficiaries (size / 4)")
    parser.add_argument("--samples", type=int, default=100, help="samples per page (100)")
    parser.add_argument("--sweeps", type=int, default=5, help="samples per sweep (5)")
    parser.add_argument("--seed", type=int, default=1447)
    parser.add_argument("--reuse", action="store_true", help="keep a bench DB of the same size")
    args = parser.parse_args()
    args.beneficiaries = args.beneficiaries or max(1, args.size // 4)
    os.chdir(ROOT)

    app_url = os.environ.get("DATABASE_URL", "")
    if common.is_postgresql(app_url):
        named = urlsplit(app_url).path.lstrip("/")
        database_url, reused = common.prepare_postgresql(
            app_url,
            named if "bench" in named else BENCH_DB_NAME,
            table=TABLE,
            size=args.size,
            reuse=args.reuse,
        )
    else:
        database_url, reused = common.prepare_sqlite(
            SQLITE_PATH, table=TABLE, size=args.size, reuse=args.reuse
        )
    setup_django(database_url, {"ALLOWED_HOSTS": "testserver,localhost,127.0.0.1"})
    # Static files are not collected for the bench; whitenoise only warns about it.
    warnings.filterwarnings("ignore", message="No directory at")

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from assistance import selectors, services
    from assistance.models import (
        AWAITING_DECISION,
        OPEN_STATUSES,
        AgendaItem,
        InfoRequest,
        Meeting,
        Status,
        SupportRequest,
    )
    from beneficiaries.models import Beneficiary
    from notify import services as notify
    from notify.models import Message

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    if reused:
        print(f"Reusing the bench database with {args.size:,} requests.")
    else:
        seed(args, rng)
    cast = ensure_staff()

    samples = [None] * args.samples
    sweeps = [None] * args.sweeps
    rows: list[Row] = []

    def page_row(label: str, m: Measure, queries: int, fixed: bool, base: Measure) -> Row:
        ok = m.p95 <= TARGET_PAGE_MS and fixed
        target = f"≤{TARGET_PAGE_MS:.0f} ms, fixed"
        return Row(m, queries, target, "PASS" if ok else "FAIL", base)

    # 1. The officer's queue --------------------------------------------------------------------
    officer = Client()
    officer.force_login(cast.officer)
    queue = reverse("assistance:list")
    queue_urls = {
        "queue page 1": queue,
        f"queue page {DEEP_PAGE}": f"{queue}?page={DEEP_PAGE}",
        "queue ?status=verifying": f"{queue}?status=verifying",
        "queue ?overdue=1": f"{queue}?overdue=1",
    }
    queue_queries = {
        label: count_queries(lambda u=url: get(officer, u)(None))
        for label, url in queue_urls.items()
    }

    def naive_queue(_item) -> bool:
        for r in SupportRequest.objects.order_by("-created_at")[:25]:
            _ = r.beneficiary.full_name, r.branch.name, [a.name for a in r.aid_types.all()]
        return True

    naive_queries = count_queries(lambda: naive_queue(None))
    queue_base = measure("baseline: queue without joins", samples, naive_queue)
    fixed = len(queue_queries["queue page 1"]) == len(queue_queries[f"queue page {DEEP_PAGE}"])
    for label, url in queue_urls.items():
        m = measure(label, samples, get(officer, url))
        rows.append(page_row(label, m, len(queue_queries[label]), fixed, queue_base))
    rows.append(Row(queue_base, len(naive_queries), "", "(baseline)", None))

    # 2. The committee agenda: as a member, and as the chair, whose page also lists the
    # researched requests that can be added (up to 200) -----------------------------------------
    big = Meeting.objects.get(number="BENCH-200")
    small = Meeting.objects.get(number="BENCH-20")
    big_url = reverse("assistance:meeting", args=[big.public_id])
    small_url = reverse("assistance:meeting", args=[small.public_id])
    agenda_counts: dict[str, tuple[list[str], list[str]]] = {}
    for who, user in (("member", cast.member), ("chair", cast.chair)):
        client = Client()
        client.force_login(user)
        big_queries = count_queries(lambda c=client: get(c, big_url)(None))
        small_queries = count_queries(lambda c=client: get(c, small_url)(None))
        agenda_counts[who] = (big_queries, small_queries)
        base = measure(
            f"baseline: agenda of {SMALL_AGENDA_SIZE}, {who}", samples, get(client, small_url)
        )
        agenda = measure(f"agenda of {AGENDA_SIZE}, {who}", samples, get(client, big_url))
        agenda_fixed = len(big_queries) == len(small_queries)
        rows.append(page_row(agenda.label, agenda, len(big_queries), agenda_fixed, base))
        rows.append(Row(base, len(small_queries), "", "(baseline)", None))

    # 3. The deadline sweep ---------------------------------------------------------------------
    def sweep_row(m: Measure, queries: int | str, base: Measure) -> Row:
        ok = m.p95 <= TARGET_SWEEP_MS
        return Row(m, queries, f"≤{TARGET_SWEEP_MS / 1000:.0f} s", "PASS" if ok else "FAIL", base)

    def naive_overdue(_item) -> int:
        by_status, by_owner = Counter(), Counter()
        for r in SupportRequest.objects.filter(status__in=OPEN_STATUSES):
            if r.is_overdue:
                by_status[r.status] += 1
                by_owner[r.owner_id] += 1
        return sum(by_status.values())

    def overdue_aggregates() -> tuple[list, list]:
        overdue = selectors.request_queue(cast.officer, overdue=True).order_by()
        by_status = list(overdue.values("status").annotate(n=Count("pk")).order_by("status"))
        by_owner = list(overdue.values("owner").annotate(n=Count("pk")).order_by("owner"))
        return by_status, by_owner

    sweep_base = measure("baseline: Python loop, open", sweeps, naive_overdue, warmup=1)
    sweep_calls: list[tuple[str, Callable[[object], object], Callable[[], object]]] = [
        ("messages_sweep()", rolled_back(notify.messages_sweep), notify.messages_sweep),
        (
            "info_request_reminders()",
            rolled_back(services.info_request_reminders),
            services.info_request_reminders,
        ),
        ("overdue by status+owner (2 agg)", lambda _i: overdue_aggregates(), overdue_aggregates),
    ]
    has_deadlines = importlib.util.find_spec("assistance.deadlines") is not None
    if has_deadlines:
        from assistance import deadlines

        if hasattr(deadlines, "overdue_summary"):
            summary = lambda: deadlines.overdue_summary(cast.officer)  # noqa: E731
            sweep_calls.append(("deadlines.overdue_summary()", lambda _i: summary(), summary))
        if hasattr(deadlines, "send_overdue_digest"):
            sweep_calls.append(
                (
                    "deadlines.send_overdue_digest()",
                    rolled_back(deadlines.send_overdue_digest),
                    deadlines.send_overdue_digest,
                )
            )
    sweep_queries: dict[str, list[str]] = {}
    for label, run, once in sweep_calls:
        sweep_queries[label] = count_queries(lambda once=once: rolled_back(once)(None))
        m = measure(label, sweeps, run, warmup=1)
        rows.append(sweep_row(m, len(sweep_queries[label]), sweep_base))
    naive_sweep_queries = count_queries(lambda: naive_overdue(None))
    rows.append(Row(sweep_base, len(naive_sweep_queries), "", "(baseline)", None))

    # Report ------------------------------------------------------------------------------------
    today = timezone.localdate()
    requests = SupportRequest.objects
    open_count = requests.filter(status__in=OPEN_STATUSES).count()
    overdue_count = requests.filter(
        status__in=AWAITING_DECISION, expected_decision_date__lt=today
    ).count()
    due_today = InfoRequest.objects.filter(
        answered_at__isnull=True, reminded_at__isnull=True, due_date__lte=today
    ).count()
    sweepable = Message.objects.exclude(status="sent").count()
    print()
    print(
        f"Database: {connection.vendor} {database_version(connection)}  "
        f"({database_url.split('@')[-1]})"
    )
    print(
        f"Rows: {requests.count():,} requests in {len(Status.values)} states "
        f"({open_count:,} open, {overdue_count:,} past the promised date), "
        f"{Beneficiary.objects.count():,} beneficiaries, "
        f"{Message.objects.count():,} outbox messages ({sweepable} not sent), "
        f"{due_today} questions due for a reminder, "
        f"{AgendaItem.objects.filter(meeting=big).count()} + "
        f"{AgendaItem.objects.filter(meeting=small).count()} agenda items."
    )
    print(
        "Pages through django.test.Client (middleware, session, templates), as a head-office "
        f"officer and a committee member; {args.samples} samples per page, {args.sweeps} per "
        "sweep (writes rolled back).\n"
    )
    header = (
        f"{'operation':<34} {'n':>4} {'p50 ms':>9} {'p95 ms':>9} {'p95/base':>9} "
        f"{'queries':>7}  {'target':<17} verdict"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        m = row.measure
        ratio = f"{m.p95 / row.baseline.p95:.2f}" if row.baseline else "1.00"
        print(
            f"{m.label:<34} {len(m.seconds):>4} {m.p50:>9.1f} {m.p95:>9.1f} {ratio:>9} "
            f"{row.queries!s:>7}  {row.target:<17} {row.verdict}"
        )

    print("\nQuery counts")
    for label, queries in queue_queries.items():
        print(f"  {label:<32} {len(queries)}")
    print(f"  page 1 and page {DEEP_PAGE} equal: {'yes' if fixed else 'NO'}")
    for who, (big_queries, small_queries) in agenda_counts.items():
        print(f"  agenda of {AGENDA_SIZE}, {who:<17} {len(big_queries)}")
        print(f"  agenda of {SMALL_AGENDA_SIZE}, {who:<18} {len(small_queries)}")
        same = len(big_queries) == len(small_queries)
        print(f"  agenda independent of its size, {who}: {'yes' if same else 'NO'}")
    for label, queries in sweep_queries.items():
        print(f"  {label:<32} {len(queries)}")
    if not has_deadlines:
        print("  (assistance/deadlines.py absent: the overdue digest is timed as its 2 aggregates)")
    for label, queries in [
        ("queue page 1", queue_queries["queue page 1"]),
        *((f"agenda of {AGENDA_SIZE}, {who}", q[0]) for who, q in agenda_counts.items()),
        *sweep_queries.items(),
    ]:
        again = repeated(queries)
        if again:
            print(f"\nStatements repeated in {label} (same shape, different literals):")
            for n, shape in again[:8]:
                print(f"  {n:>5} × {shape[:300]}")


if __name__ == "__main__":
    main()
