import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_date_preview_shows_both_calendars(client, officer):
    client.force_login(officer)
    response = client.get(reverse("core:date_preview"), {"birth_date": "٢٣/٠٣/١٤٤٧"})
    assert "23/03/1447هـ — 15/09/2025م" in response.content.decode()


def test_date_preview_explains_a_bad_date_in_arabic(client, officer):
    client.force_login(officer)
    response = client.get(reverse("core:date_preview"), {"birth_date": "31/02/2020"})
    assert "hint-error" in response.content.decode()


def test_date_preview_needs_login(client):
    assert client.get(reverse("core:date_preview"), {"x": "1"}).status_code == 302


def test_home_shows_figures_in_scope(client, representative, beneficiary, other_rep):
    client.force_login(other_rep)
    assert client.get(reverse("core:home")).context["stats"]["total"] == 0
    client.force_login(representative)
    assert client.get(reverse("core:home")).context["stats"]["total"] == 1


def test_home_rejects_post(client, officer):
    client.force_login(officer)
    assert client.post(reverse("core:home")).status_code == 405
