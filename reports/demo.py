"""Demo data for the dashboards: none of its own, but a recount of the daily figures once the
other apps' demo data is in, so the first page shows it rather than waiting for the worker."""

from __future__ import annotations

import random

from reports.recount import recount


def seed_demo(*, rng: random.Random, actor) -> str:
    counted = recount()
    return f"Reports: daily figures recounted in {counted.seconds:.1f} s."
