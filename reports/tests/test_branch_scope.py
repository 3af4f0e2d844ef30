"""A branch-bound manager sees their branch's figures, whatever they ask."""

import pytest
from django.urls import reverse

from reports.selectors import Filters, dashboard

pytestmark = pytest.mark.django_db


def test_branch_manager_sees_only_their_branch(branch_manager, report_data):
    d = dashboard(branch_manager, Filters.hijri(1446))
    assert d.filters.branch == report_data.branch
    assert d.requests_total == 4  # R2, R3, R5, R6
    assert {r.key: r.value for r in d.by_branch} == {"jeddah": 4}
    dec = d.decisions
    assert (dec.decided, dec.on_time, dec.late, dec.overdue, dec.waiting) == (3, 2, 1, 0, 1)
    assert dec.on_time_share == 66.7
    assert d.tickets.total == 3  # T2, T3, T5
    assert d.contacts_total == 2
    assert d.satisfaction.answers == 9


def test_asking_for_another_branch_changes_nothing(branch_manager, report_data):
    asked = dashboard(branch_manager, Filters.hijri(1446, branch=report_data.head))
    assert asked.filters.branch == report_data.branch
    assert asked.requests_total == 4


def test_branch_field_is_not_offered_and_is_ignored(client, branch_manager, report_data):
    client.force_login(branch_manager)
    response = client.get(reverse("reports:dashboard"), {"year": "1446", "branch": "head-office"})
    assert "branch" not in response.context["form"].fields
    assert response.context["d"].requests_total == 4


def test_branch_manager_lists_only_their_branch(client, branch_manager, report_data):
    client.force_login(branch_manager)
    response = client.get(reverse("reports:requests"), {"year": "1446", "branch": "head-office"})
    assert response.context["total"] == 4
    assert report_data.r1.reference not in response.content.decode()


def test_unbound_manager_filters_by_branch(manager, report_data):
    d = dashboard(manager, Filters.hijri(1446, branch=report_data.head))
    assert d.requests_total == 2
    assert d.tickets.total == 2
    assert d.contacts_total == 4
