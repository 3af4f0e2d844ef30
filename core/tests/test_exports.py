import csv
import io
from datetime import UTC, date, datetime, time
from decimal import Decimal

import openpyxl
import pytest
from django.test import RequestFactory

from core.exports import FORMATS, ascii_filename, requested_format, table_response

HEADERS = ["الاسم", "التاريخ", "الوقت", "العدد", "النسبة"]
ROWS = [
    ["نورة العتيبي", date(2025, 9, 15), datetime(2025, 9, 15, 7, 30, tzinfo=UTC), 3, 0.5],
    ['=HYPERLINK("http://x")', None, None, Decimal("2.5"), None],
]


def _xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_formats_are_xlsx_and_csv():
    assert FORMATS == ("xlsx", "csv")


@pytest.mark.parametrize(
    ("query", "expected"),
    [("?export=xlsx", "xlsx"), ("?export=CSV", "csv"), ("?export=pdf", None), ("", None)],
)
def test_requested_format_reads_the_export_parameter(query, expected):
    assert requested_format(RequestFactory().get("/x" + query)) == expected


def test_xlsx_is_a_right_to_left_sheet_with_a_bold_header():
    response = table_response(
        filename="requests", title="الطلبات", headers=HEADERS, rows=ROWS, fmt="xlsx"
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = _xlsx(response)
    assert sheet.title == "الطلبات"
    assert sheet.sheet_view.rightToLeft is True
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == HEADERS
    assert all(c.font.b for c in sheet[1])
    assert sheet["A2"].value == "نورة العتيبي"


def test_xlsx_keeps_dates_as_dates_in_riyadh_time_and_numbers_as_numbers():
    sheet = _xlsx(table_response(filename="r", title="t", headers=HEADERS, rows=ROWS, fmt="xlsx"))
    assert sheet["B2"].is_date and sheet["B2"].value.date() == date(2025, 9, 15)
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    # 07:30 UTC is 10:30 in Riyadh.
    assert sheet["C2"].is_date and sheet["C2"].value == datetime(2025, 9, 15, 10, 30)
    assert sheet["D2"].value == 3 and sheet["E2"].value == 0.5
    assert sheet["D3"].value == 2.5
    assert sheet["B3"].value is None


def test_xlsx_never_turns_text_into_a_formula():
    sheet = _xlsx(table_response(filename="r", title="t", headers=HEADERS, rows=ROWS, fmt="xlsx"))
    assert sheet["A3"].data_type == "s"
    assert sheet["A3"].value == '=HYPERLINK("http://x")'


def test_xlsx_sheet_name_drops_characters_excel_refuses():
    sheet = _xlsx(
        table_response(
            filename="r",
            title="الطلبات: حسب [المرحلة]/" + "x" * 40,
            headers=["a"],
            rows=[],
            fmt="xlsx",
        )
    )
    assert not set(sheet.title) & set("[]:*?/\\")
    assert len(sheet.title) <= 31


def test_csv_has_a_bom_crlf_and_arabic():
    response = table_response(filename="r", title="t", headers=HEADERS, rows=ROWS, fmt="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in response.content
    assert response.content.count(b"\n") == response.content.count(b"\r\n") == 3
    rows = _csv(response)
    assert rows[0] == HEADERS
    assert rows[1] == ["نورة العتيبي", "2025-09-15", "2025-09-15 10:30", "3", "0.5"]


def test_csv_defuses_formulas():
    rows = _csv(table_response(filename="r", title="t", headers=HEADERS, rows=ROWS, fmt="csv"))
    assert rows[2][0] == '\'=HYPERLINK("http://x")'
    assert rows[2][1:] == ["", "", "2.5", ""]


def test_csv_writes_times_and_lazy_text():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    with translation.override("en"):
        response = table_response(
            filename="r",
            title="t",
            headers=["a", "b"],
            rows=[[time(9, 5), gettext_lazy("Home")]],
            fmt="csv",
        )
    assert _csv(response)[1] == ["09:05", "Home"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_download_names_are_ascii_with_the_full_name_encoded(fmt):
    response = table_response(filename="طلبات 1447-03", title="t", headers=["a"], rows=[], fmt=fmt)
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="1447-03.{fmt}"')
    assert "filename*=UTF-8''%D8%B7" in disposition
    disposition.encode("ascii")
    assert response["Cache-Control"] == "private, no-store"


def test_ascii_filename_falls_back_and_strips_quotes():
    assert ascii_filename("طلبات", "csv") == "export.csv"
    assert ascii_filename('a"b\r\nc', "xlsx") == "a-b-c.xlsx"
    assert ascii_filename("Requests by stage", "csv") == "Requests-by-stage.csv"


def test_header_injection_in_the_name_is_not_passed_on():
    response = table_response(
        filename="a\r\nSet-Cookie: x", title="t", headers=["a"], rows=[], fmt="csv"
    )
    assert "\n" not in response["Content-Disposition"]
    assert "filename*" not in response["Content-Disposition"]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        table_response(filename="r", title="t", headers=["a"], rows=[], fmt="pdf")
