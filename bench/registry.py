"""Benchmark of registry search and the duplicate check on a large, realistic registry.

    .venv/bin/python bench/registry.py [--size 200000] [--queries 200] [--reuse] [--explain]

It always works on a database of its own, never the app's: with DATABASE_URL set (PostgreSQL)
it drops and recreates `mustafid_bench` on the same server; otherwise it uses the SQLite file
var/bench/registry.sqlite3. It seeds it with `seed_demo`, then times, over random samples of the
data, what staff do most: search by a name fragment typed in another spelling, by a phone typed
in national format, by identity number, and the duplicate check run while registering someone.
The baseline is the naive query a list view would run without the name index. It reports; it is
not a test, so it exits 0 whatever the figures (DESIGN.md §6).
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from typing import Any

import common
from common import ROOT, database_version, measure, setup_django

BENCH_DB_NAME = "mustafid_bench"
SQLITE_PATH = common.SQLITE_DIR / "registry.sqlite3"
TARGET_P95_MS = 50.0
PAGE_SIZE = 25


# --- A database of our own --------------------------------------------------------------------


def prepare_postgresql(app_url: str, size: int, reuse: bool) -> tuple[str, bool]:
    """Return the bench database URL and whether it already holds `size` beneficiaries."""
    return common.prepare_postgresql(
        app_url, BENCH_DB_NAME, table="beneficiaries_beneficiary", size=size, reuse=reuse
    )


def prepare_sqlite(size: int, reuse: bool) -> tuple[str, bool]:
    return common.prepare_sqlite(
        SQLITE_PATH, table="beneficiaries_beneficiary", size=size, reuse=reuse
    )


# --- Samples ----------------------------------------------------------------------------------

# Spelling variants staff really type: hamza forms, taa marbuta, alef maqsura (both ways, as
# «على» / «علي» are confused in both directions), a spaced «عبد», and tatweel or a diacritic
# pasted from a document.
_LETTER_VARIANTS: tuple[tuple[str, str], ...] = (
    ("ة", "ه"),
    ("ى", "ي"),
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
)


def spelling_variant(rng: random.Random, word: str) -> tuple[str, bool]:
    """`word` as someone might type it differently; (word, False) if nothing applies."""
    options: list[Callable[[str], str]] = [
        (lambda w, a=a, b=b: w.replace(a, b)) for a, b in _LETTER_VARIANTS if a in word
    ]
    if word[0] == "ا":  # only an initial alef takes a hamza
        options.append(lambda w: "أ" + w[1:])
    if word.endswith("ي"):
        options.append(lambda w: w[:-1] + "ى")
    if word.startswith("عبد") and len(word) > 4:
        options.append(lambda w: "عبد " + w[3:])
    if not options and len(word) > 3:
        options.append(lambda w: w[:2] + rng.choice("\u0640\u064e\u064f") + w[2:])
    if not options:
        return word, False
    return rng.choice(options)(word), True


def name_fragment(rng: random.Random, beneficiary) -> tuple[str, bool]:
    """A 3+ letter prefix of one name part, typed in another spelling where one exists.

    Returns the fragment and whether it differs from the stored spelling.
    """
    part = rng.choice(
        [
            beneficiary.first_name,
            beneficiary.father_name,
            beneficiary.grandfather_name,
            beneficiary.family_name,
        ]
    )
    words = part.split()
    if words[0] == "آل" and len(words) > 1:  # «آل الشيخ»: people type the name, not «آل»
        words = words[1:]
    word = "".join(words)  # «عبد الله» is typed as one word as often as two
    return spelling_variant(rng, word[: rng.randint(3, max(3, len(word)))])


def full_name_query(rng: random.Random, beneficiary) -> tuple[str, bool]:
    """The four parts as typed at the desk: one of them in another spelling."""
    parts = [
        beneficiary.first_name,
        beneficiary.father_name,
        beneficiary.grandfather_name,
        beneficiary.family_name,
    ]
    index = rng.randrange(4)
    parts[index], changed = spelling_variant(rng, parts[index])
    return " ".join(parts), changed


def explain(label: str, call: Callable[[], Any]) -> None:
    """Print each SQL statement of one call with its time and the database's plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    print(f"\n--- {label}: {len(ctx.captured_queries)} queries")
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    for query in ctx.captured_queries:
        print(f"[{float(query['time']) * 1000:.1f} ms] {query['sql'][:600]}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + query["sql"])
            for row in cursor.fetchall():
                print("    ", " | ".join(str(c) for c in row))


# --- Main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=200_000, help="beneficiaries (200000)")
    parser.add_argument("--queries", type=int, default=200, help="samples per operation (200)")
    parser.add_argument("--seed", type=int, default=1447)
    parser.add_argument("--reuse", action="store_true", help="keep a bench DB of the same size")
    parser.add_argument("--explain", action="store_true", help="print plans of slow samples")
    args = parser.parse_args()
    os.chdir(ROOT)

    app_url = os.environ.get("DATABASE_URL", "")
    if common.is_postgresql(app_url):
        database_url, reused = prepare_postgresql(app_url, args.size, args.reuse)
    else:
        database_url, reused = prepare_sqlite(args.size, args.reuse)
    setup_django(database_url)

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    from accounts.models import Role, User
    from beneficiaries import selectors
    from beneficiaries.models import (
        Beneficiary,
        HouseholdMember,
        IncomeSource,
        NameToken,
        Obligation,
    )

    call_command("migrate", verbosity=0)
    if reused:
        print(f"Reusing the bench database with {args.size:,} beneficiaries.")
    else:
        started = time.perf_counter()
        call_command("seed_demo", beneficiaries=args.size, seed=args.seed, no_users=True)
        print(f"Seeded in {time.perf_counter() - started:.1f} s.")
        # Fresh statistics, as autovacuum would have on PostgreSQL and as the planner needs.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    user, _ = User.objects.get_or_create(
        username="bench-officer", defaults={"role": Role.RELATIONS_OFFICER, "full_name": "bench"}
    )

    rng = random.Random(args.seed)
    # Ordered, so both databases draw the same people for the same seed.
    pks = list(Beneficiary.objects.order_by("pk").values_list("pk", flat=True))
    sample_pks = rng.sample(pks, min(args.queries, len(pks)))
    sample = list(Beneficiary.objects.filter(pk__in=sample_pks).order_by("pk"))
    rng.shuffle(sample)
    fragments = [(b, *name_fragment(rng, b)) for b in sample]
    full_names = [(b, *full_name_query(rng, b)) for b in sample]

    def list_page(ranked: list[int]) -> list:
        # What the list view does with a ranked search: the first page of full rows.
        page = ranked[:PAGE_SIZE]
        rows = {
            b.pk: b
            for b in Beneficiary.objects.filter(pk__in=page)
            .select_related("branch", "city")
            .prefetch_related("categories")
        }
        return [rows[pk] for pk in page if pk in rows]

    def search(query: str, target) -> bool:
        ranked = selectors.beneficiary_search(user, query)
        list_page(ranked)
        return target.pk in ranked

    def naive(item) -> bool:
        target, fragment, _variant = item
        q = (
            Q(first_name__icontains=fragment)
            | Q(father_name__icontains=fragment)
            | Q(grandfather_name__icontains=fragment)
            | Q(family_name__icontains=fragment)
        )
        return target.pk in {b.pk for b in Beneficiary.objects.filter(q)[:PAGE_SIZE]}

    def duplicates(b) -> bool:
        found = selectors.duplicate_candidates(
            user,
            first_name=b.first_name,
            father_name=b.father_name,
            grandfather_name=b.grandfather_name,
            family_name=b.family_name,
            birth_date=b.birth_date,
        )
        return any(c.beneficiary.pk == b.pk for c in found)

    def national_mobile(b) -> str:
        return "0" + b.mobile.removeprefix("+966")

    measures = [
        measure("name fragment, variant spelling", fragments, lambda i: search(i[1], i[0])),
        measure("full name, variant spelling", full_names, lambda i: search(i[1], i[0])),
        measure("phone, 05… national format", sample, lambda b: search(national_mobile(b), b)),
        measure("identity number", sample, lambda b: search(b.id_number, b)),
        measure("duplicate check (name + birth)", sample, duplicates),
    ]
    baseline = measure("baseline: naive icontains [:25]", fragments, naive)

    vendor = connection.vendor
    version = database_version(connection)
    variants = sum(1 for _b, _f, variant in fragments if variant)
    full_variants = sum(1 for _b, _f, variant in full_names if variant)
    print()
    print(f"Database: {vendor} {version}  ({database_url.split('@')[-1]})")
    print(
        "Rows: "
        f"{Beneficiary.objects.count():,} beneficiaries, "
        f"{NameToken.objects.count():,} name tokens, "
        f"{HouseholdMember.objects.count():,} household members, "
        f"{IncomeSource.objects.count():,} incomes, {Obligation.objects.count():,} obligations"
    )
    print(
        f"Spelling differs from the stored one in {variants} of {len(fragments)} fragments and "
        f"{full_variants} of {len(full_names)} full names; each search also loads the first "
        f"page of {PAGE_SIZE} rows."
    )
    print(f"Target p95 ≤ {TARGET_P95_MS:.0f} ms.\n")
    header = (
        f"{'operation':<34} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'p95/base':>9} "
        f"{'found':>7}  target"
    )
    print(header)
    print("-" * len(header))
    for m in [*measures, baseline]:
        ratio = m.p95 / baseline.p95 if baseline.p95 else float("nan")
        verdict = "PASS" if m.p95 <= TARGET_P95_MS else "FAIL"
        if m is baseline:
            verdict = "(baseline)"
        found = f"{100 * m.found / len(m.seconds):.0f}%"
        print(
            f"{m.label:<34} {len(m.seconds):>4} {m.p50:>8.1f} {m.p95:>8.1f} {ratio:>9.2f} "
            f"{found:>7}  {verdict}"
        )
    print(
        "\n'found': the sampled person is among the results (search: the ranked candidate list; "
        f"baseline: its first {PAGE_SIZE} rows; duplicate check: among the candidates)."
    )

    if args.explain:
        slowest = max(zip(measures[0].seconds, fragments, strict=True), key=lambda x: x[0])[1]
        explain(f"slowest name search {slowest[1]!r}", lambda: search(slowest[1], slowest[0]))
        explain("full-name search", lambda: search(full_names[0][1], full_names[0][0]))
        explain("phone search", lambda: search(national_mobile(sample[0]), sample[0]))
        explain("identity search", lambda: search(sample[0].id_number, sample[0]))
        explain("duplicate check", lambda: duplicates(sample[0]))
        explain("baseline", lambda: naive(slowest))


if __name__ == "__main__":
    main()
