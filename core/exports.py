"""Tables as downloads: Excel (.xlsx) and CSV, shared by every screen that offers an export.

A screen builds its headers and rows (already-translated labels, plain values) and returns
``table_response(...)``; ``requested_format(request)`` reads ``?export=xlsx|csv``. Logging an
export of personal data is the caller's job (it knows whether the rows name anyone).

- xlsx: one right-to-left sheet, a bold frozen header row, dates and times as real Excel dates
  (Riyadh time; Excel has no time zones), numbers as numbers, text never read as a formula.
- csv: UTF-8 with a byte-order mark (without it Excel shows Arabic as mojibake), CRLF line
  ends (RFC 4180), text that a spreadsheet would run as a formula prefixed with an apostrophe.

Both are built in memory (openpyxl in write-only mode keeps that small); callers bound the
rows they pass (drill-down lists cap what they export).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

__all__ = ["CONTENT_TYPES", "FORMATS", "requested_format", "table_response"]

FORMATS = ("xlsx", "csv")

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}

_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_TIME_FORMAT = "hh:mm"

# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV
# injection, OWASP): "=HYPERLINK(...)" typed into a complaint must stay text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Characters Excel refuses in a sheet name, and its length limit.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31

# Characters the XML of a worksheet cannot hold (control characters other than tab/newline).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def requested_format(request: HttpRequest) -> str | None:
    """The export format asked for with ``?export=xlsx|csv``, or None (show the page)."""
    value = request.GET.get("export", "").strip().lower()
    return value if value in FORMATS else None


def table_response(
    *,
    filename: str,
    title: str,
    headers: list[str],
    rows: Iterable[Sequence],
    fmt: str,
) -> HttpResponse:
    """A download of `rows` under `headers` as `fmt` ("xlsx" or "csv").

    `filename` is without extension; it is reduced to ASCII for the plain ``filename=`` and
    given in full (UTF-8) as ``filename*=``. `title` names the sheet and the workbook.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; expected one of {FORMATS}.")
    headers = [_text(h) for h in headers]
    if fmt == "xlsx":
        content = _xlsx(title=_text(title), headers=headers, rows=rows)
    else:
        content = _csv(headers=headers, rows=rows)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = _disposition(filename, fmt)
    # Exports may name beneficiaries: never kept by a shared cache or browser.
    response["Cache-Control"] = "private, no-store"
    return response


def ascii_filename(name: str, fmt: str) -> str:
    """`name` reduced to letters, digits, dot, dash and underscore, with the extension."""
    folded = unicodedata.normalize("NFKD", _text(name)).encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", folded).strip("-._")
    return f"{safe or 'export'}.{fmt}"


def _disposition(name: str, fmt: str) -> str:
    plain = ascii_filename(name, fmt)
    full = f"{_text(name).strip()}.{fmt}"
    header = f'attachment; filename="{plain}"'
    if full != plain and full.strip(".") and "\n" not in full and "\r" not in full:
        header += f"; filename*=UTF-8''{quote(full, safe='')}"
    return header


def _text(value) -> str:
    return str(value) if value is not None else ""


def _local(value: datetime) -> datetime:
    """Riyadh wall-clock time without tzinfo: Excel stores no time zone."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _sheet_title(title: str) -> str:
    cleaned = _SHEET_FORBIDDEN.sub(" ", title).strip().strip("'")
    return cleaned[:_SHEET_MAX] or "Sheet"


def _xlsx(*, title: str, headers: list[str], rows: Iterable[Sequence]) -> bytes:
    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    sheet = workbook.create_sheet(_sheet_title(title))
    sheet.sheet_view.rightToLeft = True
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = min(max(len(header) + 4, 14), 60)
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_ILLEGAL_XML.sub("", header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _xlsx_cell(sheet, value) -> WriteOnlyCell:
    if value is None:
        return WriteOnlyCell(sheet, value=None)
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = _DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = _DATE_FORMAT
        return cell
    if isinstance(value, time):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = _TIME_FORMAT
        return cell
    if isinstance(value, bool | int | float | Decimal):
        return WriteOnlyCell(sheet, value=value)
    text = _ILLEGAL_XML.sub("", str(value) if isinstance(value, Promise) else _text(value))
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl turns a string starting with "=" into a formula; keep every string a string.
    cell.data_type = "s"
    return cell


def _csv(*, headers: list[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_value(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool | int | float | Decimal):
        return str(value)
    text = _text(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
