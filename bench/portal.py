"""Benchmark of the beneficiary portal (issue 5, "Speed"): sign-in with a one-time code, my
requests, one request's page, and the weight of every portal page.

    .venv/bin/python bench/portal.py [--beneficiaries 200000] [--requests 200000]
                                     [--samples 100] [--reuse]

It always works on a database of its own, never the app's: with DATABASE_URL set (PostgreSQL)
it drops and recreates `mustafid_bench_portal` on the same server (or the database DATABASE_URL
names, when that name contains "bench"); otherwise the SQLite file var/bench/portal.sqlite3.
`--reuse` keeps a database that already holds the same number of beneficiaries. The data is
bench/workflow.py's: `--beneficiaries` files from `seed_demo`, then `--requests` support
requests over every state of DESIGN.md §4 with their questions and SMS outbox.

It times, through Django's test client and the real views, templates, middleware and session,
each sample a different beneficiary (and a different client address, as on the street):
  1. sign-in: asking for a code (POST the identity number: the limits are counted, the code
     row and its SMS written) and entering it (POST the code: checked, session started);
     baseline: the same work at the ORM only — find the file by identity number, insert a code
     row, read it back and mark it used;
  2. my requests, for applicants with one to several requests; baseline: the selector's rows
     alone, without template;
  3. a request's page, requests in every state; baseline: the staff page of the same request,
     as a head-office officer (the page the portal page mirrors for the applicant).
Each figure is printed with the target of the issue (p95 ≤ 100 ms on PostgreSQL) and its
ratio to the baseline of its group, with the queries per page.

Page weight: every portal page, signed out and signed in, is fetched with the test client and
weighed as a browser with an empty cache would load it: the HTML, the stylesheet and scripts
it links, and the web fonts the stylesheet declares whose unicode-range covers a character of
the page (a browser downloads only those). Printed per page with the median; target ≤ 150 KB.
It reports; it is not a test, so it exits 0 whatever the figures (DESIGN.md §6).
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import common
import workflow
from common import ROOT, Measure, database_version, measure, setup_django

BENCH_DB_NAME = "mustafid_bench_portal"
SQLITE_PATH = common.SQLITE_DIR / "portal.sqlite3"
TABLE = "beneficiaries_beneficiary"
TARGET_PAGE_MS = 100.0
TARGET_WEIGHT_KB = 150.0
STATIC = ROOT / "static"


# --- Page weight ----------------------------------------------------------------------------

_LINKED = re.compile(
    r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"'
)
_FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}", re.S)
_FONT_URL = re.compile(r'url\("?([^")]+)"?\)')
_RANGE = re.compile(r"U\+([0-9A-Fa-f]+)(?:-([0-9A-Fa-f]+))?")


def _static_file(url: str, base: Path | None = None) -> Path | None:
    path = urlsplit(url).path
    if path.startswith("/static/"):
        return STATIC / path.removeprefix("/static/")
    if base is not None and not path.startswith("/"):
        return (base.parent / path).resolve()
    return None


def _fonts_needed(css: Path, text: str) -> list[Path]:
    """The font files a browser fetches for `text`: faces whose unicode-range it touches."""
    used = {ord(ch) for ch in text}
    files = []
    for face in _FONT_FACE.findall(css.read_text()):
        url = _FONT_URL.search(face)
        ranges = _RANGE.findall(face)
        if url is None:
            continue
        spans = [(int(a, 16), int(b or a, 16)) for a, b in ranges] or [(0, 0x10FFFF)]
        if any(lo <= cp <= hi for cp in used for lo, hi in spans):
            files.append(_static_file(url.group(1), css))
    return files


def page_weight(html: str) -> tuple[int, int, int]:
    """(HTML bytes, gzip-compressed HTML bytes, everything linked that an empty cache loads)."""
    raw = html.encode()
    text = re.sub(r"<[^>]+>", " ", html)
    assets = 0
    for url in _LINKED.findall(html):
        path = _static_file(url)
        if path is None or not path.exists():
            continue
        assets += path.stat().st_size
        if path.suffix == ".css":
            # Fonts are compressed already; CSS is sent gzipped by any proxy.
            assets -= path.stat().st_size - len(gzip.compress(path.read_bytes()))
            assets += sum(f.stat().st_size for f in _fonts_needed(path, text) if f.exists())
    return len(raw), len(gzip.compress(raw)), assets


# --- Helpers --------------------------------------------------------------------------------


def count_queries(call: Callable[[], object]) -> int:
    return len(workflow.count_queries(call))


def sign_in_client(beneficiary, address: str):
    """A client signed in on the portal as `beneficiary`, through the real pages."""
    from django.test import Client
    from django.urls import reverse

    from notify.models import Message

    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("portal:login"), {"identity": beneficiary.id_number})
    challenge = response.url
    body = (
        Message.objects.filter(recipient=beneficiary.mobile, template_code="portal.otp")
        .order_by("-pk")
        .values_list("body", flat=True)
        .first()
    )
    code = re.search(r"\d{6}", body).group(0)
    response = client.post(challenge, {"code": code})
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: {response.status_code}")
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beneficiaries", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1447)
    parser.add_argument("--reuse", action="store_true", help="keep a bench DB of the same size")
    args = parser.parse_args()
    os.chdir(ROOT)

    app_url = os.environ.get("DATABASE_URL", "")
    if common.is_postgresql(app_url):
        named = urlsplit(app_url).path.lstrip("/")
        database_url, reused = common.prepare_postgresql(
            app_url,
            named if "bench" in named else BENCH_DB_NAME,
            table=TABLE,
            size=args.beneficiaries,
            reuse=args.reuse,
        )
    else:
        database_url, reused = common.prepare_sqlite(
            SQLITE_PATH, table=TABLE, size=args.beneficiaries, reuse=args.reuse
        )
    setup_django(database_url, {"ALLOWED_HOSTS": "testserver,localhost,127.0.0.1"})
    warnings.filterwarnings("ignore", message="No directory at")

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from assistance import selectors
    from assistance.models import SupportRequest
    from beneficiaries.models import Beneficiary, Consent, PrivacyNotice
    from core.models import Channel
    from portal import otp
    from portal.models import OneTimeCode, Purpose

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    if reused:
        print(f"Reusing the bench database with {args.beneficiaries:,} beneficiaries.")
    else:
        started = time.perf_counter()
        workflow.seed(
            argparse.Namespace(
                size=args.requests, beneficiaries=args.beneficiaries, seed=args.seed
            ),
            rng,
        )
        print(f"Seeded in {time.perf_counter() - started:.0f} s.")
    cast = workflow.ensure_staff()
    # The limits are the product's; the bench signs in hundreds of people from a handful of
    # addresses in seconds, which the per-address limit is there to stop.
    settings.MUSTAFID["PORTAL"]["OTP_PER_ADDRESS_PER_HOUR"] = 10**6

    print(
        f"{connection.vendor} {database_version(connection)}; "
        f"{Beneficiary.objects.count():,} beneficiaries, "
        f"{SupportRequest.objects.count():,} requests; {args.samples} samples per figure."
    )
    notice = PrivacyNotice.objects.order_by("-effective_from").first()
    website = Channel.objects.get(code="website")
    ids = list(Beneficiary.objects.values_list("pk", flat=True))
    people = [Beneficiary.objects.get(pk=pk) for pk in rng.sample(ids, 2 * args.samples + 10)]
    # Consent given, so the pages timed are the pages, not the privacy notice.
    Consent.objects.bulk_create(
        [Consent(beneficiary=b, notice=notice, channel=website) for b in people],
        ignore_conflicts=True,
    )
    rows: list[tuple[Measure, int, Measure | None]] = []

    # 1. Sign-in --------------------------------------------------------------------------------
    queue = iter(people)
    pending: list[tuple[Client, str, str]] = []

    def ask(_item) -> bool:
        b = next(queue)
        client = Client(REMOTE_ADDR=f"10.{rng.randrange(256)}.{rng.randrange(256)}.7")
        response = client.post(reverse("portal:login"), {"identity": b.id_number})
        # The code is read from its SMS afterwards, outside the timing.
        pending.append((client, response.url, b.mobile))
        return response.status_code == 302

    ask_m = measure("sign-in: ask for a code", [None] * args.samples, ask)
    from notify.models import Message

    codes = []
    for client, url, mobile in pending:
        body = (
            Message.objects.filter(recipient=mobile, template_code="portal.otp")
            .order_by("-pk")
            .values_list("body", flat=True)
            .first()
        )
        codes.append((client, url, re.search(r"\d{6}", body).group(0)))
    entries = iter(codes)

    def enter(_item) -> bool:
        client, url, code = next(entries)
        return client.post(url, {"code": code}).status_code == 302

    enter_m = measure("sign-in: enter the code", [None] * (len(codes) - 5), enter)
    others = iter(people[len(pending) :])

    def orm_only(_item) -> bool:
        b = Beneficiary.objects.filter(id_number=next(others).id_number).first()
        row = OneTimeCode.objects.create(
            purpose=Purpose.LOGIN,
            lookup_key=otp.lookup_key(Purpose.LOGIN, b.id_number),
            beneficiary=b,
            code_hash="0" * 64,
            expires_at=timezone.now() + otp.limits().ttl,
        )
        row = OneTimeCode.objects.get(pk=row.pk)
        OneTimeCode.objects.filter(pk=row.pk).update(verified_at=timezone.now())
        return True

    login_base = measure("baseline: the same rows at the ORM", [None] * args.samples, orm_only)
    probe = sign_in_client(people[-1], "10.0.0.1")
    rows += [(ask_m, 0, login_base), (enter_m, 0, login_base), (login_base, 0, None)]

    # 2. My requests ---------------------------------------------------------------------------
    owners = list(
        SupportRequest.objects.values("beneficiary")
        .annotate(n=Count("pk"))
        .order_by("-n", "beneficiary")
        .values_list("beneficiary", "n")[:2000]
    )
    chosen = rng.sample(owners, min(len(owners), 20))
    most = max(n for _pk, n in chosen)
    clients = {
        pk: sign_in_client(Beneficiary.objects.get(pk=pk), f"10.1.{i // 250}.{i % 250}")
        for i, (pk, _n) in enumerate(chosen)
    }
    Consent.objects.bulk_create(
        [Consent(beneficiary_id=pk, notice=notice, channel=website) for pk in clients],
        ignore_conflicts=True,
    )
    samples = [rng.choice(chosen)[0] for _ in range(args.samples)]
    list_url = reverse("portal:requests")
    list_queries = {pk: count_queries(lambda c=c: c.get(list_url)) for pk, c in clients.items()}

    def my_list(pk) -> bool:
        response = clients[pk].get(list_url)
        if response.status_code != 200:
            raise SystemExit(f"{list_url} answered {response.status_code}")
        return True

    def list_rows(pk) -> bool:
        return bool(list(selectors.applicant_requests(Beneficiary(pk=pk))))

    list_m = measure(f"my requests (1–{most} requests)", samples, my_list)
    list_base = measure("baseline: the selector's rows, no template", samples, list_rows)
    spread = sorted(set(list_queries.values()))
    rows += [(list_m, spread[-1], list_base), (list_base, 0, None)]

    # 3. A request's page ----------------------------------------------------------------------
    requests = list(
        SupportRequest.objects.filter(beneficiary_id__in=list(clients)).values_list(
            "beneficiary_id", "public_id"
        )
    )
    page_samples = [rng.choice(requests) for _ in range(args.samples)]
    officer = Client()
    officer.force_login(cast.officer)

    def portal_page(item) -> bool:
        pk, public_id = item
        response = clients[pk].get(reverse("portal:request", args=[public_id]))
        if response.status_code != 200:
            raise SystemExit(f"portal request page answered {response.status_code}")
        return True

    def staff_page(item) -> bool:
        response = officer.get(reverse("assistance:detail", args=[item[1]]))
        return response.status_code == 200

    page_queries = max(count_queries(lambda i=i: portal_page(i)) for i in page_samples[:20])
    page_m = measure("a request's page (every state)", page_samples, portal_page)
    page_base = measure("baseline: the staff page of the same request", page_samples, staff_page)
    rows += [(page_m, page_queries, page_base), (page_base, 0, None)]

    print()
    print(f"{'figure':<48} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'× base':>7}  target")
    for m, queries, base in rows:
        ratio = f"{m.p95 / base.p95:.2f}" if base else ""
        if base is None:
            verdict = "(baseline)"
        else:
            verdict = "PASS" if m.p95 <= TARGET_PAGE_MS else "FAIL"
            verdict = f"≤{TARGET_PAGE_MS:.0f} ms p95 {verdict}"
        q = str(queries) if queries else ""
        print(f"{m.label:<48} {m.p50:>8.1f} {m.p95:>8.1f} {q:>8} {ratio:>7}  {verdict}")

    # 4. Page weight -----------------------------------------------------------------------------
    anonymous = Client()
    b_pk, public_id = page_samples[0]
    signed = clients[b_pk]
    pages = {
        "public home": (anonymous, reverse("portal:index")),
        "services": (anonymous, reverse("portal:services")),
        "questions and answers": (anonymous, reverse("portal:kb")),
        "policies": (anonymous, reverse("portal:policies")),
        "reach us": (anonymous, reverse("portal:channels")),
        "write to us": (anonymous, reverse("portal:contact")),
        "request status": (anonymous, reverse("portal:status")),
        "sign in": (anonymous, reverse("portal:login")),
        "my page": (signed, reverse("portal:home")),
        "my requests": (signed, reverse("portal:requests")),
        "a request": (signed, reverse("portal:request", args=[public_id])),
        "apply": (signed, reverse("portal:apply")),
        "questions and complaints": (signed, reverse("portal:tickets")),
        "new question or complaint": (signed, reverse("portal:ticket_new")),
        "documents": (signed, reverse("portal:documents")),
        "notifications": (signed, reverse("portal:notifications")),
        "profile": (signed, reverse("portal:profile")),
        "my data": (signed, reverse("portal:my_data")),
    }
    print()
    print(
        f"{'page':<28} {'status':>6} {'HTML KB':>8} {'gzip KB':>8} {'assets KB':>10} "
        f"{'total KB':>9}"
    )
    totals = []
    for label, (client, url) in pages.items():
        response = client.get(url, follow=True)
        html = response.content.decode()
        raw, packed, assets = page_weight(html)
        total = (packed + assets) / 1024
        totals.append(total)
        print(
            f"{label:<28} {response.status_code:>6} {raw / 1024:>8.1f} {packed / 1024:>8.1f} "
            f"{assets / 1024:>10.1f} {total:>9.1f}"
        )
    median = statistics.median(totals)
    verdict = "PASS" if median <= TARGET_WEIGHT_KB else "FAIL"
    print(
        f"median page weight {median:.1f} KB (largest {max(totals):.1f} KB), "
        f"target ≤{TARGET_WEIGHT_KB:.0f} KB: {verdict}"
    )
    del probe


if __name__ == "__main__":
    main()
