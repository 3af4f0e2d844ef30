"""Small database helpers that differ by vendor, kept in one place."""

from django.db import connection
from django.db.models import Q


def prefix_q(field: str, value: str) -> Q:
    """Rows whose `field` starts with `value`, using an index on both databases.

    PostgreSQL uses the `varchar_pattern_ops` index Django adds to indexed CharFields for
    LIKE 'x%'. SQLite cannot use an index for its case-insensitive LIKE, but can for a range,
    and compares text by code point, so [value, value + U+10FFFF) is exactly the prefix.
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": value, f"{field}__lt": value + "\U0010ffff"})
    return Q(**{f"{field}__startswith": value})
