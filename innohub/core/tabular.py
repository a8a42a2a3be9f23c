"""The one CSV/XLSX engine: every import reads its file here and every export writes here.

Reading turns the bytes of an upload into a normalised header and the data rows with their
row numbers (as a spreadsheet numbers them: the header is row 1), every cell as text. A CSV
may be UTF-8 with or without a BOM or UTF-16 (Excel's "Unicode text"); its separator is
sniffed among ``,`` ``;`` and tab (Vietnamese-locale Excel writes ``;``) and NUL bytes are
dropped. Any other encoding is refused with a message that says how to save the file: a
guessed code page would silently garble Vietnamese. An XLSX is streamed by openpyxl in
read-only mode, ignoring the ``<dimension>`` a writer may leave out or get wrong, and reading
stops with a clear refusal as soon as the row limit is passed, so a workbook of millions of
rows cannot hold a worker. An upload's size is checked before any of it is read
(``upload_read``), and a file too large is reported with its real size. Every problem is a ``Problem`` (row, column, message, code); an
import checks the whole file, collects them all, and writes nothing unless there are none.

Writing takes sheets of typed cells: numbers stay numbers, dates become date cells, and a
``Column`` carries the translated name shown as its header, its width and its number format
(integer đồng ``#,##0``, dates ``dd/mm/yyyy``). Every text cell that a spreadsheet would read
as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is written
with a leading ``'`` as OWASP recommends against CSV injection, in CSV and XLSX alike; the
reader removes that ``'`` again, so an export re-imports as it was. openpyxl and the standard
csv module do the work; what is written here is only the policy around them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from innohub.core.errors import ApplicationError
from innohub.core.text import search_key

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
MONEY = "#,##0"  # integer đồng
INTEGER = "#,##0"
DECIMAL = "0.00"
PERCENT = "0%"
DATE = "dd/mm/yyyy"
MONTH = "mm/yyyy"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
# openpyxl refuses these in a cell (XML 1.0 forbids them); a stray one in a description must
# not make a whole export fail
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WIDTH_SAMPLE = 200  # rows looked at to size the columns, so that a long export still streams
_MIN_WIDTH, _MAX_WIDTH = 8, 60


# --- Problems ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: its row (0 for the file as a whole, 1 for the header), its
    column (normalised name, or "" for the whole row), a message for the reader and a stable
    code for programs."""

    row: int
    column: str
    message: str
    code: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": str(self.message), "code": self.code}


class TabularError(ApplicationError):
    """The file as a whole cannot be read (size, type, encoding, too many rows)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(_("The file cannot be imported."), extra={"problems": [p.as_dict() for p in problems]})
        self.problems = problems


@dataclass
class Problems:
    """Every problem of one file, in the order found, up to ``limit`` (then one more saying the
    rest was not checked)."""

    limit: int = 1000
    items: list[Problem] = field(default_factory=list)

    def add(self, row: int, column: str, message: str, code: str = "") -> None:
        self.items.append(Problem(row, column, message, code))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def full(self) -> bool:
        return len(self.items) >= self.limit

    def stop(self, row: int) -> None:
        self.add(row, "", _("Too many problems; the rest of the file was not checked."), "too_many_problems")

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


# --- Reading -------------------------------------------------------------------------------------


@dataclass
class Table:
    """A file read: its header (normalised), the header as written, and each non-empty data row
    as (row number, cells as text)."""

    header: list[str]
    raw_header: list[str]
    rows: list[tuple[int, list[str]]]


def normalise_header(name: str) -> str:
    """A column name as the code compares it: lower case, diacritics folded, ``_`` for spaces."""
    return search_key(name).replace(" ", "_")


def neutralise(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, prefixed with ``'``; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _unneutralise(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def cell_text(value: Any) -> str:
    """A cell as text: empty for nothing, ISO for a date, ``12`` for the float 12.0, stripped,
    and without the ``'`` the writer puts before a formula-like text."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _unneutralise(str(value).strip())


