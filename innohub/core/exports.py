"""Spreadsheets for download: the same sheets as CSV (UTF-8 with a BOM, sheets one after
another) or XLSX (openpyxl, one worksheet each). Numbers stay numbers, so that a
spreadsheet can add them up (amounts in integer đồng)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.http import Http404, HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
            writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        for title, header, rows in sheets:
            sheet = book.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", str(title))[:31])
            sheet.append(header)
            for row in rows:
                sheet.append(row)
        buffer_b = io.BytesIO()
        book.save(buffer_b)
        response = HttpResponse(buffer_b.getvalue(), content_type=XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
