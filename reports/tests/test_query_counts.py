"""A fixed, small number of queries per page, whatever the volume (DESIGN.md §6)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.compliance import compliance_report
from reports.selectors import Filters, dashboard
from tests_support.reports import at

pytestmark = pytest.mark.django_db


def count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_dashboard_selector_runs_twelve_queries(manager, report_data, django_assert_num_queries):
    with django_assert_num_queries(12):
        dashboard(manager, Filters.hijri(1446))


def test_query_count_does_not_grow_with_the_data(manager, report_data):
    from contact.models import Interaction

    before = count(lambda: dashboard(manager, Filters.hijri(1446)))
    report = count(lambda: compliance_report(manager, Filters.hijri(1446)))
    for _ in range(20):
        Interaction.objects.create(
            channel=report_data.channels["letter"],
            branch=report_data.head,
            person_name="x",
            subject="s",
            summary="s",
            occurred_at=at("2024-08-08"),
            recorded_by=manager,
        )
    assert count(lambda: dashboard(manager, Filters.hijri(1446))) == before
    assert count(lambda: compliance_report(manager, Filters.hijri(1446))) == report


def test_compliance_selector_is_bounded(manager, report_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(22):
        compliance_report(manager, Filters.hijri(1446))


def test_dashboard_page_is_bounded(client, manager, report_data, django_assert_max_num_queries):
    client.force_login(manager)
    client.get(reverse("reports:dashboard"), {"year": "1446"})
    with django_assert_max_num_queries(22):
        client.get(reverse("reports:dashboard"), {"year": "1446", "channel": "phone"})


def test_compliance_page_is_bounded(client, manager, report_data, django_assert_max_num_queries):
    client.force_login(manager)
    client.get(reverse("reports:compliance"), {"year": "1446"})
    with django_assert_max_num_queries(29):
        client.get(reverse("reports:compliance"), {"year": "1446"})


def test_a_list_page_is_bounded(client, manager, report_data, django_assert_max_num_queries):
    client.force_login(manager)
    client.get(reverse("reports:tickets"), {"year": "1446"})
    with django_assert_max_num_queries(12):
        client.get(reverse("reports:tickets"), {"year": "1446"})
