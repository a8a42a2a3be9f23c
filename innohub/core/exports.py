"""Spreadsheets for download: the same sheets as CSV (UTF-8 with a BOM, sheets one after
another) or XLSX (openpyxl, one worksheet each). Numbers stay numbers, so that a
spreadsheet can add them up (amounts in integer đồng). A cell given as ``Formatted`` keeps
its value typed and is shown in its number format in the XLSX (a share as a percentage, a
date as a date cell); in the CSV a date reads dd/mm/yyyy (mm/yyyy for a month)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT, DATE, MONTH = "0%", "dd/mm/yyyy", "mm/yyyy"


@dataclass(frozen=True)
class Formatted:
    """A value with the number format its XLSX cell shows it in."""

    value: Any
    number_format: str


def _csv_cell(value: Any) -> Any:
    if not isinstance(value, Formatted):
        return value
    if isinstance(value.value, dt.date):
        return value.value.strftime("%m/%Y" if value.number_format == MONTH else "%d/%m/%Y")
    return value.value


def spreadsheet_response(name: str, fmt: str, sheets: list[tuple[str, list[str], list[list[Any]]]]) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Vietnamese correctly only with a BOM
        writer = csv.writer(buffer)
        for index, (title, header, rows) in enumerate(sheets):
            if index:
                writer.writerow([])
            if len(sheets) > 1:
                writer.writerow([title])
            writer.writerow(header)
            writer.writerows([_csv_cell(v) for v in row] for row in rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        def cell(sheet: Any, value: Any) -> Any:
            if not isinstance(value, Formatted):
                return value
            formatted = WriteOnlyCell(sheet, value=value.value)
            formatted.number_format = value.number_format
            return formatted

        book = Workbook(write_only=True)
        for title, header, rows in sheets:
            sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", str(title))[:31])
            sheet.append(header)
            for row in rows:
                sheet.append([cell(sheet, v) for v in row])
        buffer_b = io.BytesIO()
        book.save(buffer_b)
        response = HttpResponse(buffer_b.getvalue(), content_type=XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
