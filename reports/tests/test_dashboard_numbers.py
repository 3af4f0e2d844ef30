"""Every figure of the dashboard against the hand-counted fixture (tests_support/reports.py)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from reports.selectors import Filters, dashboard

pytestmark = pytest.mark.django_db

YEAR = 1446


def rows(breakdown):
    return {r.key: r.value for r in breakdown}


@pytest.fixture
def dash(manager, report_data):
    with translation.override("en"):
        return dashboard(manager, Filters.hijri(YEAR))


def test_hijri_year_is_its_gregorian_range():
    f = Filters.hijri(YEAR)
    assert (f.start.isoformat(), f.end.isoformat()) == ("2024-07-07", "2025-06-25")
    month = Filters.hijri(YEAR, 2)
    assert month.start.isoformat() == "2024-08-05"
    assert month.end.isoformat() == "2024-09-03"


def test_requests_by_stage(dash):
    assert dash.requests_total == 6
    assert rows(dash.by_stage) == {
        "approved": 2,
        "rejected": 1,
        "enrolled": 1,
        "in_research": 1,
        "in_committee": 1,
    }
    # In the order of the state machine.
    assert [r.key for r in dash.by_stage] == [
        "in_research",
        "in_committee",
        "approved",
        "rejected",
        "enrolled",
    ]


def test_requests_by_channel_lists_all_eight(dash):
    assert rows(dash.by_channel) == {
        "interview": 2,
        "phone": 3,
        "social_media": 0,
        "letter": 0,
        "help_request": 0,
        "volunteer": 0,
        "website": 1,
        "branch_representative": 0,
    }


def test_requests_by_branch(dash):
    assert rows(dash.by_branch) == {"jeddah": 4, "head-office": 2}
    assert dash.by_branch[0].key == "jeddah"


def test_requests_by_category_count_each_category_of_the_applicant(dash):
    assert rows(dash.by_category) == {"orphans": 4, "widows": 2, "families_in_need": 2}


def test_decisions_against_the_promised_date(dash):
    d = dash.decisions
    assert (d.decided, d.approved, d.rejected) == (4, 2, 2)
    assert (d.on_time, d.late, d.overdue, d.waiting) == (3, 1, 1, 1)
    assert d.due == 5
    assert d.on_time_share == 60.0
    assert d.acceptance_rate == 50.0
    assert d.avg_days == 12.0


def test_tickets(dash):
    t = dash.tickets
    assert t.total == 5
    assert t.by_kind == {"inquiry": 1, "complaint": 3, "suggestion": 1, "praise": 0}
    assert (t.with_owner, t.owner_share) == (3, 60.0)
    assert (t.responded, t.responded_on_time, t.response_measured) == (4, 3, 5)
    assert t.response_on_time_share == 60.0
    assert t.avg_response_hours == 13.5
    assert (t.resolved, t.resolved_on_time, t.resolution_measured) == (3, 2, 5)
    assert t.resolution_on_time_share == 40.0
    assert t.avg_resolution_hours == 160.0
    assert t.suggestions_with_outcome == 1


def test_complaints_by_category(dash):
    assert [(r.key, r.value) for r in dash.complaints_by_category] == [
        ("complaint_delay", 2),
        ("complaint_service", 1),
    ]
    assert dash.complaints_by_category[0].label == "Delay in service or answer"


def test_contacts_per_channel(dash):
    assert dash.contacts_total == 6
    assert rows(dash.contacts_by_channel) == {
        "interview": 2,
        "phone": 3,
        "social_media": 0,
        "letter": 0,
        "help_request": 0,
        "volunteer": 0,
        "website": 1,
        "branch_representative": 0,
    }


def test_satisfaction_trend_hides_small_months(dash):
    s = dash.satisfaction
    assert s.min_group == 5
    assert len(s.points) == 12
    by_month = {p.month: p for p in s.points}
    assert (by_month[2].answers, by_month[2].csat, by_month[2].nps) == (5, 4.0, 0.0)
    # Three answers: under the minimum group, not shown.
    assert (by_month[3].answers, by_month[3].csat, by_month[3].nps) == (3, None, None)
    assert (by_month[4].answers, by_month[4].csat, by_month[4].nps) == (6, 4.0, 33.3)
    assert (by_month[1].answers, by_month[1].csat) == (0, None)
    assert by_month[2].label == "Safar 1446"
    assert s.answers == 14
    assert s.csat == 4.21  # 59 / 14
    assert s.nps == 35.7  # (8 promoters − 3 detractors) / 14
    assert (s.invitations_sent, s.invitations_answered, s.response_rate) == (10, 4, 40.0)


def test_nothing_outside_the_period(manager, report_data):
    d = dashboard(manager, Filters.hijri(1447))
    assert d.requests_total == 1
    assert d.tickets.total == 1
    assert d.contacts_total == 1
    assert d.satisfaction.answers == 1
    assert d.satisfaction.csat is None  # one answer: hidden


def test_only_report_readers(officer, report_data):
    with pytest.raises(PermissionDenied):
        dashboard(officer, Filters.hijri(YEAR))
