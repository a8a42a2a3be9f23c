"""Reading and checking a file of statistics (CSV or XLSX) before any of it is written.

One row per value: ``unit`` (a unit's code or name), ``indicator`` (a code of the framework),
``year``, ``value`` and an optional ``note``. The whole file is checked first and every problem
is returned with its row (as a spreadsheet numbers it: the header is row 1), its column and a
message; the service writes nothing unless there are none. openpyxl reads XLSX in read-only mode
so a large workbook streams; the csv module reads CSV, which must be UTF-8 (with or without BOM).
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

REQUIRED_COLUMNS = ("unit", "indicator", "year", "value")
OPTIONAL_COLUMNS = ("note",)
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_PROBLEMS = 200
YEAR_RANGE = (1990, 2100)


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class CleanRow:
    row: int
    unit_id: int
    indicator_id: int
    year: int
    value: float
    note: str


@dataclass
class Checked:
    rows: list[CleanRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(row, column, message))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(data: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The header (lower-cased) and the data rows with their row numbers; ValueError with a
    user-facing message when the file cannot be read at all."""
    name = filename.lower()
    if len(data) > MAX_BYTES:
        raise ValueError(_("The file is larger than %(mb)d MB; split it into smaller files.") % {"mb": MAX_BYTES // 2**20})
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ValueError(_("The file is not a valid XLSX workbook.")) from exc
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            raise ValueError(_("The file is empty."))
        header = [_cell_text(c).lower() for c in header_row]
        return header, ((n, list(r)) for n, r in enumerate(rows, start=2))
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(
                _("The file is not UTF-8 text (byte %(pos)d). Save it as “CSV UTF-8” and import it again.")
                % {"pos": exc.start + 1}
            ) from exc
        reader = csv.reader(io.StringIO(text))
        header_row = next(reader, None)
        if not header_row:
            raise ValueError(_("The file is empty."))
        header = [c.strip().lower() for c in header_row]
        return header, ((n, list(r)) for n, r in enumerate(reader, start=2))
    raise ValueError(_("Only .csv and .xlsx files can be imported."))


def parse_number(text: Any) -> float | None:
    """A number as people type it: ``12.5``, ``12,5`` (Vietnamese decimal comma), ``1 234``."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        number = float(text)
    else:
        cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
        if "," in cleaned and "." not in cleaned and cleaned.count(",") == 1:
            cleaned = cleaned.replace(",", ".")
        try:
            number = float(cleaned)
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def check_file(
    data: bytes,
    filename: str,
    *,
    units: dict[str, int],
    indicators: dict[str, tuple[int, str]],
) -> Checked:
    """Check every row. ``units`` maps codes and names (lower case) to ids; ``indicators`` maps
    codes (upper case) to (id, source)."""
    checked = Checked()
    try:
        header, rows = read_table(data, filename)
    except ValueError as exc:
        checked.add(0, "", str(exc))
        return checked
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    for column in missing:
        checked.add(1, column, _("Missing column “%(column)s”.") % {"column": column})
    for column in unknown:
        checked.add(1, column, _("Unknown column “%(column)s” (expected: %(expected)s).") % {
            "column": column, "expected": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)})
    if len(set(header)) != len(header):
        checked.add(1, "", _("A column appears twice."))
    if checked.problems:
        return checked
    position = {c: header.index(c) for c in header if c}
    seen: dict[tuple[int, int, int], int] = {}
    count = 0
    for row_no, cells in rows:
        if len(checked.problems) >= MAX_PROBLEMS:
            checked.add(row_no, "", _("Too many problems; the rest of the file was not checked."))
            break
        if all(_cell_text(c) == "" for c in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            checked.add(row_no, "", _("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
            break

        def cell(column: str, cells: list[Any] = cells) -> Any:
            i = position.get(column)
            return cells[i] if i is not None and i < len(cells) else None

        unit_text = _cell_text(cell("unit"))
        unit_id = units.get(unit_text.lower())
        if not unit_text:
            checked.add(row_no, "unit", _("The unit is empty."))
        elif unit_id is None:
            checked.add(row_no, "unit", _("Unknown unit “%(unit)s”.") % {"unit": unit_text})
        code = _cell_text(cell("indicator")).upper()
        indicator = indicators.get(code)
        if not code:
            checked.add(row_no, "indicator", _("The indicator is empty."))
        elif indicator is None:
            checked.add(row_no, "indicator", _("Unknown indicator “%(code)s” in this framework.") % {"code": code})
        elif indicator[1] == "computed":
            checked.add(row_no, "indicator", _(
                "Indicator “%(code)s” is computed from the platform's records and cannot be imported.") % {"code": code})
        year_number = parse_number(cell("year"))
        year: int | None = None
        if year_number is None or not year_number.is_integer():
            checked.add(row_no, "year", _("“%(text)s” is not a year.") % {"text": _cell_text(cell("year"))})
        elif not YEAR_RANGE[0] <= year_number <= YEAR_RANGE[1]:
            checked.add(row_no, "year", _("The year must be between %(low)d and %(high)d.") % {
                "low": YEAR_RANGE[0], "high": YEAR_RANGE[1]})
        else:
            year = int(year_number)
        raw_value = cell("value")
        value = parse_number(raw_value) if _cell_text(raw_value) else None
        if _cell_text(raw_value) == "":
            checked.add(row_no, "value", _("The value is empty."))
        elif value is None:
            checked.add(row_no, "value", _("“%(text)s” is not a number.") % {"text": _cell_text(raw_value)[:40]})
        note = _cell_text(cell("note"))
        if len(note) > 255:
            checked.add(row_no, "note", _("The note is longer than 255 characters."))
        if unit_id is not None and indicator is not None and year is not None:
            key = (unit_id, indicator[0], year)
            if key in seen:
                checked.add(row_no, "", _("Duplicate of row %(row)d (same unit, indicator and year).") % {"row": seen[key]})
            else:
                seen[key] = row_no
                if value is not None:
                    checked.rows.append(CleanRow(row_no, unit_id, indicator[0], year, value, note))
    if count == 0 and not checked.problems:
        checked.add(2, "", _("The file has no data rows."))
    return checked
