"""The demo recounts the figures after the other apps' demo data, so the first page shows it."""

import random

import pytest

from reports.demo import seed_demo
from reports.models import Recount
from reports.selectors import Filters, dashboard

pytestmark = pytest.mark.django_db


def test_the_demo_recounts_the_figures(manager, report_data):
    Recount.objects.all().delete()
    summary = seed_demo(rng=random.Random(1447), actor=manager)
    assert summary.startswith("Reports: daily figures recounted")
    assert Recount.objects.get().counted_at is not None
    assert dashboard(manager, Filters.hijri(1446)).requests_total == 6
