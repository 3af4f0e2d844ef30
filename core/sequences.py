"""Reference numbers that restart each Hijri year (REQ-1448-000001, TKT-…, IN-…, OUT-…)."""

from __future__ import annotations

from datetime import date

from django.db import models

from core.hijri import to_hijri


def next_in_hijri_year(sequence: type[models.Model], on: date, **keys) -> tuple[int, int]:
    """Advance the counter row of `sequence` (fields `hijri_year`, `last`, plus `keys`) for the
    Hijri year of `on`, and return (year, number).

    Call inside the caller's transaction: the row stays locked until it commits, so two desks
    numbering at once queue here and numbers never repeat, and a rolled-back write uses none.
    Dates outside the Umm al-Qura table fall back to the Gregorian year.
    """
    hijri = to_hijri(on)
    year = hijri.year if hijri else on.year
    sequence.objects.get_or_create(hijri_year=year, **keys)
    row = sequence.objects.select_for_update().get(hijri_year=year, **keys)
    row.last += 1
    row.save(update_fields=["last"])
    return year, row.last
