"""Who sees which tickets and contacts: branch scope, researchers and their requests, the
admin's configuration forms, and bounded queries on the busiest pages."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assistance.tests.conftest import make_researched
from contact import selectors, services
from contact.admin import EscalationLevelForm
from contact.tests.conftest import open_ticket
from tests_support.factories import UserFactory, make_beneficiary


@pytest.fixture
def linked(officer, researcher):
    """A ticket about a request referred to `researcher`, and one about nothing of theirs."""
    request = make_researched(officer, researcher)
    mine = open_ticket(officer, support_request=request, person_name="", person_phone="")
    other = open_ticket(officer)
    return mine, other


def test_a_researcher_sees_the_tickets_of_their_requests_only(linked, researcher):
    mine, other = linked
    visible = set(selectors.tickets_for(researcher))
    assert visible == {mine}
    assert services.may_see_ticket(researcher, mine)
    assert not services.may_see_ticket(researcher, other)


def test_a_researcher_notes_but_does_not_answer(linked, researcher):
    mine, _other = linked
    services.ticket_note(actor=researcher, ticket=mine, body="الطلب لدى اللجنة في اجتماعها القادم")
    with pytest.raises(PermissionDenied):
        services.ticket_reply(actor=researcher, ticket=mine, body="…")
    with pytest.raises(PermissionDenied):
        services.ticket_take(actor=researcher, ticket=mine)


def test_another_researcher_sees_none(linked):
    stranger = UserFactory(username="researcher2", role="researcher")
    assert not selectors.tickets_for(stranger).exists()


def test_branch_scope(representative, other_rep, officer, branch, manager):
    jeddah = open_ticket(representative)
    head = open_ticket(officer)
    assert set(selectors.tickets_for(representative)) == {jeddah}
    assert not selectors.tickets_for(other_rep).exists()
    assert set(selectors.tickets_for(manager)) == {jeddah, head}
    with pytest.raises(PermissionDenied):
        services.ticket_reply(actor=other_rep, ticket=jeddah, body="…")


def test_a_branch_manager_sees_their_branch(representative, officer, branch):
    branch_manager = UserFactory(username="bm", role="manager", branch=branch)
    jeddah = open_ticket(representative)
    open_ticket(officer)
    assert set(selectors.tickets_for(branch_manager)) == {jeddah}


def test_contacts_are_branch_scoped(representative, other_rep, beneficiary, officer):
    jeddah = services.interaction_log(
        actor=representative,
        channel="interview",
        subject="س",
        summary="…",
        beneficiary=beneficiary,
    )
    assert selectors.interactions_for(representative).filter(pk=jeddah.pk).exists()
    assert selectors.interactions_for(officer).filter(pk=jeddah.pk).exists()
    assert not selectors.interactions_for(other_rep).filter(pk=jeddah.pk).exists()


def test_a_visit_recorded_late_keeps_its_times_in_order(representative):
    arrived = timezone.now() - datetime.timedelta(minutes=40)
    visit = services.visit_check_in(
        actor=representative, visitor_name="زائر", purpose="سؤال", arrived_at=arrived
    )
    with pytest.raises(ValidationError) as caught:
        services.visit_start(
            actor=representative, visit=visit, at=arrived - datetime.timedelta(minutes=1)
        )
    assert "served_at" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.visit_start(
            actor=representative,
            visit=visit,
            at=timezone.now() + datetime.timedelta(hours=1),
        )
    services.visit_start(
        actor=representative, visit=visit, at=arrived + datetime.timedelta(minutes=15)
    )
    visit.refresh_from_db()
    assert visit.waiting_seconds == 15 * 60


@pytest.mark.parametrize(
    ("roles", "valid"),
    [(["manager", "quality"], True), (["boss"], False), ("manager", False), ([], True)],
)
def test_escalation_roles_are_checked_in_the_admin(db, roles, valid):
    form = EscalationLevelForm(
        data={
            "trigger": "resolution",
            "level": 4,
            "hours_after": 40,
            "notify_roles": json.dumps(roles),
            "notify_owner": "on",
        }
    )
    assert form.is_valid() is valid, form.errors


def test_the_admin_lists_the_configuration(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:contact_ticketcategory_changelist")).status_code == 200
    assert client.get(reverse("admin:contact_escalationlevel_changelist")).status_code == 200


def test_the_ticket_page_s_queries_do_not_grow_with_its_history(
    client, officer, django_assert_max_num_queries
):
    ticket = open_ticket(officer, beneficiary=make_beneficiary(officer), person_phone="")
    for n in range(12):
        services.ticket_note(actor=officer, ticket=ticket, body=f"ملاحظة {n}")
    client.force_login(officer)
    with django_assert_max_num_queries(24):
        response = client.get(reverse("contact:ticket", args=[ticket.public_id]))
    assert response.status_code == 200


def test_the_contacts_list_s_queries_do_not_grow(client, officer, django_assert_max_num_queries):
    for n in range(15):
        services.interaction_log(
            actor=officer, channel="interview", subject=f"س {n}", summary="…", person_name="س"
        )
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("contact:list")).status_code == 200
