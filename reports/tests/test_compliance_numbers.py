"""Each clause of the compliance report against the hand-counted fixture."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from knowledge.models import Article, ArticleStatus, Audience, PolicyDocument
from reports.compliance import Mark, compliance_report
from reports.selectors import Filters
from tests_support.reports import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(manager, report_data):
    PolicyDocument.objects.filter(kind="relations_policy").update(
        next_review_date=timezone.localdate() + dt.timedelta(days=30)
    )
    with translation.override("en"):
        return compliance_report(manager, Filters.hijri(1446))


def figures(clause):
    return {f.label: f.value for f in clause.figures}


def test_every_clause_of_the_policy_is_there(report):
    ids = [c.id for c in report.clauses]
    for clause in ("P1", "P2", "P3.5", "P4", "P5", "P6.1", "P6.4", "P6.5", "P7"):
        assert clause in ids
    assert len({c.key for c in report.clauses}) == len(report.clauses)


def test_p1_last_review_and_next_review(report):
    c = report.clause("P1.review")
    values = figures(c)
    assert values["Last review (approval)"] == dt.date(2025, 9, 15)
    assert values["Next review date"] == timezone.localdate() + dt.timedelta(days=30)
    assert values["Approved by"] == "مجلس الإدارة (161)"
    assert c.mark == Mark.MET


def test_p1_review_overdue_needs_attention(manager, report_data):
    PolicyDocument.objects.filter(kind="relations_policy").update(
        next_review_date=timezone.localdate() - dt.timedelta(days=1)
    )
    report = compliance_report(manager, Filters.hijri(1446))
    assert report.clause("P1.review").mark == Mark.ATTENTION


def test_pdpl_deadlines(report):
    c = report.clause("P1.pdpl")
    assert figures(c) == {
        "Requests received": 2,
        "Answered": 1,
        "Answered within the deadline": 50.0,
        "Open past the deadline": 1,
    }
    assert c.mark == Mark.ATTENTION


def test_p2_follow_up(report):
    c = report.clause("P2")
    values = figures(c)
    assert values["Tickets opened"] == 5
    assert values["With an owner"] == 60.0
    assert values["Resolved within the deadline"] == 40.0
    assert c.mark == Mark.ATTENTION


def test_p2_no_outreach_needs_attention(report):
    c = report.clause("P2.outreach")
    assert figures(c) == {
        "Outreach runs": 0,
        "Messages sent": 0,
        "Tasks for staff": 0,
        "Tasks done": 0,
    }
    assert c.mark == Mark.ATTENTION


def test_p2_outreach_runs_and_tasks(manager, report_data):
    from outreach.models import Rule, Run, Task

    rule = Rule.objects.create(
        name="لا تواصل منذ ستة أشهر",
        trigger="no_contact",
        months=6,
        action="task",
        task_text="اتصل بالمستفيد",
    )
    run = Run.objects.create(
        rule=rule,
        run_on=dt.date(2024, 8, 1),
        started_at=at("2024-08-01"),
        status="done",
        audience_size=3,
        limit=500,
        sent=0,
        tasks_created=2,
    )
    for ben, status in ((report_data.b1, "done"), (report_data.b2, "open")):
        Task.objects.create(
            rule=rule,
            run=run,
            beneficiary=ben,
            branch=ben.branch,
            occasion=f"o{ben.pk}",
            text="اتصل",
            due_on=dt.date(2024, 8, 6),
            created_at=at("2024-08-01"),
            status=status,
            done_by=manager if status == "done" else None,
            done_at=at("2024-08-02") if status == "done" else None,
        )
    with translation.override("en"):
        c = compliance_report(manager, Filters.hijri(1446)).clause("P2.outreach")
        jeddah = compliance_report(manager, Filters.hijri(1446, branch=report_data.branch)).clause(
            "P2.outreach"
        )
    assert figures(c) == {
        "Outreach runs": 1,
        "Messages sent": 0,
        "Tasks for staff": 2,
        "Tasks done": 1,
    }
    assert c.mark == Mark.MET
    assert figures(jeddah)["Tasks for staff"] == 1


def test_p3_e_services(report):
    c = report.clause("P3.2")
    values = figures(c)
    assert values["Requests received through the website"] == 16.7  # 1 of 6
    public = Article.objects.filter(status=ArticleStatus.PUBLISHED, audience=Audience.PUBLIC)
    assert values["Published public answers"] == public.count()


def test_p3_5_survey_response_rate_and_satisfaction(report):
    c = report.clause("P3.5")
    assert figures(c) == {
        "Invitations sent": 10,
        "Response rate": 40.0,
        "Answers": 14,
        "Average satisfaction (1–5)": 4.21,
        "Net promoter score": 35.7,
    }
    assert c.mark == Mark.MET


def test_p4_contacts_per_channel(report):
    c = report.clause("P4")
    values = figures(c)
    assert values["Phone call"] == 3
    assert values["In-person interview"] == 2
    assert values["The waqf's website"] == 1
    assert values["Letter"] == 0
    assert values["Channels used in the period"] == 3
    assert c.mark == Mark.MET


def test_p5_tools_missing_from_the_registry(report):
    assert report.clause("P5").mark == Mark.ATTENTION


def test_p6_1_reception_waiting_times(report):
    c = report.clause("P6.1")
    assert figures(c) == {
        "Visits at reception": 3,
        "Served": 2,
        "Average wait (minutes)": 20.0,
        "Average service (minutes)": 15.0,
    }
    assert c.mark == Mark.ATTENTION


def test_p6_2_documents_checked(report):
    c = report.clause("P6.2")
    assert figures(c) == {
        "Required documents on the submitted requests": 1,
        "Verified": 1,
        "Rejected at verification": 0,
    }
    assert c.mark == Mark.INFO


def test_p6_3_referrals(report):
    c = report.clause("P6.3")
    assert figures(c) == {
        "Referrals": 2,
        "Reported": 1,
        "Reported by the due date": 50.0,
        "Past the due date, not reported": 1,
    }


def test_p6_4_share_with_a_signed_attestation(report):
    c = report.clause("P6.4")
    assert figures(c) == {
        "Requests submitted": 6,
        "With a signed declaration": 5,
        "Share signed": 83.3,
    }
    assert c.mark == Mark.ATTENTION


def test_p6_5_share_decided_by_the_promised_date(report):
    c = report.clause("P6.5")
    assert figures(c) == {
        "Decided": 4,
        "Decided by the promised date": 60.0,
        "Average days to a decision": 12.0,
        "Past the promised date, undecided": 1,
        "Acceptance rate": 50.0,
    }
    assert c.mark == Mark.ATTENTION
    assert c.figures[1].display == "60.0%"


def test_p6_6_enrolment(report):
    c = report.clause("P6.6")
    assert figures(c) == {
        "Enrolled": 1,
        "Approved, awaiting enrolment": 2,
        "Share enrolled": 33.3,
    }


def test_p7_board_approval(report):
    c = report.clause("P7")
    assert figures(c) == {
        "Approving body": "مجلس الإدارة",
        "Meeting number": "161",
        "Approval date": dt.date(2025, 9, 15),
    }
    assert c.mark == Mark.MET


def test_summary_counts(report):
    assert sum(report.counts.values()) == len(report.clauses)
    assert report.counts[Mark.MET] == 4  # P1 review, P3.5, P4, P7


def test_a_branch_sees_its_own_evidence(branch_manager, report_data):
    report = compliance_report(branch_manager, Filters.hijri(1446, branch=report_data.head))
    assert report.filters.branch == report_data.branch
    p6_4 = report.clause("P6.4")
    assert [f.value for f in p6_4.figures] == [4, 4, 100.0]
    assert p6_4.mark == Mark.MET
    assert report.clause("P6.5").figures[1].value == 66.7


def test_only_report_readers(officer, report_data):
    with pytest.raises(PermissionDenied):
        compliance_report(officer, Filters.hijri(1446))
