"""The statistics as the department downloads them, read back as a spreadsheet would."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from innohub.qa.models import Question
from innohub.qa.tests.factories import QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures():
    """One question answered on time in 3.5 days, asked in October 2026; one still open
    past its due date; one open and not yet due."""
    topic = TopicFactory()
    asked = timezone.make_aware(dt.datetime(2026, 10, 5, 9, 0))
    answered = QuestionFactory(topic=topic, state="published")
    Question.objects.filter(pk=answered.pk).update(created_at=asked, closed_at=asked + dt.timedelta(days=3, hours=12), due_date=dt.date(2026, 10, 19))
    QuestionFactory(topic=topic, state="assigned", due_date=timezone.localdate() - dt.timedelta(days=1))
    QuestionFactory(topic=topic)


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_xlsx_holds_a_share_as_a_percentage_and_dates_as_dates(client_for, figures):
    response = client_for("manager").get("/qa/stats/export.xlsx", {"date_from": "2026-10-01", "date_to": timezone.localdate().isoformat()})
    book = load_workbook(io.BytesIO(response.content))
    totals = {row[0].value: row[1] for row in book["Tổng hợp"].iter_rows(min_row=2)}
    share = totals["Tỷ lệ trả lời đúng hạn"]
    assert (share.value, share.number_format) == (0.5, "0%")  # one on time, one open past due
    assert totals["Câu hỏi chưa trả lời đã quá hạn"].value == 1
    start = totals["Từ ngày"]
    assert (start.is_date, start.value.date(), start.number_format) == (True, dt.date(2026, 10, 1), "dd/mm/yyyy")
    assert totals["Đến ngày"].value.date() == timezone.localdate()
    assert totals["Thời gian trả lời trung vị (ngày)"].value == 3.5
    by_month = book["Theo tháng"]
    header = [c.value for c in by_month[1]]
    october = next(row for row in by_month.iter_rows(min_row=2) if row[0].value.date() == dt.date(2026, 10, 1))
    assert (october[0].is_date, october[0].number_format) == (True, "mm/yyyy")
    cells = dict(zip(header, october, strict=True))
    assert (cells["Tỷ lệ trả lời đúng hạn"].value, cells["Tỷ lệ trả lời đúng hạn"].number_format) == (1, "0%")
    assert cells["Câu hỏi chưa trả lời đã quá hạn"].value == 0


def test_the_xlsx_leaves_an_open_period_and_a_share_without_questions_empty(client_for):
    book = load_workbook(io.BytesIO(client_for("manager").get("/qa/stats/export.xlsx").content))
    totals = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert (totals["Từ ngày"], totals["Tỷ lệ trả lời đúng hạn"], totals["Câu hỏi"]) == (None, None, 0)


def test_the_vietnamese_csv_writes_decimals_with_a_decimal_comma(client_for, figures):
    rows = _rows(client_for("manager").get("/qa/stats/export.csv", {"date_from": "2026-10-01"}))
    assert ["Từ ngày", "01/10/2026"] in rows and ["Câu hỏi", "3"] in rows
    assert ["Thời gian trả lời trung vị (ngày)", "3,5"] in rows
    assert ["Tỷ lệ trả lời đúng hạn", "0,5"] in rows
    assert ["Câu hỏi chưa trả lời đã quá hạn", "1"] in rows
    assert ["10/2026", "1", "1", "0", "3,5", "3,5", "1,0"] in rows
    # the file holds the comma inside quotes, so the field separator stays ','
    assert '"3,5"' in client_for("manager").get("/qa/stats/export.csv").content.decode("utf-8-sig")


def test_the_english_csv_writes_decimals_with_a_point(client_for, figures):
    rows = _rows(client_for("manager").get("/en/qa/stats/export.csv", {"date_from": "2026-10-01"}))
    assert ["From", "01/10/2026"] in rows
    assert ["Answered on time (share)", "0.5"] in rows
    assert ["10/2026", "1", "1", "0", "3.5", "3.5", "1.0"] in rows
