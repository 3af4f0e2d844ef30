import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["officer", "representative", "researcher", "volunteer"])
def test_other_roles_are_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["manager", "quality", "admin_user"])
def test_managers_quality_and_admins_see_it(client, request, persona, report_data):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL, {"year": "1446"})
    assert response.status_code == 200
    assert response.context["d"].requests_total == 6


def test_rejects_post(client, manager):
    client.force_login(manager)
    assert client.post(URL).status_code == 405


def test_page_shows_the_numbers_and_their_lists(client, manager, report_data):
    client.force_login(manager)
    response = client.get(URL, {"year": "1446"})
    html = response.content.decode()
    charts = response.context["charts"]
    assert [b.display for b in charts["decisions"]] == ["3", "1", "1", "1"]
    assert [b.url.rsplit("decision=", 1)[1] for b in charts["decisions"]] == [
        "on_time",
        "late",
        "overdue",
        "waiting",
    ]
    stage_urls = {b.label: b.url for b in charts["stage"]}
    assert all(url.startswith("/reports/requests/?year=1446") for url in stage_urls.values())
    assert "status=in_committee" in " ".join(stage_urls.values())
    assert "60.0%" in html  # decided on time
    assert "50.0%" in html  # acceptance


def test_drilldown_links_carry_the_filters(client, manager, report_data):
    client.force_login(manager)
    response = client.get(URL, {"year": "1446", "month": "2", "channel": "phone"})
    f = response.context["d"].filters
    assert (f.hijri_year, f.hijri_month, f.channel.code) == (1446, 2, "phone")
    url = response.context["links"]["overdue"]
    assert "year=1446" in url and "month=2" in url and "channel=phone" in url
    assert "decision=overdue" in url


def test_contacts_link_to_the_contact_list_unless_a_category_is_chosen(
    client, manager, report_data
):
    client.force_login(manager)
    response = client.get(URL, {"year": "1446"})
    phone = next(b for b in response.context["charts"]["contacts"] if "phone" in b.url)
    assert phone.url.startswith(reverse("contact:list"))
    assert "date_from=2024-07-07" in phone.url and "date_to=2025-06-25" in phone.url
    response = client.get(URL, {"year": "1446", "category": "orphans"})
    phone = next(b for b in response.context["charts"]["contacts"] if "phone" in b.url)
    assert phone.url.startswith(reverse("reports:contacts"))
    assert "category=orphans" in phone.url


def test_the_contact_list_link_shows_the_same_count(client, manager, report_data):
    client.force_login(manager)
    response = client.get(URL, {"year": "1446"})
    phone = next(b for b in response.context["charts"]["contacts"] if "channel=phone" in b.url)
    listed = client.get(phone.url)
    assert listed.context["page"].total == phone.value == 3


def test_default_period_is_the_current_hijri_year(client, manager):
    from django.utils import timezone

    from core.hijri import to_hijri

    client.force_login(manager)
    response = client.get(URL)
    f = response.context["d"].filters
    assert f.hijri_year == to_hijri(timezone.localdate()).year
    assert f.hijri_month is None
