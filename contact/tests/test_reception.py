"""The reception visit log (P6.1): arrival, service, end, waiting and service times."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from contact import selectors, services
from contact.models import ReceptionVisit
from contact.tests.conftest import at
from core.models import ActivityLog


@pytest.fixture
def clock(monkeypatch):
    state = {"now": at(2025, 9, 14, 9)}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])

    def move(**delta):
        state["now"] += datetime.timedelta(**delta)

    return move


def test_a_visit_from_arrival_to_the_interview(representative, beneficiary, clock):
    visit = services.visit_check_in(
        actor=representative, beneficiary=beneficiary, purpose="تسليم مستندات"
    )
    assert visit.branch == representative.branch
    clock(minutes=12)
    services.visit_start(actor=representative, visit=visit)
    clock(minutes=20)
    services.visit_end(actor=representative, visit=visit, summary="استلمنا صك الإعالة")
    visit.refresh_from_db()
    assert visit.waiting_seconds == 12 * 60
    assert visit.service_seconds == 20 * 60
    interaction = visit.interaction
    assert interaction.channel.code == "interview"
    assert interaction.beneficiary == beneficiary
    assert interaction.occurred_at == visit.served_at
    actions = set(ActivityLog.objects.values_list("action", flat=True))
    assert {"contact.visit.arrived", "contact.visit.served", "contact.visit.ended"} <= actions
    ended = ActivityLog.objects.get(action="contact.visit.ended")
    assert (ended.data["wait"], ended.data["service"]) == (12, 20)


def test_an_unregistered_visitor_needs_a_name(representative):
    with pytest.raises(ValidationError) as caught:
        services.visit_check_in(actor=representative, purpose="استفسار")
    assert "visitor_name" in caught.value.message_dict
    visit = services.visit_check_in(
        actor=representative, visitor_name="أبو فهد", visitor_phone="0501231234", purpose="استفسار"
    )
    assert visit.visitor_phone == "+966501231234"


def test_the_steps_come_in_order(representative, clock):
    visit = services.visit_check_in(actor=representative, visitor_name="زائر", purpose="سؤال")
    with pytest.raises(ValidationError):
        services.visit_end(actor=representative, visit=visit, summary="…")
    services.visit_start(actor=representative, visit=visit)
    with pytest.raises(ValidationError):
        services.visit_start(actor=representative, visit=visit)
    with pytest.raises(ValidationError) as caught:
        services.visit_end(actor=representative, visit=visit, summary="")
    assert "summary" in caught.value.message_dict
    services.visit_end(actor=representative, visit=visit, summary="أُجيب عن سؤاله")
    with pytest.raises(ValidationError):
        services.visit_end(actor=representative, visit=visit, summary="مرة أخرى")


def test_another_branch_cannot_serve_the_visit(representative, other_rep):
    visit = services.visit_check_in(actor=representative, visitor_name="زائر", purpose="سؤال")
    with pytest.raises(PermissionDenied):
        services.visit_start(actor=other_rep, visit=visit)


def test_researchers_do_not_run_the_desk(researcher):
    with pytest.raises(PermissionDenied):
        services.visit_check_in(actor=researcher, visitor_name="زائر", purpose="سؤال")


def test_the_database_keeps_the_times_in_order(representative):
    visit = services.visit_check_in(actor=representative, visitor_name="زائر", purpose="سؤال")
    with pytest.raises(IntegrityError):
        ReceptionVisit.objects.filter(pk=visit.pk).update(
            served_at=visit.arrived_at - datetime.timedelta(minutes=1)
        )


def test_the_desk_shows_who_waits_and_for_how_long(representative, clock):
    first = services.visit_check_in(actor=representative, visitor_name="الأول", purpose="أ")
    clock(minutes=5)
    second = services.visit_check_in(actor=representative, visitor_name="الثاني", purpose="ب")
    clock(minutes=10)
    services.visit_start(actor=representative, visit=first)
    desk = selectors.desk(representative, representative.branch)
    assert [v.pk for v in desk["waiting"]] == [second.pk]
    assert desk["waiting"][0].waiting_minutes == 10
    assert [v.pk for v in desk["serving"]] == [first.pk]


def test_averages_per_day_and_branch(representative, quality, clock):
    for wait, service in ((10, 20), (20, 40)):
        visit = services.visit_check_in(actor=representative, visitor_name="زائر", purpose="س")
        clock(minutes=wait)
        services.visit_start(actor=representative, visit=visit)
        clock(minutes=service)
        services.visit_end(actor=representative, visit=visit, summary="تم")
    services.visit_check_in(actor=representative, visitor_name="ما زال ينتظر", purpose="س")
    day = at(2025, 9, 14).date()
    (row,) = selectors.visit_stats(quality, date_from=day, date_to=day)
    assert (row.visits, row.served) == (3, 2)
    assert row.avg_wait_minutes == 15.0
    assert row.avg_service_minutes == 30.0
    assert row.branch == representative.branch.name
