"""The results' figures against a fixture counted by hand, the threshold on both sides of it,
and a number of queries that does not grow with the data.

The fixture, all answered today (so in this Hijri month and year):

- head office, food basket, phone, delivery: 6 answers
    CSAT 5 5 4 3 2 1  → average 20/6 = 3.33, satisfied 3/6 = 50.0 %
    NPS 10 9 8 7 6 0  → promoters 2, detractors 2 → NPS 0.0
    ease 5 4 4 3 2 –  → 18/5 = 3.60
  8 invitations sent this year (6 answered), 1 still pending (not sent), 1 sent last year;
- Jeddah, ticket, no aid type, no channel: 4 answers, CSAT 5 4 4 – (under the threshold)
  5 invitations sent (4 answered).

All together: 10 answers of 13 sent (76.9 %); CSAT 33/9 = 3.67, satisfied 6/9 = 66.7 %;
NPS 0.0 over 6; ease 3.60 over 5.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assistance.models import AidType
from core.models import Channel
from surveys import results
from surveys.models import Event, InvitationStatus
from tests_support.surveys import (
    InvitationFactory,
    ResponseFactory,
    SurveyFactory,
    SurveyVersionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def food(db):
    return AidType.objects.get(code="food_basket")


@pytest.fixture
def phone(db):
    return Channel.objects.get(code="phone")


@pytest.fixture
def counted(head_office, branch, food, phone, officer):
    from tests_support.factories import make_beneficiary

    person = make_beneficiary(officer)
    delivery = SurveyVersionFactory(survey=SurveyFactory(event=Event.DELIVERY))
    ticket = SurveyVersionFactory(survey=SurveyFactory(event=Event.TICKET))
    head = {"branch": head_office, "aid_type": food, "service_channel": phone}
    for csat, nps, effort in [(5, 10, 5), (5, 9, 4), (4, 8, 4), (3, 7, 3), (2, 6, 2), (1, 0, None)]:
        ResponseFactory(version=delivery, csat=csat, nps=nps, effort=effort, **head)
    for csat in (5, 4, 4, None):
        ResponseFactory(version=ticket, csat=csat, branch=branch, anonymous=True)
    invite = {"beneficiary": person, "version": delivery, **head}
    for status in [InvitationStatus.ANSWERED] * 6 + [InvitationStatus.SENT] * 2:
        InvitationFactory(status=status, **invite)
    InvitationFactory(status=InvitationStatus.PENDING, **invite)
    InvitationFactory(
        status=InvitationStatus.ANSWERED, event_at=timezone.now() - timedelta(days=400), **invite
    )
    for status in [InvitationStatus.ANSWERED] * 4 + [InvitationStatus.EXPIRED]:
        InvitationFactory(beneficiary=person, version=ticket, branch=branch, status=status)
    return {"delivery": delivery, "ticket": ticket}


def _results(user, **filters):
    return results.results_for(user, results.Filters(period=results.Period.this_year(), **filters))


def test_the_summary_matches_the_hand_count(quality, counted):
    s = _results(quality).summary
    assert (s.n, s.sent, s.answered) == (10, 13, 10)
    assert s.response_rate == 76.9
    assert s.csat == 3.67 and s.satisfied_pct == 66.7
    assert s.nps == 0.0 and s.nps_n == 6
    assert s.effort == 3.6
    assert not s.hidden


def test_groups_match_the_hand_count_and_hide_small_ones(quality, counted, food, phone):
    tables = _results(quality).tables
    by_service = {g.key: g for g in tables["service"]}
    basket = by_service[("aid", food.pk)]
    assert basket.label == food.name
    assert (basket.stats.n, basket.stats.sent, basket.stats.answered) == (6, 8, 6)
    assert basket.stats.response_rate == 75.0
    assert (basket.stats.csat, basket.stats.satisfied_pct) == (3.33, 50.0)
    assert (basket.stats.nps, basket.stats.effort) == (0.0, 3.6)
    tickets = by_service[("stage", Event.TICKET)]
    assert tickets.label == str(Event.TICKET.label)
    assert tickets.stats.n == 4 and tickets.stats.hidden
    assert [g.key for g in tables["stage"]] == [Event.DELIVERY, Event.TICKET]
    assert [g.stats.hidden for g in tables["stage"]] == [False, True]
    assert {g.key: g.stats.n for g in tables["channel"]} == {phone.pk: 6, None: 4}
    assert [g.stats.hidden for g in tables["channel"]] == [False, True]
    assert sorted(g.stats.n for g in tables["branch"]) == [4, 6]


def test_the_display_row_hides_every_figure_under_the_threshold(quality, counted):
    stage = {g.key: g for g in _results(quality).tables["stage"]}
    assert results.display_row(stage[Event.TICKET].stats) == [results.threshold_message()]
    assert results.display_row(stage[Event.DELIVERY].stats) == [
        "6",
        "75.0%",
        "3.33",
        "50.0%",
        "+0.0",
        "3.60",
    ]
    bars = results.bar_chart(_results(quality).tables["stage"])
    assert bars[1].display == results.threshold_message() and bars[1].percent == 0


def test_the_fifth_answer_shows_the_group(quality, counted, branch):
    ResponseFactory(version=counted["ticket"], csat=1, branch=branch)
    stage = {g.key: g for g in _results(quality).tables["stage"]}
    assert not stage[Event.TICKET].stats.hidden
    assert stage[Event.TICKET].stats.csat == 14 / 4


def test_fewer_than_five_answers_in_all_hides_the_summary(quality, counted, branch):
    s = _results(quality, branch_id=branch.pk).summary
    assert s.n == 4 and s.hidden


def test_filters_narrow_every_figure(quality, counted, food, head_office):
    s = _results(quality, aid_type_id=food.pk).summary
    assert (s.n, s.sent, s.csat) == (6, 8, 3.33)
    s = _results(quality, event=Event.TICKET).summary
    assert (s.n, s.sent, s.answered) == (4, 5, 4)
    s = _results(quality, branch_id=head_office.pk, event=Event.TICKET).summary
    assert s.n == 0 and s.response_rate is None


def test_the_trend_puts_the_answers_in_this_hijri_month(quality, counted):
    today = timezone.localdate()
    hijri = results.to_hijri(today)
    months = _results(quality).tables["month"]
    assert len(months) == 12
    this = next(g for g in months if g.key == (hijri.year, hijri.month))
    assert (this.stats.n, this.stats.sent, this.stats.answered) == (10, 13, 10)
    assert sum(g.stats.n for g in months) == 10
    assert all(g.stats.hidden for g in months if g.key != (hijri.year, hijri.month))
    trend = results.trend_chart(months)
    assert [p.value for p in trend.points if p.value is not None] == [3.67]


def test_a_range_of_days_counts_the_same(quality, counted):
    today = timezone.localdate()
    period = results.Period.days(today - timedelta(days=3), today)
    s = results.results_for(quality, results.Filters(period=period)).summary
    assert (s.n, s.sent, s.answered) == (10, 13, 10)
    period = results.Period.days(today - timedelta(days=30), today - timedelta(days=1))
    assert results.results_for(quality, results.Filters(period=period)).summary.n == 0


def test_a_branch_bound_manager_sees_their_branch_only(counted, branch):
    from accounts.models import Role
    from tests_support.factories import UserFactory

    jeddah_manager = UserFactory(role=Role.MANAGER, branch=branch)
    s = _results(jeddah_manager).summary
    assert (s.n, s.sent) == (4, 5)


def test_other_roles_get_no_figures(officer, counted):
    assert _results(officer).summary.n == 0


def _count_queries(user):
    with CaptureQueriesContext(connection) as queries:
        _results(user)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_groups(quality, counted, branch):
    few = _count_queries(quality)
    for code in ("rent", "bills", "medical"):
        ResponseFactory(
            version=counted["delivery"],
            aid_type=AidType.objects.get(code=code),
            service_channel=Channel.objects.get(code="website"),
            branch=branch,
        )
    assert _count_queries(quality) == few == 15
