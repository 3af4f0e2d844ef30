"""The daily figures: a recount replaces them whole, the pages read the last one, and who may
count what is the same as who may open the rows (the live querysets and drill-down lists are
the definitions the figures are checked against)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assistance.models import SupportRequest
from contact.models import Ticket
from reports.models import Recount, RequestFigures
from reports.recount import FIGURE_TABLES, recount
from reports.selectors import (
    REQUEST_DECISIONS,
    TICKET_SLA,
    Filters,
    dashboard,
    interactions_in_period,
    request_drilldown,
    requests_in_period,
    ticket_drilldown,
    tickets_in_period,
)
from reports.tasks import recount_figures
from tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db

YEAR = 1446


def table_sizes():
    return {model.__name__: model.objects.count() for model in FIGURE_TABLES}


def test_a_recount_replaces_the_figures_rather_than_adding_to_them(manager, report_data):
    first = dashboard(manager, Filters.hijri(YEAR))
    sizes = table_sizes()
    assert sizes["RequestFigures"] > 0
    recount()
    assert table_sizes() == sizes
    again = dashboard(manager, Filters.hijri(YEAR))
    assert again.requests_total == first.requests_total == 6
    assert again.tickets == first.tickets
    assert again.satisfaction == first.satisfaction


def test_a_change_shows_at_the_next_recount(manager, report_data):
    before = dashboard(manager, Filters.hijri(YEAR))
    stages = {r.key: r.value for r in before.by_stage}
    SupportRequest.objects.filter(pk=report_data.r1.pk).update(status="closed")
    # Until the worker recounts, the page shows the figures as of the last recount.
    assert dashboard(manager, Filters.hijri(YEAR)).by_stage == before.by_stage
    later = timezone.now() + timedelta(minutes=5)
    recount(now=later)
    after = dashboard(manager, Filters.hijri(YEAR))
    moved = {r.key: r.value for r in after.by_stage}
    assert moved.get("closed") == 1
    assert sum(moved.values()) == sum(stages.values())
    assert after.counted_at == later


def test_the_periodic_task_recounts(manager, report_data):
    Recount.objects.all().delete()
    RequestFigures.objects.all().delete()
    seconds = recount_figures.call_local()
    assert seconds >= 0
    assert Recount.objects.get().counted_at is not None
    assert dashboard(manager, Filters.hijri(YEAR)).requests_total == 6


def test_the_first_page_counts_when_nothing_was_counted_yet(client, manager, report_data):
    Recount.objects.all().delete()
    for model in FIGURE_TABLES:
        model.objects.all().delete()
    client.force_login(manager)
    response = client.get(reverse("reports:dashboard"), {"year": YEAR})
    assert response.status_code == 200
    assert response.context["d"].requests_total == 6
    page = response.content.decode()
    assert "الأرقام كما في" in page
    assert "يُعاد عدّها كل خمس دقائق" in page


def test_the_compliance_report_says_when_its_figures_were_counted(client, manager, report_data):
    client.force_login(manager)
    response = client.get(reverse("reports:compliance"), {"year": YEAR})
    assert response.context["report"].counted_at == Recount.objects.get().counted_at
    assert "الأرقام كما في" in response.content.decode()


@pytest.fixture
def readers(manager, admin_user, branch_manager):
    quality = UserFactory(username="quality", role=Role.QUALITY_OFFICER)
    return {"manager": manager, "quality": quality, "admin": admin_user, "branch": branch_manager}


@pytest.mark.parametrize("who", ["manager", "quality", "admin", "branch"])
@pytest.mark.parametrize("narrow", ["", "branch", "channel", "category", "month"])
def test_every_figure_equals_the_rows_its_reader_may_open(readers, report_data, who, narrow):
    """Against the live scoped querysets and drill-down lists, for each role that reads
    reports and each filter — with a complaint about the manager, which the manager may not
    count, and one about staff, which only the staff-complaint readers may."""
    Ticket.objects.filter(pk=report_data.t2.pk).update(
        about_staff=True, staff_member=readers["manager"]
    )
    Ticket.objects.filter(pk=report_data.t1.pk).update(about_staff=True)
    recount()
    user = readers[who]
    f = {
        "": Filters.hijri(YEAR),
        "branch": Filters.hijri(YEAR, branch=report_data.head),
        "channel": Filters.hijri(YEAR, channel=report_data.channels["phone"]),
        "category": Filters.hijri(YEAR, category=report_data.categories["orphans"]),
        "month": Filters.hijri(YEAR, 2),
    }[narrow]
    d = dashboard(user, f)
    assert d.requests_total == requests_in_period(user, f).count()
    assert sum(r.value for r in d.by_channel) == d.requests_total
    decisions = {key: request_drilldown(user, f, decision=key).count() for key in REQUEST_DECISIONS}
    assert decisions == {key: getattr(d.decisions, key) for key in REQUEST_DECISIONS}
    tickets = tickets_in_period(user, f)
    assert d.tickets.total == tickets.count()
    assert d.tickets.by_kind == {
        kind: tickets.filter(kind=kind).count() for kind in d.tickets.by_kind
    }
    assert sum(r.value for r in d.complaints_by_category) == d.tickets.by_kind["complaint"]
    sla = {key: ticket_drilldown(user, f, sla=key).count() for key in TICKET_SLA}
    assert sla["response_on_time"] == d.tickets.responded_on_time
    assert sla["response_on_time"] + sla["response_late"] == d.tickets.response_measured
    assert sla["resolution_on_time"] == d.tickets.resolved_on_time
    assert sla["resolution_on_time"] + sla["resolution_late"] == d.tickets.resolution_measured
    assert d.contacts_total == interactions_in_period(user, f).count()


def test_the_manager_does_not_count_a_complaint_about_themselves(readers, report_data):
    Ticket.objects.filter(pk=report_data.t2.pk).update(
        about_staff=True, staff_member=readers["manager"]
    )
    recount()
    f = Filters.hijri(YEAR)
    assert (
        dashboard(readers["manager"], f).tickets.total
        == dashboard(readers["quality"], f).tickets.total - 1
    )
