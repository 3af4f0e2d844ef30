"""What every benchmark under bench/ shares: a database of its own, Django set up against it,
and timing with percentiles (DESIGN.md §6).

Each benchmark works on its own database, never the app's: with DATABASE_URL set (PostgreSQL)
it drops and recreates a database of its own name on the same server; otherwise it uses an
SQLite file under var/bench/.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SQLITE_DIR = ROOT / "var" / "bench"


# --- A database of our own --------------------------------------------------------------------


def is_postgresql(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def pg_url(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{dbname}", parts.query, ""))


def pg_count(url: str, table: str) -> int | None:
    """Rows of `table` in an existing bench database, None if it or the table is missing."""
    import psycopg
    from psycopg import sql

    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            return conn.execute(query).fetchone()[0]
    except psycopg.Error:
        return None


def prepare_postgresql(
    app_url: str, dbname: str, *, table: str, size: int, reuse: bool
) -> tuple[str, bool]:
    """Return the bench database URL and whether it already holds `size` rows of `table`."""
    import psycopg
    from psycopg import sql

    bench_url = pg_url(app_url, dbname)
    if reuse and pg_count(bench_url, table) == size:
        return bench_url, True
    # The app's own database may not exist yet; the `postgres` database always does.
    admin = None
    for admin_db in ("postgres", urlsplit(app_url).path.lstrip("/") or "postgres"):
        try:
            admin = psycopg.connect(pg_url(app_url, admin_db), autocommit=True, connect_timeout=5)
            break
        except psycopg.OperationalError:
            continue
    if admin is None:
        sys.exit("Cannot connect to the PostgreSQL server of DATABASE_URL.")
    with admin:
        name = sql.Identifier(dbname)
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        # C.UTF-8, not C: pg_trgm makes no trigrams of Arabic letters under ctype C.
        admin.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            ).format(name)
        )
    return bench_url, False


def prepare_sqlite(path: Path, *, table: str, size: int, reuse: bool) -> tuple[str, bool]:
    """Return the SQLite URL and whether the file already holds `size` rows of `table`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if reuse and path.exists():
        try:
            with sqlite3.connect(path) as conn:
                (count,) = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            if count == size:
                return f"sqlite:///{path}", True
        except sqlite3.Error:
            pass
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}", False


def setup_django(database_url: str, env: dict[str, str] | None = None) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "1"
    os.environ["MUSTAFID_VAR_DIR"] = str(SQLITE_DIR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mustafid.settings"
    os.environ.update(env or {})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # DEBUG=1 only spares us a SECRET_KEY; production runs without the debug cursor, which
    # formats and keeps every statement and would otherwise be timed along with the query.
    settings.DEBUG = False


def fill_defaults() -> None:
    """Make `beneficiaries.demo.raw_insert`, which the builders under bench/ call, write what the
    ORM would.

    A builder names its columns; one added to a model after the builder was written (notify's
    `erase_after_sending`) would otherwise fail its NOT NULL constraint, so every column a caller
    does not name gets the model's default. A foreign key to a UUID primary key is converted like
    the key itself (SQLite stores it as hex), which `raw_insert` alone leaves as is.

    Call it after `setup_django`; calling it again is harmless (it always wraps the original).
    """
    from django.db import connection

    from beneficiaries import demo

    original = getattr(demo.raw_insert, "__wrapped__", demo.raw_insert)

    def raw_insert(model, field_names, rows):
        named = set(field_names)
        missing = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key
            and not f.null
            and f.name not in named
            and f.attname not in named
            and (f.has_default() or (f.blank and f.empty_strings_allowed))
        ]
        if missing and rows:
            field_names = (*field_names, *(f.name for f in missing))
            # A callable default (uuid4, now) is drawn for each row, as the ORM does: one value
            # shared by every row would break a unique column.
            if any(callable(f.default) for f in missing):
                rows = [(*row, *(f.get_default() for f in missing)) for row in rows]
            else:
                extra = tuple(f.get_default() for f in missing)
                rows = [(*row, *extra) for row in rows]
        fields = [model._meta.get_field(name) for name in field_names]
        uuid_keys = [
            (i, f.target_field)
            for i, f in enumerate(fields)
            if f.is_relation and f.target_field.get_internal_type() == "UUIDField"
        ]
        if uuid_keys and rows:
            rows = [list(row) for row in rows]
            for row in rows:
                for i, target in uuid_keys:
                    row[i] = target.get_db_prep_save(row[i], connection)
            rows = [tuple(row) for row in rows]
        return original(model, field_names, rows)

    raw_insert.__wrapped__ = original
    demo.raw_insert = raw_insert


def database_version(connection) -> str:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    return f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"


# --- Timing -----------------------------------------------------------------------------------


@dataclass
class Measure:
    label: str
    seconds: list[float]
    found: int

    def percentile(self, q: float) -> float:
        ordered = sorted(self.seconds)
        index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
        return ordered[index] * 1000

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def p95(self) -> float:
        return self.percentile(0.95)


def measure(label: str, inputs: list[Any], run: Callable[[Any], bool], warmup: int = 5) -> Measure:
    for item in inputs[:warmup]:
        run(item)
    seconds, found = [], 0
    for item in inputs:
        started = time.perf_counter()
        hit = run(item)
        seconds.append(time.perf_counter() - started)
        found += bool(hit)
    return Measure(label, seconds, found)
