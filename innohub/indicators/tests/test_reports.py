"""Given a finished run, when its reports are made, then the PDF shows names as they are written
(markup characters included), table headings wrap between words, and the spreadsheets hold the
numbers as the pages show them."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from innohub.indicators import reports, selectors
from innohub.indicators.models import Unit

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_names_with_ampersands_and_angle_brackets_show_as_written_in_the_pdfs(client, finished_run):
    snapshot = finished_run.framework_snapshot
    snapshot["indicators"][0]["name"] = "Chi cho R&D <trên GRDP>"
    finished_run.save(update_fields=["framework_snapshot"])
    Unit.objects.filter(code="Q3").update(name="Quận 3 & <Võ Văn Tần>")
    framework_text = pdf_text(client.get(reverse("indicators:report", args=["pdf"])).content)
    assert "Chi cho R&D <trên GRDP>" in framework_text and "R&D;" not in framework_text
    assert "Quận 3 & <Võ Văn Tần>" in framework_text
    unit_text = pdf_text(client.get(reverse("indicators:unit-report", args=["Q3", "pdf"])).content)
    assert "Quận 3 & <Võ Văn Tần>" in unit_text and "Chi cho R&D <trên GRDP>" in unit_text


def test_a_table_heading_wider_than_its_column_wraps_between_words():
    styles = reports._styles()
    table = reports._table([["Infrastructure", "Market development"], ["81,20", "7,01"]], [60, 60], styles)
    lines = pdf_text(reports._pdf([table])).splitlines()
    assert "Infrastructure" in lines
    assert "development" in " ".join(lines)
    assert not any(line.endswith(("Infrastructur", "deve")) for line in lines)


def test_units_of_measure_and_sources_read_in_the_pages_language(client, client_for, finished_run):
    unit, staff_page = reverse("indicators:unit", args=["Q1"]), reverse("indicators:staff")
    report_pdf, report_xlsx = reverse("indicators:report", args=["pdf"]), reverse("indicators:report", args=["xlsx"])
    unit_pdf = reverse("indicators:unit-report", args=["Q1", "pdf"])
    unit_xlsx = reverse("indicators:unit-report", args=["Q1", "xlsx"])
    vietnamese = client.get(unit).content.decode()
    assert "triệu đồng" in vietnamese and "million VND" not in vietnamese
    text = pdf_text(client.get(report_pdf).content)
    assert "triệu đồng" in text and "Cục Thống kê (thử nghiệm)" in text

    english = client.get("/en" + unit).content.decode()
    assert "million VND" in english and "points" in english
    assert "triệu đồng" not in english and "điểm" not in english
    staff = client_for("manager").get("/en" + staff_page).content.decode()
    assert "(million VND)" in staff and "triệu đồng" not in staff
    text = pdf_text(client.get("/en" + report_pdf).content)
    assert "million VND" in text and "Statistics Office (test)" in text
    assert "triệu đồng" not in text and "Cục Thống kê" not in text
    text = pdf_text(client.get("/en" + unit_pdf).content)
    assert "million VND" in text and "triệu đồng" not in text
    book = load_workbook(io.BytesIO(client.get("/en" + report_xlsx).content))
    measures = {row[0]: row[3] for row in book["Indicator list"].iter_rows(min_row=2, values_only=True)}
    assert measures["B1"] == "million VND" and measures["A2"] == "points"
    book = load_workbook(io.BytesIO(client.get("/en" + unit_xlsx).content))
    measures = {row[0]: row[4] for row in book["Indicator list"].iter_rows(min_row=2, values_only=True)}
    assert measures["B1"] == "million VND"


def test_a_value_reads_the_same_on_the_page_and_in_the_pdf_whole_numbers_without_decimals(client, finished_run):
    page = client.get(reverse("indicators:unit", args=["Q1"])).content.decode()
    text = pdf_text(client.get(reverse("indicators:unit-report", args=["Q1", "pdf"])).content)
    # Quận 1's A1 in 2025 is 14 (%), its B1 93 (triệu đồng)
    for shown in ("14 %", "93 triệu đồng"):
        assert shown in page and shown in text
    assert "14,00 %" not in text and "93,00 triệu đồng" not in text


def test_the_spreadsheets_keep_full_precision_shown_rounded_with_names_beside_codes(client, finished_run):
    # the sheets held values rounded away (or unrounded floats shown as 66.66666666666666)
    book = load_workbook(io.BytesIO(client.get(reverse("indicators:report", args=["xlsx"])).content))
    top = finished_run.results.get(code="INDEX", year=2025, rank=1)
    sheet = book.worksheets[0]
    assert sheet.cell(row=2, column=4).value == top.score  # every digit kept
    assert all(sheet.cell(row=2, column=c).number_format == "0.00" for c in range(4, sheet.max_column + 1))
    widths = {sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert len(widths) > 1  # fitted to the content, not one width for all
    raw = list(book["Tất cả điểm"].iter_rows(values_only=True))
    assert raw[0][:6] == ("Năm", "Mã đơn vị", "Đơn vị", "Mã", "Tên", "Cấp")
    assert any(row[6] == top.score and row[3] == "INDEX" and row[4] == "Chỉ số" and row[0] == 2025 for row in raw[1:])
    assert book["Bất định"].cell(row=2, column=4).number_format == "0.0"
    method = [row[0] for row in book["Phương pháp"].iter_rows(min_row=2, values_only=True)]
    assert any(line and line.startswith("Chuẩn hóa") for line in method)
    sources = {row[0]: row[6] for row in book["Các chỉ tiêu"].iter_rows(min_row=2, values_only=True)}
    assert sources["A1"] == "Số liệu thống kê nhập vào" and sources["S1"] == "Tính từ dữ liệu của nền tảng"
    unit_book = load_workbook(io.BytesIO(client.get(reverse("indicators:unit-report", args=["Q3", "xlsx"])).content))
    assert unit_book.worksheets[0].cell(row=2, column=3).number_format == "0.00"


def test_the_spreadsheets_indicator_list_names_the_pillar_and_says_which_way_is_better(client, finished_run):
    # the sheet gave a pillar's code and the direction as 1 or -1
    book = load_workbook(io.BytesIO(client.get(reverse("indicators:report", args=["xlsx"])).content))
    sheet = book["Các chỉ tiêu"]
    header = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    pillars = {row[header.index("Trụ cột")] for row in rows}
    directions = {row[header.index("Chiều")] for row in rows}
    names = {p.name for p in selectors.columns(finished_run)[1]}
    assert pillars <= names and pillars
    assert directions <= {"Càng cao càng tốt", "Càng thấp càng tốt"} and directions
