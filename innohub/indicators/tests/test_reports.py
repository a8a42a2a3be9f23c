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


def test_the_spreadsheets_round_as_the_pages_do_except_the_raw_scores_sheet_which_says_so(client, finished_run):
    book = load_workbook(io.BytesIO(client.get(reverse("indicators:report", args=["xlsx"])).content))
    top = finished_run.results.get(code="INDEX", year=2025, rank=1)
    ranking = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert ranking[0][3] == round(top.score, 2)
    assert all(v is None or round(v, 2) == v for row in ranking for v in row[3:])
    raw = list(book["Tất cả điểm"].iter_rows(values_only=True))
    assert raw[0][4] == "Điểm (chưa làm tròn)"
    assert any(row[4] == top.score and row[2] == "INDEX" and row[0] == 2025 for row in raw[1:])
    numbers = [v for row in book["Bất định"].iter_rows(min_row=2, values_only=True) for v in row
               if isinstance(v, int | float)]
    assert numbers and all(round(v, 1) == v for v in numbers)
    sources = {row[0]: row[6] for row in book["Các chỉ tiêu"].iter_rows(min_row=2, values_only=True)}
    assert sources["A1"] == "Số liệu thống kê nhập vào" and sources["S1"] == "Tính từ dữ liệu của nền tảng"
    unit_book = load_workbook(io.BytesIO(client.get(reverse("indicators:unit-report", args=["Q3", "xlsx"])).content))
    numbers = [v for sheet in unit_book.worksheets for row in sheet.iter_rows(min_row=2, values_only=True)
               for v in row if isinstance(v, float)]
    assert numbers and all(round(v, 2) == v for v in numbers)


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
