"""Reading and checking a file of statistics (CSV or XLSX) before any of it is written.

One row per value: ``unit`` (a unit's code or name), ``indicator`` (a code of the framework),
``year``, ``value`` and an optional ``note``. The whole file is checked first and every problem
is returned with its row (as a spreadsheet numbers it: the header is row 1), its column and a
message; the service writes nothing unless there are none. ``core.tabular`` reads the file
(UTF-8 with or without BOM or UTF-16, ``,`` ``;`` or tab, XLSX streamed up to the row limit);
what is here is the columns of a statistics file and their rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from innohub.core import tabular
from innohub.core.tabular import Problem, Problems, Table, TabularError

REQUIRED_COLUMNS = ("unit", "indicator", "year", "value")
OPTIONAL_COLUMNS = ("note",)
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
MAX_PROBLEMS = 200
YEAR_RANGE = (1990, 2100)

__all__ = ["MAX_BYTES", "CleanRow", "Checked", "Problem", "check_file", "parse_number", "read_table"]


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

    def add(self, row: int, column: str, message: str, code: str = "") -> None:
        self.problems.append(Problem(row, column, message, code))


def read_table(data: bytes, filename: str) -> Table:
    """The file read by ``core.tabular`` with this import's limits; TabularError when unreadable."""
    return tabular.read_table(data, filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)


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
        table = read_table(data, filename)
    except TabularError as exc:
        checked.problems = list(exc.problems)
        return checked
    header = table.header
    checked.problems = tabular.header_problems(header, columns=REQUIRED_COLUMNS + OPTIONAL_COLUMNS, required=REQUIRED_COLUMNS)
    if checked.problems:
        return checked
    position = {c: header.index(c) for c in header if c}
    seen: dict[tuple[int, int, int], int] = {}
    problems = Problems(limit=MAX_PROBLEMS, items=checked.problems)
    for row_no, cells in table.rows:
        if problems.full:
            problems.stop(row_no)
            break

        def cell(column: str, cells: list[str] = cells) -> str:
            i = position.get(column)
            return cells[i] if i is not None and i < len(cells) else ""

        unit_text = cell("unit")
        unit_id = units.get(unit_text.lower())
        if not unit_text:
            checked.add(row_no, "unit", _("The unit is empty."))
        elif unit_id is None:
            checked.add(row_no, "unit", _("Unknown unit “%(unit)s”.") % {"unit": unit_text})
        code = cell("indicator").upper()
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
            checked.add(row_no, "year", _("“%(text)s” is not a year.") % {"text": cell("year")})
        elif not YEAR_RANGE[0] <= year_number <= YEAR_RANGE[1]:
            checked.add(row_no, "year", _("The year must be between %(low)d and %(high)d.") % {
                "low": YEAR_RANGE[0], "high": YEAR_RANGE[1]})
        else:
            year = int(year_number)
        raw_value = cell("value")
        value = parse_number(raw_value) if raw_value else None
        if raw_value == "":
            checked.add(row_no, "value", _("The value is empty."))
        elif value is None:
            checked.add(row_no, "value", _("“%(text)s” is not a number.") % {"text": raw_value[:40]})
        note = cell("note")
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
    if not table.rows and not checked.problems:
        checked.add(2, "", _("The file has no data rows."))
    return checked
