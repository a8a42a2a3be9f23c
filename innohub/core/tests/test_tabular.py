"""core.tabular: files as people save them are read, bad ones refused with every problem and
nothing written, and what is written opens in a spreadsheet as numbers, dates and inert text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from innohub.core import tabular
from innohub.core.tabular import DATE, MONEY, Column, Formatted, Sheet, TabularError

ROWS = [["Tên", "Quận", "Số người"], ["Công ty Robot Phương Nam", "Quận 7", "12"], ["Viện Công nghệ Sinh học", "TP. Thủ Đức", ""]]


def _read(path: Path, **limits) -> tabular.Table:
    return tabular.read_table(path.read_bytes(), path.name, max_bytes=limits.get("max_bytes", 10 * 2**20),
                              max_rows=limits.get("max_rows", 1000))


def _csv_text(rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_csv_in_each_encoding_and_separator_reads_the_same(tmp_path, encoding, delimiter):
    """Given the same table saved as Excel saves it (UTF-8 with or without BOM, UTF-16 'Unicode
    text' with its BOM or without) with ',' ';' or tab, when it is read, then the header is
    normalised and every row comes with its spreadsheet row number and its Vietnamese intact."""
    path = tmp_path / "orgs.csv"
    path.write_bytes(_csv_text(ROWS, delimiter).encode(encoding))
    table = _read(path)
    assert table.header == ["ten", "quan", "so_nguoi"]
    assert table.raw_header == ["Tên", "Quận", "Số người"]
    assert table.rows == [(2, ROWS[1]), (3, ROWS[2])]


def test_nul_bytes_are_dropped_and_blank_rows_skipped_with_their_numbers_kept(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(b"name,team\x00\r\n\r\n,\r\nSao Mai,\x003\r\n")
    table = _read(path)
    assert table.header == ["name", "team"] and table.rows == [(4, ["Sao Mai", "3"])]


def test_a_file_in_an_old_code_page_is_refused_with_its_line(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes("name\nSao Mai \u01b0\u01a1c\n".encode("cp1258"))  # ư ơ as Windows-1258 writes them
    with pytest.raises(TabularError) as excinfo:
        _read(path)
    (problem,) = excinfo.value.problems
    assert problem.row == 2 and problem.code == "encoding" and "UTF-8" in problem.message


@pytest.mark.parametrize(("name", "data", "code"), [
    ("notes.txt", b"a,b\n1,2\n", "file_type"),
    ("book.xlsx", b"PK\x03\x04 not really a zip", "not_xlsx"),
    ("empty.csv", b"", "empty"),
    ("big.csv", b"x" * (2 * 2**20), "too_large"),
])
def test_an_unreadable_file_is_one_clear_problem(tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(TabularError) as excinfo:
        _read(path, max_bytes=2**20)
    assert [p.code for p in excinfo.value.problems] == [code]
    assert excinfo.value.problems[0].message


def _workbook(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_an_xlsx_is_read_with_typed_cells_as_text(tmp_path):
    path = _workbook(tmp_path / "s.xlsx", [["Unit", " INDICATOR ", "Year", "Value", "Founded"],
                                           ["Q1", "A1", 2024, 12.5, dt.date(2021, 5, 1)], [None, None, None, None, None],
                                           ["Q3", "A2", 2024.0, -3, None]])
    table = _read(path)
    assert table.header == ["unit", "indicator", "year", "value", "founded"]
    assert table.rows == [(2, ["Q1", "A1", "2024", "12.5", "2021-05-01"]), (4, ["Q3", "A2", "2024", "-3"])]


def _without_dimension(path: Path, replacement: str = "") -> bytes:
    """The workbook with its sheet's <dimension> element removed (or replaced), as some writers
    save it (openpyxl's own write-only mode among them): a reader cannot know the size in advance."""
    source, target = zipfile.ZipFile(path), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
                if replacement:
                    data = data.replace(b"<sheetViews>", replacement.encode() + b"<sheetViews>", 1)
                    assert replacement.encode() in data
            out.writestr(item, data)
    return target.getvalue()


def test_an_xlsx_over_the_row_limit_without_a_dimension_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    """Given a workbook of 20,000 rows whose sheet has no <dimension>, when it is read with a
    limit of 100 rows, then it is refused by a clear message as soon as the limit is passed."""
    pulled: list[int] = []
    streamed = tabular._xlsx_rows

    def counted(data: bytes):
        for row in streamed(data):
            pulled.append(1)
            yield row

    monkeypatch.setattr(tabular, "_xlsx_rows", counted)
    path = tmp_path / "huge.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["unit", "indicator", "year", "value"])
    for n in range(20_000):
        sheet.append(["Q1", "A1", 2000 + n % 50, n])
    book.save(path)
    data = _without_dimension(path)
    assert b"<dimension" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    with translation.override("en"), pytest.raises(TabularError) as excinfo:
        tabular.read_table(data, "huge.xlsx", max_bytes=10 * 2**20, max_rows=100)
    assert len(pulled) == 102  # the header, 100 rows, and the one too many
    (problem,) = excinfo.value.problems
    assert (problem.code, problem.row) == ("too_many_rows", 0)
    assert "more than 100 rows" in problem.message


def test_an_xlsx_whose_dimension_says_a1_is_read_whole(tmp_path):
    path = _workbook(tmp_path / "s.xlsx", [["a", "b"], *[[n, n * 2] for n in range(30)]])
    data = _without_dimension(path, '<dimension ref="A1"/>')
    table = tabular.read_table(data, "s.xlsx", max_bytes=2**20, max_rows=100)
    assert len(table.rows) == 30 and table.rows[-1] == (31, ["29", "58"])


def test_header_problems_name_every_wrong_column():
    problems = tabular.header_problems(["name", "colour", "name", ""], columns=["name", "kind", "helix"], required={"name", "kind"})
    assert [(p.row, p.column, p.code) for p in problems] == [
        (1, "colour", "unknown_column"), (1, "kind", "missing_column"), (1, "name", "repeated_column")]


# --- Writing -------------------------------------------------------------------------------------

DANGEROUS = ["=1+1", "+84 909 123 456", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "=HYPERLINK(\"http://x\")"]


def _sheets() -> list[Sheet]:
    columns = [Column("Tên"), Column("Số tiền (đồng)", MONEY), Column("Ngày", DATE), Column("Điểm")]
    rows = [[text, -40_000_000, dt.date(2026, 11, 22), -2.5] for text in DANGEROUS] + [["Bình thường", 1_500_000, None, None]]
    return [Sheet("Tổng hợp", columns, rows)]


def test_formula_text_is_neutralised_in_the_csv_and_numbers_stay_numbers():
    text = "".join(tabular.csv_lines(_sheets()))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows[0] == ["Tên", "Số tiền (đồng)", "Ngày", "Điểm"]
    assert [r[0] for r in rows[1:-1]] == ["'" + d for d in DANGEROUS]
    assert rows[1][1:] == ["-40000000", "22/11/2026", "-2.5"]
    assert rows[-1] == ["Bình thường", "1500000", "", ""]


def test_formula_text_is_neutralised_in_the_xlsx_which_has_formats_widths_and_a_frozen_header():
    book = load_workbook(io.BytesIO(tabular.xlsx_bytes(_sheets())))
    sheet = book["Tổng hợp"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Tên", "Số tiền (đồng)", "Ngày", "Điểm"] and all(c.font.b for c in sheet[1])
    assert [sheet.cell(r, 1).value for r in range(2, 2 + len(DANGEROUS))] == ["'" + d for d in DANGEROUS]
    assert all(sheet.cell(r, 1).data_type == "s" for r in range(2, 2 + len(DANGEROUS)))  # no formula cell
    money, day, score = sheet.cell(2, 2), sheet.cell(2, 3), sheet.cell(2, 4)
    assert (money.value, money.data_type, money.number_format) == (-40_000_000, "n", "#,##0")
    assert (day.value.date(), day.is_date, day.number_format) == (dt.date(2026, 11, 22), True, "dd/mm/yyyy")
    assert (score.value, score.data_type) == (-2.5, "n")
    assert sheet.column_dimensions["A"].width >= len("=HYPERLINK(\"http://x\")")
    assert 8 <= sheet.column_dimensions["C"].width <= 60


def test_a_formatted_cell_and_a_bad_sheet_title_are_written():
    book = load_workbook(io.BytesIO(tabular.xlsx_bytes([Sheet("A/B: [x]?", ["Item", "Value"], [["Share", Formatted(0.5, "0%")]])])))
    cell = book["A-B- -x--"].cell(2, 2)
    assert (cell.value, cell.number_format) == (0.5, "0%")


def test_a_control_character_does_not_break_the_xlsx():
    book = load_workbook(io.BytesIO(tabular.xlsx_bytes([Sheet("s", ["a"], [["bell\x07 here"]])])))
    assert book.active.cell(2, 1).value == "bell here"


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


def _kept_by_strip(value: str) -> bool:
    """The reader strips cells: only a text that stripping leaves alone (or whose leading tab or
    carriage return the writer protects) can come back as it was."""
    return value.rstrip() == value and (value.lstrip() == value or value.startswith(("\t", "\r")))


@settings(max_examples=150, deadline=None)
@given(st.lists(_TEXT.filter(_kept_by_strip).filter(bool), min_size=1, max_size=4))
def test_any_text_written_to_csv_reads_back_as_itself_and_is_stored_neutralised(values):
    text = "".join(tabular.csv_lines([Sheet("s", ["a", "b", "c", "d"][: len(values)], [values])]))
    stored = list(csv.reader(io.StringIO(text[1:], newline="")))[1]
    assert stored == [tabular.neutralise(v) for v in values]
    table = tabular.read_table(text.encode("utf-8"), "x.csv", max_bytes=2**20, max_rows=10)
    assert table.rows == [(2, values)]


_XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(_XML_TEXT.filter(lambda v: v.strip() == v), st.integers(min_value=-(10**12), max_value=10**12))
def test_any_text_written_to_xlsx_reads_back_as_itself_and_numbers_as_numbers(value, number):
    data = tabular.xlsx_bytes([Sheet("s", ["a", "b"], [[value, number]])])
    cells = [c.value for c in load_workbook(io.BytesIO(data)).active[2]]
    assert cells == [tabular.neutralise(value), number]
    assert tabular.read_table(data, "x.xlsx", max_bytes=2**20, max_rows=10).rows == [(2, [value, str(number)])]


# --- An import through the engine ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_bad_file_gets_every_problem_by_row_and_column_and_the_database_is_unchanged(tmp_path):
    """Given a ';'-separated file with a good row between two bad ones, when the directory
    imports it, then every problem comes back at once with its row and column, and no
    organisation or audit event is written (not even the good row)."""
    from innohub.activity.models import Event
    from innohub.directory.imports import organisations_import
    from innohub.directory.models import Organisation
    from innohub.directory.tests.factories import OrganisationFactory

    OrganisationFactory(tax_code="0399999999")
    path = tmp_path / "orgs.csv"
    path.write_bytes(("\ufeffname;kind;helix;tax_code;team_size\r\n"
                      "Công ty A;bakery;private;0399999999;mười\r\n"
                      "Công ty B;startup;private;0311111111;4\r\n"
                      ";startup;nowhere;;\r\n").encode("utf-8"))
    before = (list(Organisation.objects.values_list("pk", "name", "updated_at")), Event.objects.count())
    result = organisations_import(data=path.read_bytes(), filename=path.name, actor=None)
    assert {(p.row, p.column) for p in result.problems} == {
        (2, "kind"), (2, "tax_code"), (2, "team_size"), (4, "helix"), (4, "name")}
    assert all(p.message for p in result.problems)
    assert (list(Organisation.objects.values_list("pk", "name", "updated_at")), Event.objects.count()) == before


class _Unread(io.BytesIO):
    """An upload whose handler counted ``size`` bytes; reading it fails the test."""

    def __init__(self, size: int):
        super().__init__(b"")
        self.size = size

    def read(self, *args):
        raise AssertionError("the upload was read")


def test_an_upload_too_large_is_refused_by_its_size_before_it_is_read():
    with pytest.raises(tabular.TabularError) as refused:
        tabular.upload_read(_Unread(20 * 1024 * 1024), max_bytes=10 * 1024 * 1024)
    assert [p.message for p in refused.value.problems] == ["Tệp lớn hơn 10 MB (20.0 MB); hãy chia thành nhiều tệp."]


def test_an_upload_without_a_size_is_read_one_byte_past_the_limit_at_most():
    data = io.BytesIO(b"x" * 2048)
    with pytest.raises(tabular.TabularError) as refused:
        tabular.upload_read(data, max_bytes=1024)
    assert refused.value.problems[0].code == "too_large" and data.tell() == 1025
    assert tabular.upload_read(io.BytesIO(b"a,b\n1,2\n"), max_bytes=1024) == b"a,b\n1,2\n"
