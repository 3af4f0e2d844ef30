"""The demo requests for `make run`: every stage, through the services, dated over months, and
safe to run twice."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from assistance.demo import MARKER_NEED, seed_demo
from assistance.models import (
    AgendaItem,
    Attestation,
    Delivery,
    Meeting,
    Outcome,
    Status,
    SupportRequest,
    Vote,
)
from beneficiaries import demo as registry_demo
from core.models import ActivityLog
from tests_support.factories import UserFactory


def _demo_files():
    """The demo accounts and files, as `manage.py seed_demo` makes them before the apps."""
    registry_demo.ensure_users(registry_demo.ensure_branches())
    officer = User.objects.get(username="officer")
    registry_demo.Seeder(seed=1447, actor=officer, progress=lambda _line: None).run(150)
    return officer


@pytest.fixture
def officer(db):
    return _demo_files()


def test_the_demo_takes_requests_through_every_stage_once(officer):
    summary = seed_demo(rng=random.Random(1447), actor=officer)

    assert summary.startswith("assistance: ")
    requests = SupportRequest.objects.all()
    assert 35 <= requests.count() <= 50
    assert requests.filter(need=MARKER_NEED).count() == 1
    assert f"{requests.count()} demo requests" in summary
    stages = set(requests.values_list("status", flat=True))
    assert {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.VERIFYING,
        Status.AWAITING_APPLICANT,
        Status.IN_RESEARCH,
        Status.RESEARCHED,
        Status.IN_COMMITTEE,
        Status.APPROVED,
        Status.REJECTED,
        Status.DEFERRED,
        Status.APPEALED,
        Status.ENROLLED,
        Status.IN_SERVICE,
        Status.CLOSED,
        Status.WITHDRAWN,
        Status.CANCELLED,
    } <= stages
    # Both branches, several channels and aid types.
    assert {"head-office", "jeddah"} <= set(requests.values_list("branch__code", flat=True))
    assert len(set(requests.values_list("channel__code", flat=True))) >= 5
    assert len(set(requests.values_list("aid_types__code", flat=True))) >= 8

    # Every submitted request was signed before it was submitted (P6.4).
    submitted = requests.filter(reference__isnull=False)
    assert submitted.count() >= 30
    assert not submitted.filter(attestation__isnull=True).exists()
    for signed in Attestation.objects.select_related("request"):
        assert signed.signed_at <= signed.request.submitted_at

    # A history, not a day: five months of submissions, each promised its decision date.
    today = timezone.localdate()
    days = {timezone.localdate(r.submitted_at) for r in submitted}
    assert min(days) <= today - timedelta(days=120)
    assert len(days) >= 20
    assert all(r.expected_decision_date > timezone.localdate(r.submitted_at) for r in submitted)
    overdue = [r for r in submitted if r.is_overdue]
    assert len(overdue) >= 2

    # The committee: past meetings closed with final decisions, the next one open.
    decided = AgendaItem.objects.exclude(outcome=Outcome.PENDING).select_related("request")
    assert {Outcome.APPROVED, Outcome.REJECTED, Outcome.DEFERRED} <= set(
        decided.values_list("outcome", flat=True)
    )
    for item in decided:
        assert item.request.submitted_at < item.decided_at
    assert any(item.decided_at.date() > item.request.expected_decision_date for item in decided), (
        "some decisions come after the promised date"
    )
    assert Meeting.objects.filter(closed_at__isnull=True).count() == 1
    assert AgendaItem.objects.filter(outcome=Outcome.PENDING).count() == 3
    assert Vote.objects.count() >= decided.count()

    # Deliveries were recorded against the decisions, never in the future.
    assert Delivery.objects.count() >= 8
    assert not Delivery.objects.filter(delivered_on__gt=today).exists()
    # The activity log tells the story on the days it happened.
    assert ActivityLog.objects.filter(
        action="assistance.request.submitted", created_at__lt=timezone.now() - timedelta(days=90)
    ).exists()

    # A second run adds nothing.
    counts = (SupportRequest.objects.count(), Meeting.objects.count(), Delivery.objects.count())
    assert "already" in seed_demo(rng=random.Random(1447), actor=officer)
    assert counts == (
        SupportRequest.objects.count(),
        Meeting.objects.count(),
        Delivery.objects.count(),
    )


def test_a_committee_of_several_members_votes_with_a_quorum(officer):
    # The demo accounts hold three committee members; a fourth joins every meeting too.
    UserFactory(username="committee4", role="committee")

    seed_demo(rng=random.Random(7), actor=officer)

    meeting = Meeting.objects.filter(closed_at__isnull=False).first()
    assert meeting.quorum == 3
    assert meeting.members.count() == 4
    for item in AgendaItem.objects.exclude(outcome=Outcome.PENDING):
        assert item.votes.count() >= 3