def _file_problem(message: str, code: str, row: int = 0) -> TabularError:
    return TabularError([Problem(row, "", message, code)])


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[3:], "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif len(data) >= 2 and data[0] != 0 and data[1] == 0:
        encoding = "utf-16-le"  # UTF-16 saved without its BOM: every ASCII letter followed by a NUL
    elif len(data) >= 2 and data[0] == 0 and data[1] != 0:
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _file_problem(
            _("The file is not in UTF-8 (byte %(pos)d on line %(line)d). Save it as \"CSV UTF-8\" and try again.")
            % {"pos": exc.start, "line": line}, "encoding", row=line) from None
    return text.replace("\x00", "")


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count)


def _too_many_rows(max_rows: int) -> TabularError:
    return _file_problem(_("The file has more than %(max)d rows; split it into several files.") % {"max": max_rows}, "too_many_rows")


def _collect(raw: Iterator[Sequence[Any]], max_rows: int) -> Table:
    """Header and non-empty rows, refusing as soon as more than ``max_rows`` data rows (or as
    many blank ones: formatted but empty rows also cost reading) have been read."""
    header_row = next(raw, None)
    raw_header = [cell_text(c) for c in header_row] if header_row is not None else []
    while raw_header and not raw_header[-1]:
        raw_header.pop()
    if not raw_header:
        raise _file_problem(_("The file is empty."), "empty", row=1)
    rows: list[tuple[int, list[str]]] = []
    blank = 0
    for number, values in enumerate(raw, start=2):
        cells = [cell_text(v) for v in values]
        if not any(cells):
            blank += 1
            if blank > max_rows:
                raise _too_many_rows(max_rows)
            continue
        if len(rows) >= max_rows:
            raise _too_many_rows(max_rows)
        rows.append((number, cells))
    return Table([normalise_header(h) for h in raw_header], raw_header, rows)


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    return csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))


