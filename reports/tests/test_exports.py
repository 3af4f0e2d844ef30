"""Every table exports to Excel and CSV; a list that names people is recorded and logged."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from core.models import ActivityLog
from reports.models import Export

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
TABLES = [
    "stage",
    "channel",
    "branch",
    "category",
    "decisions",
    "tickets",
    "complaints",
    "contacts",
    "satisfaction",
]


def sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("table", TABLES)
def test_every_dashboard_table_exports_to_both_formats(client, manager, report_data, table):
    client.force_login(manager)
    xlsx = client.get(DASHBOARD, {"year": "1446", "export": "xlsx", "table": table})
    assert xlsx.status_code == 200
    disposition = xlsx["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{table}-20240707-20250625.xlsx"')
    ws = sheet(xlsx)
    assert ws.sheet_view.rightToLeft
    parsed = rows(client.get(DASHBOARD, {"year": "1446", "export": "csv", "table": table}))
    assert [c.value for c in ws[1]] == parsed[0]
    assert len(parsed) == ws.max_row


def test_the_stage_table_holds_the_numbers(client, manager, report_data):
    client.force_login(manager)
    ws = sheet(client.get(DASHBOARD, {"year": "1446", "export": "xlsx", "table": "stage"}))
    values = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [v[1] for v in values] == [1, 1, 2, 1, 1]
    assert sum(v[1] for v in values) == 6
    assert values[2][2] == 33.3  # approved: 2 of 6


def test_the_satisfaction_table_keeps_small_months_hidden(client, manager, report_data):
    client.force_login(manager)
    data = rows(client.get(DASHBOARD, {"year": "1446", "export": "csv", "table": "satisfaction"}))
    assert len(data) == 1 + 12 + 1
    assert data[2][1:] == ["5", "4.0", "0.0"]  # Safar
    assert data[3][1:] == ["3", "", ""]  # Rabi al-Awwal: 3 answers, hidden
    assert data[-1][1:] == ["14", "4.21", "35.7"]


def test_aggregates_are_not_logged(client, manager, report_data):
    client.force_login(manager)
    client.get(DASHBOARD, {"year": "1446", "export": "csv", "table": "stage"})
    assert not Export.objects.exists()
    assert not ActivityLog.objects.filter(action="reports.exported").exists()


def test_unknown_table_is_404(client, manager):
    client.force_login(manager)
    assert client.get(DASHBOARD, {"export": "csv", "table": "nope"}).status_code == 404


def test_compliance_table_exports(client, manager, report_data):
    client.force_login(manager)
    url = reverse("reports:compliance")
    data = rows(client.get(url, {"year": "1446", "export": "csv"}))
    assert len(data) == 1 + 15
    assert [r[0] for r in data[1:3]] == ["P1", "P1"]
    assert "P6.5" in [r[0] for r in data]
    ws = sheet(client.get(url, {"year": "1446", "export": "xlsx", "table": "compliance"}))
    assert ws.max_row == 16
    assert client.get(url, {"export": "csv", "table": "stage"}).status_code == 404


def test_a_list_export_is_recorded_and_logged(client, manager, report_data):
    client.force_login(manager)
    response = client.get(
        reverse("reports:requests"), {"year": "1446", "decision": "on_time", "export": "xlsx"}
    )
    ws = sheet(response)
    assert ws.max_row == 1 + 3
    assert ws["A1"].font.b
    assert ws.cell(row=2, column=6).is_date  # submitted at: a real date
    export = Export.objects.get()
    assert (export.user, export.kind, export.fmt, export.row_count) == (
        manager,
        "requests",
        "xlsx",
        3,
    )
    assert export.filters == {"year": "1446", "decision": "on_time"}
    entry = ActivityLog.objects.get(action="reports.exported")
    assert entry.actor == manager
    assert entry.target_id == str(export.pk)
    assert entry.data["rows"] == 3 and entry.data["format"] == "XLSX"


@pytest.mark.parametrize(
    ("url", "kind", "count"),
    [
        ("reports:tickets", "tickets", 5),
        ("reports:contacts", "contacts", 6),
    ],
)
def test_ticket_and_contact_lists_export_to_csv(client, quality, report_data, url, kind, count):
    client.force_login(quality)
    data = rows(client.get(reverse(url), {"year": "1446", "export": "csv"}))
    assert len(data) == 1 + count
    assert Export.objects.get().kind == kind


def test_list_export_respects_the_branch(client, branch_manager, report_data):
    client.force_login(branch_manager)
    data = rows(client.get(reverse("reports:requests"), {"year": "1446", "export": "csv"}))
    assert len(data) == 1 + 4
    assert report_data.r1.reference not in {r[0] for r in data}


def test_list_export_is_capped(client, manager, report_data, monkeypatch):
    monkeypatch.setattr("reports.views.EXPORT_MAX_ROWS", 2)
    client.force_login(manager)
    data = rows(client.get(reverse("reports:requests"), {"year": "1446", "export": "csv"}))
    assert len(data) == 1 + 2
    assert Export.objects.get().row_count == 2
