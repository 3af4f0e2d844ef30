"""Each trigger on a hand-made registry: who is in the audience, at the boundaries, and the
occasion each person is reached about."""

import datetime

import pytest
from django.utils import translation

from beneficiaries.models import Relation
from outreach.selectors import rule_audience
from tests_support.factories import make_beneficiary, make_document
from tests_support.outreach import (
    category,
    make_contact,
    make_info_request,
    make_member,
    make_rule,
    opt_out,
    registered_on,
)

D = datetime.date
TODAY = D(2027, 1, 10)


def keys(audience):
    return {(p.beneficiary.pk, p.occasion) for p in audience.people()}


def ids(audience):
    return {p.beneficiary.pk for p in audience.people()}


# --- Documents ----------------------------------------------------------------------------


@pytest.fixture
def document_rule(manager):
    return make_rule(
        manager,
        trigger="document_expiring",
        days=30,
        template="outreach.document_expiring",
    )


def test_a_document_expiring_within_n_days_is_found(document_rule, officer):
    inside = make_beneficiary(officer)
    boundary = make_beneficiary(officer)
    outside = make_beneficiary(officer)
    expired = make_beneficiary(officer)
    doc = make_document(officer, inside, expires_on=D(2027, 1, 20))
    make_document(officer, boundary, expires_on=TODAY + datetime.timedelta(days=30))
    make_document(officer, outside, expires_on=TODAY + datetime.timedelta(days=31))
    make_document(officer, expired, expires_on=TODAY - datetime.timedelta(days=1))

    audience = rule_audience(document_rule, today=TODAY)

    assert audience.size == 2
    assert ids(audience) == {inside.pk, boundary.pk}
    person = next(p for p in audience.people() if p.beneficiary == inside)
    assert person.occasion == f"document:{doc.pk}:2027-01-20"
    assert person.context["document"] == "الهوية الوطنية / الإقامة"
    assert person.context["expires_on"] == "12/08/1448هـ — 20/01/2027م"
    with translation.override("en"):
        assert audience.people()[0].label.startswith("National ID / Iqama expires on")


def test_a_renewed_document_is_not_reminded(document_rule, officer):
    person = make_beneficiary(officer)
    make_document(officer, person, expires_on=D(2027, 1, 20))
    make_document(officer, person, expires_on=D(2032, 1, 20))  # the renewal, uploaded since
    assert rule_audience(document_rule, today=TODAY).size == 0


def test_the_soonest_document_is_the_occasion(document_rule, officer):
    person = make_beneficiary(officer)
    make_document(officer, person, code="lease", expires_on=D(2027, 2, 1))
    soonest = make_document(officer, person, expires_on=D(2027, 1, 15))
    audience = rule_audience(document_rule, today=TODAY)
    assert audience.size == 1
    assert keys(audience) == {(person.pk, f"document:{soonest.pk}:2027-01-15")}


# --- Information requested ---------------------------------------------------------------


def test_information_not_given_for_n_days(manager, officer):
    rule = make_rule(manager, trigger="info_pending", days=7, template="outreach.info_pending")
    waiting = make_beneficiary(officer)
    recent = make_beneficiary(officer)
    answered = make_beneficiary(officer)
    info = make_info_request(officer, waiting, asked_on=TODAY - datetime.timedelta(days=7))
    make_info_request(officer, recent, asked_on=TODAY - datetime.timedelta(days=6))
    done = make_info_request(officer, answered, asked_on=D(2026, 12, 1))
    done.answered_at = done.created_at + datetime.timedelta(days=1)
    done.save()

    audience = rule_audience(rule, today=TODAY)

    assert keys(audience) == {(waiting.pk, f"info:{info.pk}")}
    person = audience.people()[0]
    assert person.context["reference"] == info.request.reference
    assert person.context["missing"] == "صورة سجل الأسرة"
    assert person.context["days"] == "7"


# --- No contact ---------------------------------------------------------------------------


def test_no_contact_for_n_months(manager, officer):
    rule = make_rule(
        manager, trigger="no_contact", months=6, days=None, template="outreach.no_contact"
    )
    silent = registered_on(make_beneficiary(officer), D(2025, 1, 5))
    called = registered_on(make_beneficiary(officer), D(2025, 1, 5))
    never = registered_on(make_beneficiary(officer), D(2026, 3, 1))
    newcomer = registered_on(make_beneficiary(officer), D(2026, 12, 1))
    make_contact(officer, silent, on=D(2026, 7, 9))  # the day before the cutoff (10 July)
    make_contact(officer, called, on=D(2026, 7, 10))  # on the cutoff: not silent

    audience = rule_audience(rule, today=TODAY)

    assert keys(audience) == {
        (silent.pk, "silence:2026-07-09"),
        (never.pk, "silence:2026-03-01"),
    }
    assert newcomer.pk not in ids(audience)
    by_pk = {p.beneficiary.pk: p for p in audience.people()}
    assert by_pk[silent.pk].context["last_contact"].endswith("09/07/2026م")
    with translation.override("en"):
        assert (
            rule_audience(rule, today=TODAY)
            .people()[1]
            .label.startswith("No contact since registration")
        )


