"""The period and the filters, typed in either calendar, with errors in Arabic."""

import pytest
from django.urls import reverse

from reports.forms import ReportFilterForm
from reports.selectors import Filters, dashboard

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")


def test_a_hijri_month(client, manager, report_data):
    client.force_login(manager)
    d = client.get(URL, {"year": "1446", "month": "2"}).context["d"]
    assert (d.filters.start.isoformat(), d.filters.end.isoformat()) == ("2024-08-05", "2024-09-03")
    assert d.requests_total == 1  # R2, submitted 01/09/2024 = 28 Safar
    assert d.tickets.total == 1  # T2
    assert d.satisfaction.answers == 5
    assert [p.month for p in d.satisfaction.points] == [2]


def test_gregorian_dates(client, manager, report_data):
    client.force_login(manager)
    d = client.get(URL, {"date_from": "2024-09-01", "date_to": "31/10/2024"}).context["d"]
    assert d.filters.hijri_year is None
    assert d.requests_total == 2  # R2, R3
    # The trend covers the Hijri months the range touches: Safar to Rabi al-Thani.
    assert [p.month for p in d.satisfaction.points] == [2, 3, 4]


def test_hijri_typed_dates(client, manager, report_data):
    client.force_login(manager)
    d = client.get(URL, {"date_from": "٠١/٠٤/١٤٤٦هـ", "date_to": "30/04/1446"}).context["d"]
    assert d.filters.start.isoformat() == "2024-10-04"
    assert d.requests_total == 1  # R4, submitted 01/11/2024 = 29 Rabi al-Thani


def test_dates_win_over_the_year(manager):
    form = ReportFilterForm(
        {"year": "1440", "date_from": "2024-09-01", "date_to": "2024-09-30"}, user=manager
    )
    assert form.is_valid()
    assert form.filters().start.isoformat() == "2024-09-01"


def test_channel_and_category(manager, report_data):
    f = Filters.hijri(
        1446, channel=report_data.channels["phone"], category=report_data.categories["orphans"]
    )
    d = dashboard(manager, f)
    assert d.requests_total == 2  # R4 (B1), R6 (B3)
    # Under a category filter the breakdown by category is that category's line (B1 is
    # also a widow, but the daily figures count a category's requests, not its overlaps).
    assert {r.key: r.value for r in d.by_category} == {"orphans": 2}
    assert d.contacts_total == 0  # the phone calls were from unidentified callers
    assert d.tickets.total == 1  # T5, about B3 by phone


def test_end_before_start_is_explained_in_arabic(client, manager):
    client.force_login(manager)
    response = client.get(URL, {"date_from": "2024-10-01", "date_to": "2024-09-01"})
    assert response.status_code == 200
    assert "d" not in response.context
    assert "تاريخ النهاية يسبق تاريخ البداية." in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date_from": "2024-10-01"}, "__all__"),
        ({"date_to": "2024-10-01"}, "__all__"),
        ({"date_from": "2020-01-01", "date_to": "2024-10-01"}, "date_to"),
        ({"year": "1300"}, "year"),
        ({"year": "1500"}, "year"),
        ({"year": "abc"}, "year"),
        ({"month": "13"}, "month"),
        ({"date_from": "31/02/2024", "date_to": "2024-03-05"}, "date_from"),
        ({"branch": "nowhere"}, "branch"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_bad_filters_are_refused(manager, data, field):
    form = ReportFilterForm(data, user=manager)
    assert not form.is_valid()
    assert field in form.errors


def test_errors_show_no_figures_and_no_export(client, manager):
    client.force_login(manager)
    response = client.get(URL, {"year": "1300", "export": "csv", "table": "stage"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'aria-invalid="true"' in response.content.decode()


def test_only_filter_parameters_are_read(manager):
    form = ReportFilterForm({"export": "csv", "table": "stage", "after": "x"}, user=manager)
    assert not form.is_bound


def test_arabic_indic_year(client, manager, report_data):
    client.force_login(manager)
    assert client.get(URL, {"year": "١٤٤٦"}).context["d"].requests_total == 6