def _xlsx_rows(data: bytes) -> Iterator[Sequence[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _file_problem(_("The file is not a valid XLSX workbook."), "not_xlsx") from exc
    try:
        sheet = workbook.worksheets[0]
        # a writer may leave <dimension> out or write A1 for any size: read what is there
        sheet.reset_dimensions()  # type: ignore[union-attr]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _too_large(size: int | None, max_bytes: int) -> TabularError:
    limit = max_bytes // 1024 // 1024
    if size is None:  # only "more than the limit" is known: the rest was never read
        return _file_problem(_("The file is larger than %(limit)d MB; split it into several files.") % {"limit": limit}, "too_large")
    return _file_problem(_("The file is larger than %(limit)d MB (%(size)s MB); split it into several files.") % {
        "size": f"{size / 1024 / 1024:.1f}", "limit": limit}, "too_large")


def upload_read(upload: Any, *, max_bytes: int) -> bytes:
    """The bytes of an uploaded file for `read_table`, or ``TabularError`` (with the file's real
    size) when it is larger than ``max_bytes``: judged by the size the upload handler counted
    before anything is read into memory, then by reading at most one byte past the limit (a
    file-like object without a size)."""
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise _too_large(size, max_bytes)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(size if isinstance(size, int) and size > max_bytes else None, max_bytes)
    return data


def read_table(data: bytes, filename: str, *, max_bytes: int, max_rows: int) -> Table:
    """The header and rows of a CSV or XLSX upload; ``TabularError`` (with its one problem) when
    the file is too large, of another type, not readable, empty or over ``max_rows`` rows.
    ``data`` is the whole file (`upload_read` gives it for an upload)."""
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    name = filename.lower()
    if not name.endswith((".csv", ".xlsx")):
        # judged by the name before any byte is read: a .txt or .docx read as CSV would only
        # come back as a puzzling header ("hello_world") or a workbook error
        raise _file_problem(_("Only .csv and .xlsx files can be imported; “%(name)s” is neither.") % {"name": filename or "—"},
                            "file_type")
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _collect(_xlsx_rows(data), max_rows)
    return _collect(_csv_rows(data), max_rows)


def header_problems(header: list[str], *, columns: Sequence[str], required: Iterable[str]) -> list[Problem]:
    """Unknown, missing and repeated columns of a normalised header, each at row 1."""
    problems: list[Problem] = []
    for name in header:
        if name and name not in columns:
            problems.append(Problem(1, name, _("Unknown column “%(column)s”. The columns are: %(columns)s.") % {
                "column": name, "columns": ", ".join(columns)}, "unknown_column"))
    for name in [c for c in columns if c in set(required)]:
        if name not in header:
            problems.append(Problem(1, name, _("Missing column “%(column)s”: it is required.") % {"column": name}, "missing_column"))
    for name in sorted({h for h in header if h and header.count(h) > 1}):
        problems.append(Problem(1, name, _("The column “%(column)s” appears more than once.") % {"column": name}, "repeated_column"))
    return problems


# --- Writing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of an export: its header (a translated name, not a code), the number format its
    numbers and dates are shown in, and a width in characters (sized from the content if None)."""

    title: Any  # a translated name; a year heading a column of years' figures stays a number
    number_format: str | None = None
    width: float | None = None


@dataclass(frozen=True)
class Formatted:
    """One cell with its own number format (a sheet of item/value pairs mixes them)."""

    value: Any
    number_format: str


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column | str | int]  # a bare name (or year) is a column without format
    rows: Iterable[Sequence[Any]]


def _column(column: Column | str | int) -> Column:
    return column if isinstance(column, Column) else Column(column)


def _csv_value(value: Any, number_format: str | None = None) -> Any:
    if isinstance(value, Formatted):
        value, number_format = value.value, value.number_format
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%m/%Y" if number_format == MONTH else "%d/%m/%Y")
    return neutralise(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(sheets: Sequence[Sheet]) -> Iterator[str]:
    """CSV text in pieces (for a streaming response), UTF-8 with a BOM so that Excel reads the
    Vietnamese; several sheets follow one another, each under its title and a blank line."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for index, sheet in enumerate(sheets):
        columns = [_column(c) for c in sheet.columns]
        if index:
            yield writer.writerow([])
        if len(sheets) > 1:
            yield writer.writerow([neutralise(str(sheet.title))])
        yield writer.writerow([neutralise(c.title) for c in columns])
        formats = [c.number_format for c in columns]
        for row in sheet.rows:
            yield writer.writerow([_csv_value(v, formats[i] if i < len(formats) else None) for i, v in enumerate(row)])


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(_ILLEGAL_XML.sub("", value))
    return value


def _display_width(value: Any) -> int:
    if isinstance(value, Formatted):
        value = value.value
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, int | float) and not isinstance(value, bool):
        return len(f"{value:,}") + 1
    return max((len(line) for line in str(value or "").splitlines()), default=0)


def sheet_title(title: str) -> str:
    """A worksheet's name as Excel allows it: 31 characters, none of ``[]:*?/\\``."""
    return _SHEET_TITLE_BAD.sub("-", str(title))[:31] or "-"


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook, one worksheet per sheet: header row bold and frozen, columns sized and
    formatted, rows streamed (openpyxl write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        columns = [_column(c) for c in sheet.columns]
        ws = book.create_sheet(title=sheet_title(sheet.title))
        rows = iter(sheet.rows)
        sample = [list(r) for _i, r in zip(range(_WIDTH_SAMPLE), rows, strict=False)]
        width_of = max([len(columns)] + [len(r) for r in sample])
        for i in range(width_of):
            column = columns[i] if i < len(columns) else Column("")
            width = column.width or min(_MAX_WIDTH, max([_MIN_WIDTH, len(str(column.title)) + 2]
                                                        + [_display_width(r[i]) + 2 for r in sample if i < len(r)]))
            ws.column_dimensions[get_column_letter(i + 1)].width = width
        ws.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(ws, value=_xlsx_value(column.title))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        formats = [c.number_format for c in columns]

        def cell_of(value: Any, number_format: str | None, ws: Any = ws) -> Any:
            if isinstance(value, Formatted):
                value, number_format = value.value, value.number_format
            value = _xlsx_value(value)
            if isinstance(value, dt.date | dt.datetime) and number_format is None:
                number_format = DATE
            if number_format is None or isinstance(value, str) or value is None:
                return value
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = number_format
            return cell

        for row in (*sample, *rows):
            ws.append([cell_of(v, formats[i] if i < len(formats) else None) for i, v in enumerate(row)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def spreadsheet_response(name: str, fmt: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """A download of the sheets as ``name.csv`` or ``name.xlsx``; 404 for any other format."""
    if fmt == "csv":
        response = HttpResponse("".join(csv_lines(sheets)), content_type=CSV_TYPE)
    elif fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