def test_no_contact_months_are_counted_to_the_month_end(manager, officer):
    # 31 August − 6 months is 28 February: a contact on 1 March is within the six months.
    rule = make_rule(
        manager, trigger="no_contact", months=6, days=None, template="outreach.no_contact"
    )
    person = registered_on(make_beneficiary(officer), D(2025, 1, 5))
    make_contact(officer, person, on=D(2027, 3, 1))
    assert rule_audience(rule, today=D(2027, 8, 31)).size == 0
    assert rule_audience(rule, today=D(2027, 9, 2)).size == 1


# --- Orphans turning 18 ------------------------------------------------------------------


@pytest.fixture
def orphan_rule(manager):
    return make_rule(manager, trigger="orphan_adult", days=30, template="outreach.orphan_adult")


def _household(officer, birth_date, *, categories=("orphans",), relation=Relation.SON):
    head = make_beneficiary(officer, categories=[category(c) for c in categories])
    member = make_member(head, birth_date=birth_date, relation=relation)
    return head, member


@pytest.mark.parametrize(
    ("birth_date", "found"),
    [
        (D(2009, 1, 10), True),  # 18 today
        (D(2009, 2, 9), True),  # 18 on the last day of the window (today + 30)
        (D(2009, 1, 9), False),  # 18 since yesterday
        (D(2009, 2, 10), False),  # 18 the day after the window
    ],
)
def test_an_orphan_turning_18_at_the_boundaries(orphan_rule, officer, birth_date, found):
    _head, member = _household(officer, birth_date)
    audience = rule_audience(orphan_rule, today=TODAY)
    assert (audience.size == 1) is found
    if found:
        person = audience.people()[0]
        assert person.occasion == f"orphan:{member.pk}"
        assert person.on == birth_date.replace(year=2027)


def test_an_orphan_born_on_29_february_comes_of_age_on_1_march(orphan_rule, officer):
    _household(officer, D(2008, 2, 29))
    assert rule_audience(orphan_rule, today=D(2026, 2, 28)).people()[0].on == D(2026, 3, 1)
    assert rule_audience(orphan_rule, today=D(2026, 3, 2)).size == 0


def test_only_orphans_households_and_only_the_children(orphan_rule, officer):
    _household(officer, D(2009, 1, 20), categories=("widows",))
    _household(officer, D(2009, 1, 20), relation=Relation.SPOUSE)
    head, _member = _household(officer, D(2009, 1, 20), relation=Relation.DAUGHTER)
    assert ids(rule_audience(orphan_rule, today=TODAY)) == {head.pk}


# --- Categories, branch and opt-out -------------------------------------------------------


def test_a_season_reaches_the_rules_categories_in_its_branch(manager, officer, representative):
    rule = make_rule(manager, trigger="season", season="ramadan", days=14, categories=["widows"])
    widow = make_beneficiary(officer, categories=[category("widows")])
    make_beneficiary(officer, categories=[category("students")])
    jeddah_widow = make_beneficiary(representative, categories=[category("widows")])

    assert rule_audience(rule, today=D(2027, 1, 24)).size == 0  # 15 days before Ramadan
    audience = rule_audience(rule, today=D(2027, 1, 25))
    assert ids(audience) == {widow.pk, jeddah_widow.pk}
    assert {p.occasion for p in audience.people()} == {"season:ramadan:1448"}

    rule.branch = representative.branch
    rule.save()
    assert ids(rule_audience(rule, today=D(2027, 1, 25))) == {jeddah_widow.pk}


def test_people_who_opted_out_are_counted_and_left_out(manager, officer):
    rule = make_rule(manager, trigger="season", season="ramadan", days=14)
    kept = make_beneficiary(officer)
    opt_out(make_beneficiary(officer))
    audience = rule_audience(rule, today=D(2027, 1, 25))
    assert (audience.size, audience.opted_out, audience.reachable) == (2, 1, 1)
    assert ids(audience) == {kept.pk}


def test_the_audience_is_counted_in_one_query(manager, officer, django_assert_num_queries):
    rule = make_rule(manager, trigger="orphan_adult", days=30, template="outreach.orphan_adult")
    rule = type(rule).objects.prefetch_related("categories").get(pk=rule.pk)
    for _ in range(3):
        _household(officer, D(2009, 1, 20))
    with django_assert_num_queries(1):
        audience = rule_audience(rule, today=TODAY)
    assert audience.size == 3
