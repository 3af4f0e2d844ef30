"""Deadlines (issue §10): which requests are overdue, the counts, the screen, the digest."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from assistance import deadlines, tasks
from assistance.models import Status, SupportRequest
from assistance.tests.conftest import make_draft
from notify.models import Message
from tests_support.factories import UserFactory, make_beneficiary

pytestmark = pytest.mark.django_db

URL = "/requests/overdue/"

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


_serial = iter(range(1, 10_000))


def make_request(officer, beneficiary, *, status, due, owner=None):
    """A request put straight into `status` with a promised date (test set-up, not a
    transition: the services are tested elsewhere)."""
    request = make_draft(officer, beneficiary)
    SupportRequest.objects.filter(pk=request.pk).update(
        status=status,
        reference=f"REQ-1447-{next(_serial):06d}",
        submitted_at=timezone.now(),
        expected_decision_date=due,
        owner=owner,
    )
    request.refresh_from_db()
    return request


@pytest.fixture
def applicant(representative):
    return make_beneficiary(representative, first_name="نوفل", family_name="الزهراني")


@pytest.fixture
def work(officer, applicant):
    """In `branch`: three overdue (two being verified, one before the committee; two owned
    by the officer, one unassigned) and four that are not."""
    return {
        "committee_1d": make_request(
            officer, applicant, status=Status.IN_COMMITTEE, due=days_ago(1), owner=officer
        ),
        "verifying_10d": make_request(
            officer, applicant, status=Status.VERIFYING, due=days_ago(10)
        ),
        "verifying_3d": make_request(
            officer, applicant, status=Status.VERIFYING, due=days_ago(3), owner=officer
        ),
        "due_today": make_request(officer, applicant, status=Status.SUBMITTED, due=TODAY),
        "decided": make_request(officer, applicant, status=Status.APPROVED, due=days_ago(20)),
        "closed": make_request(officer, applicant, status=Status.CLOSED, due=days_ago(20)),
        "draft": make_draft(officer, applicant),
    }


def refs(qs) -> set[str]:
    return {r.reference for r in qs}


# --- Selection ------------------------------------------------------------------------------


def test_due_yesterday_is_overdue_due_today_and_decided_are_not(officer, work):
    overdue = refs(deadlines.overdue_requests(officer, today=TODAY))
    assert work["committee_1d"].reference in overdue
    for name in ("due_today", "decided", "closed"):
        assert work[name].reference not in overdue
    assert overdue == {work[n].reference for n in ("committee_1d", "verifying_10d", "verifying_3d")}


def test_tomorrow_todays_request_becomes_overdue(officer, work):
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert work["due_today"].reference in refs(deadlines.overdue_requests(officer, today=tomorrow))


def test_longest_overdue_first_with_days_computed(officer, work):
    rows = deadlines.mark_days_overdue(
        deadlines.overdue_requests(officer, today=TODAY), today=TODAY
    )
    assert [(r.reference, r.days_overdue) for r in rows] == [
        (work["verifying_10d"].reference, 10),
        (work["verifying_3d"].reference, 3),
        (work["committee_1d"].reference, 1),
    ]


def test_filters_by_stage_and_owner(officer, work):
    by_stage = deadlines.overdue_requests(officer, status=Status.VERIFYING)
    assert refs(by_stage) == {work["verifying_10d"].reference, work["verifying_3d"].reference}
    mine = deadlines.overdue_requests(officer, owner=str(officer.pk))
    assert refs(mine) == {work["committee_1d"].reference, work["verifying_3d"].reference}
    nobody = deadlines.overdue_requests(officer, owner=deadlines.UNASSIGNED)
    assert refs(nobody) == {work["verifying_10d"].reference}
    # A stage that is not awaiting a decision, or a nonsense owner, filters nothing out.
    assert deadlines.overdue_requests(officer, status=Status.CLOSED, owner="x").count() == 3


# --- Counts ---------------------------------------------------------------------------------


def test_summary_counts_by_stage_and_owner(officer, work, django_assert_num_queries):
    with django_assert_num_queries(2):
        summary = deadlines.overdue_summary(officer, today=TODAY)
    assert summary["total"] == 3
    assert [(s["status"], s["count"]) for s in summary["by_status"]] == [
        (Status.VERIFYING, 2),
        (Status.IN_COMMITTEE, 1),
    ]
    assert [(o["owner_id"], o["filter"], o["name"], o["count"]) for o in summary["by_owner"]] == [
        (officer.pk, str(officer.pk), officer.display_name, 2),
        (None, "none", gettext("Unassigned"), 1),
    ]


def test_a_representative_of_another_branch_sees_none(representative, other_rep, work):
    assert deadlines.overdue_requests(representative).count() == 3
    assert not deadlines.overdue_requests(other_rep).exists()
    summary = deadlines.overdue_summary(other_rep)
    assert summary == {"today": TODAY, "total": 0, "by_status": [], "by_owner": []}


def test_roles_outside_the_registry_see_none(volunteer, work):
    assert not deadlines.overdue_requests(volunteer).exists()
    assert deadlines.overdue_summary(volunteer)["total"] == 0


# --- The screen -----------------------------------------------------------------------------


def test_the_screen_shows_cards_and_table(client, officer, work):
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    for name in ("committee_1d", "verifying_10d", "verifying_3d"):
        assert work[name].reference in page
    for name in ("due_today", "decided", "closed"):
        assert work[name].reference not in page
    assert f'href="?status={Status.VERIFYING}"' in page
    assert f'href="?owner={officer.pk}"' in page and 'href="?owner=none"' in page
    assert response.context["summary"]["total"] == 3
    assert [r.days_overdue for r in response.context["page"].object_list] == [10, 3, 1]


def test_the_screen_filters(client, officer, work):
    client.force_login(officer)
    page = client.get(URL, {"owner": "none"}).content.decode()
    assert work["verifying_10d"].reference in page
    assert work["verifying_3d"].reference not in page
    page = client.get(URL, {"status": Status.IN_COMMITTEE}).content.decode()
    assert work["committee_1d"].reference in page
    assert work["verifying_10d"].reference not in page


def test_htmx_gets_the_table_only(client, officer, work):
    client.force_login(officer)
    response = client.get(URL, {"status": Status.VERIFYING}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.templates[0].name == "assistance/_overdue_table.html"
    page = response.content.decode()
    assert "<html" not in page and "summary" not in response.context
    assert work["verifying_10d"].reference in page
    assert work["committee_1d"].reference not in page


def test_queries_do_not_grow_with_the_rows(client, officer, applicant, work):
    client.force_login(officer)
    client.get(URL)  # warm the session and the per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(3):
        make_request(officer, applicant, status=Status.DEFERRED, due=days_ago(2), owner=officer)
    with CaptureQueriesContext(connection) as more:
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 6
    assert len(more) == len(few)


def test_the_screen_rejects_post(client, officer):
    client.force_login(officer)
    assert client.post(URL).status_code == 405


def test_the_screen_is_forbidden_to_a_volunteer(client, volunteer):
    client.force_login(volunteer)
    assert client.get(URL).status_code == 403


def test_the_screen_asks_a_stranger_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_outsider_sees_an_empty_screen(client, other_rep, work):
    client.force_login(other_rep)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert not any(r.reference and r.reference in page for r in work.values())


# --- The digest -----------------------------------------------------------------------------


@pytest.fixture
def boss(manager):
    manager.email = "boss@mafatih.example"
    manager.save(update_fields=["email"])
    return manager


def digests():
    return Message.objects.filter(template_code="digest.overdue")


def test_a_manager_with_overdue_work_gets_one_email(boss, work, applicant):
    assert deadlines.send_overdue_digest(today=TODAY) == 1
    message = digests().get()
    assert message.channel == "email" and message.recipient == boss.email
    assert message.idempotency_key == f"digest.overdue:{boss.pk}:{TODAY.isoformat()}"
    assert message.subject.endswith(": 3")
    for name in ("committee_1d", "verifying_10d", "verifying_3d"):
        assert work[name].reference in message.body
    assert work["due_today"].reference not in message.body
    with translation.override("ar"):
        assert f"{Status.VERIFYING.label}: 2" in message.body
        assert f"{Status.IN_COMMITTEE.label}: 1" in message.body
    text = message.subject + message.body
    for private in (applicant.full_name, applicant.first_name, applicant.family_name):
        assert private not in text
    assert applicant.id_number not in text and applicant.mobile not in text


def test_the_digest_is_sent_once_a_day(boss, work):
    assert deadlines.send_overdue_digest(today=TODAY) == 1
    assert deadlines.send_overdue_digest(today=TODAY) == 0
    assert digests().count() == 1
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert deadlines.send_overdue_digest(today=tomorrow) == 1
    assert digests().count() == 2


def test_nothing_overdue_means_no_email(boss, officer, applicant):
    make_request(officer, applicant, status=Status.VERIFYING, due=TODAY)
    assert deadlines.send_overdue_digest(today=TODAY) == 0
    assert not digests().exists()


def test_only_active_managers_with_an_address_are_written_to(boss, officer, work):
    officer.email = "officer@mafatih.example"
    officer.save(update_fields=["email"])
    UserFactory(username="no_address", role="manager")
    UserFactory(username="gone", role="manager", email="gone@mafatih.example", is_active=False)
    UserFactory(username="root", role="admin", email="root@mafatih.example")
    assert deadlines.send_overdue_digest(today=TODAY) == 1
    assert list(digests().values_list("recipient", flat=True)) == [boss.email]


def test_a_branch_manager_gets_their_branch_only(boss, officer, other_branch, other_rep, work):
    branch_boss = UserFactory(
        username="dammam_boss", role="manager", branch=other_branch, email="d@mafatih.example"
    )
    assert deadlines.send_overdue_digest(today=TODAY) == 1  # nothing overdue in Dammam yet
    elsewhere = make_beneficiary(other_rep, first_name="هتان")
    late = make_request(officer, elsewhere, status=Status.IN_RESEARCH, due=days_ago(5))
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert deadlines.send_overdue_digest(today=tomorrow) == 2
    mine = digests().get(recipient=branch_boss.email)
    assert mine.subject.endswith(": 1") and late.reference in mine.body
    assert work["verifying_10d"].reference not in mine.body
    everything = digests().get(recipient=boss.email, idempotency_key__endswith=tomorrow.isoformat())
    assert everything.subject.endswith(": 5") and late.reference in everything.body


def test_the_digest_lists_the_oldest_references_and_links_the_screen(
    boss, work, settings, monkeypatch
):
    settings.SITE_URL = "https://mustafid.example/"
    monkeypatch.setattr(deadlines, "DIGEST_OLDEST", 2)
    deadlines.send_overdue_digest(today=TODAY)
    body = digests().get().body
    assert work["verifying_10d"].reference in body and work["verifying_3d"].reference in body
    assert work["committee_1d"].reference not in body  # the third oldest: left out
    assert "https://mustafid.example/requests/" in body


def test_the_daily_task_sends_the_digest(boss, work):
    assert tasks.daily_overdue_digest.call_local() == 1
    assert digests().count() == 1
