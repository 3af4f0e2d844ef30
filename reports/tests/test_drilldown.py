"""The lists behind the numbers: the same rows the dashboard counted, scoped, paged."""

import pytest
from django.urls import reverse

from reports.selectors import Filters, dashboard

pytestmark = pytest.mark.django_db

REQUESTS = reverse("reports:requests")
TICKETS = reverse("reports:tickets")
CONTACTS = reverse("reports:contacts")


def refs(response):
    return sorted(row[0] for row in response.context["listing"].rows)


def test_every_request_bar_lists_exactly_what_it_counts(client, manager, report_data):
    client.force_login(manager)
    d = dashboard(manager, Filters.hijri(1446))
    response = client.get(reverse("reports:dashboard"), {"year": "1446"})
    charts = response.context["charts"]
    for name in ("stage", "channel", "branch", "category", "decisions"):
        for bar in charts[name]:
            listed = client.get(bar.url)
            assert listed.status_code == 200, bar.url
            assert listed.context["total"] == bar.value, (name, bar.label)
    assert d.requests_total == client.get(REQUESTS, {"year": "1446"}).context["total"]


def test_every_ticket_bar_lists_exactly_what_it_counts(client, manager, report_data):
    client.force_login(manager)
    response = client.get(reverse("reports:dashboard"), {"year": "1446"})
    for name in ("kinds", "complaints"):
        for bar in response.context["charts"][name]:
            assert client.get(bar.url).context["total"] == bar.value, (name, bar.label)
    links = response.context["links"]
    assert client.get(links["response_late"]).context["total"] == 2  # T2 late, T5 unanswered
    assert client.get(links["response_on_time"]).context["total"] == 3
    assert client.get(links["resolution_late"]).context["total"] == 3  # T2, T3, T5
    assert client.get(links["resolution_on_time"]).context["total"] == 2


def test_decision_lists(client, manager, report_data):
    client.force_login(manager)
    r = report_data

    def listed(decision):
        return refs(client.get(REQUESTS, {"year": "1446", "decision": decision}))

    assert listed("on_time") == sorted([r.r1.reference, r.r3.reference, r.r6.reference])
    assert listed("late") == [r.r2.reference]
    assert listed("overdue") == [r.r4.reference]
    assert listed("waiting") == [r.r5.reference]
    assert listed("approved") == sorted([r.r1.reference, r.r3.reference])
    assert listed("rejected") == sorted([r.r2.reference, r.r6.reference])


def test_request_rows_show_the_first_final_decision(client, manager, report_data):
    client.force_login(manager)
    response = client.get(REQUESTS, {"year": "1446", "decision": "rejected"})
    reference = report_data.r6.reference
    row = next(row for row in response.context["listing"].rows if row[0] == reference)
    # R6 was rejected on 12/01/2025, then approved on appeal: the first decision counts.
    assert row[7].date().isoformat() == "2025-01-12"
    assert row[1] == report_data.b3.full_name


def test_category_filter_on_lists(client, manager, report_data):
    client.force_login(manager)
    r = report_data
    response = client.get(REQUESTS, {"year": "1446", "category": "orphans"})
    assert refs(response) == sorted(x.reference for x in (r.r1, r.r3, r.r4, r.r6))
    response = client.get(TICKETS, {"year": "1446", "category": "orphans"})
    assert refs(response) == [r.t5.reference]
    response = client.get(CONTACTS, {"year": "1446", "category": "families_in_need"})
    assert response.context["total"] == 1


def test_lists_are_keyset_paged(client, manager, report_data, settings):
    settings.MUSTAFID = {**settings.MUSTAFID, "PAGE_SIZE": 4}
    client.force_login(manager)
    first = client.get(REQUESTS, {"year": "1446"})
    assert len(first.context["lines"]) == 4 and first.context["total"] == 6
    assert first.context["page"].has_next
    second = client.get(REQUESTS, {"year": "1446", "after": first.context["page"].next_cursor})
    assert len(second.context["lines"]) == 2
    assert not set(refs(first)) & set(refs(second))
    # Newest submission first.
    assert first.context["listing"].rows[0][0] == report_data.r6.reference


def test_rows_link_to_their_records(client, manager, report_data):
    client.force_login(manager)
    response = client.get(TICKETS, {"year": "1446", "kind": "suggestion"})
    assert response.context["listing"].links == [
        reverse("contact:ticket", args=[report_data.t4.public_id])
    ]
    assert reverse("contact:ticket", args=[report_data.t4.public_id]) in response.content.decode()


def test_htmx_gets_the_rows_only(client, manager, report_data):
    client.force_login(manager)
    response = client.get(CONTACTS, {"year": "1446"}, HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "reports/_drilldown_rows.html"
    assert "<form" not in response.content.decode()


@pytest.mark.parametrize("url", [REQUESTS, TICKETS, CONTACTS])
def test_lists_refuse_other_roles(client, officer, url):
    client.force_login(officer)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [REQUESTS, TICKETS, CONTACTS])
def test_lists_need_sign_in(client, url):
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("url", [REQUESTS, TICKETS, CONTACTS])
def test_lists_reject_post(client, manager, url):
    client.force_login(manager)
    assert client.post(url).status_code == 405
