"""Reading and checking a file of statistics (CSV or XLSX) before any of it is written.

One row per value: ``unit`` (a unit's code or name), ``indicator`` (a code of the framework),
``year``, ``value`` and an optional ``note``. The whole file is checked first and every problem
is returned with its row (as a spreadsheet numbers it: the header is row 1), its column and a
message; the service writes nothing unless there are none. ``core.tabular`` reads the file
(UTF-8 with or without BOM or UTF-16, ``,`` ``;`` or tab, XLSX streamed up to the row limit);
what is here is the columns of a statistics file and their rules.

A ``unit`` that is no unit of the index may name a place instead, as written before or after
1 July 2025 ("Quận 1", "TP. Thủ Đức", "Phường Bến Nghé, Quận 1", or a statistics office code):
``convert`` (given by the service) reads it as today's units, and the row's value goes to the
index's units for them — whole for a former ward, divided among the communes of a former
district by their share of its wards for a count or an amount, whole to each for a rate or a
score (the method page says the same). Each conversion is reported in ``Checked.notes``; a
place that never existed is a problem of the row's ``unit`` column.
"""

from __future__ import annotations

import math
from collections.abc import Callable
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

__all__ = ["MAX_BYTES", "CleanRow", "Checked", "Conversion", "Problem", "UnitNotConverted", "check_file",
           "parse_number", "read_table"]


@dataclass
class CleanRow:
    row: int
    unit_id: int
    indicator_id: int
    year: int
    value: float
    note: str


@dataclass
class Conversion:
    """A place named in a file as the index's units: ``targets`` are (unit id, share) — the
    share of a count or an amount that unit gets; a rate or score goes whole to each."""

    targets: list[tuple[int, float]]
    note: str


class UnitNotConverted(ValueError):
    """The text names no place that ever existed, or none that is a unit of the index."""


@dataclass
class Checked:
    rows: list[CleanRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # what was read as something else (a former unit converted)

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
    indicators: dict[str, tuple[int, str, bool]],
    convert: Callable[[str], Conversion] | None = None,
) -> Checked:
    """Check every row. ``units`` maps codes and names (lower case) to ids; ``indicators`` maps
    codes (upper case) to (id, source, additive); ``convert`` reads a text that is no unit's
    code or name as the index's units (raising ``UnitNotConverted`` with the reason)."""
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
    conversions: dict[str, Conversion | str] = {}  # by text: each place is read once
    converted_rows: set[int] = set()
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
        conversion: Conversion | None = None
        if not unit_text:
            checked.add(row_no, "unit", _("The unit is empty."))
        elif unit_id is None and convert is None:
            checked.add(row_no, "unit", _("Unknown unit “%(unit)s”.") % {"unit": unit_text})
        elif unit_id is None and convert is not None:
            if unit_text not in conversions:
                try:
                    conversions[unit_text] = convert(unit_text)
                except UnitNotConverted as exc:
                    conversions[unit_text] = str(exc)
            found = conversions[unit_text]
            if isinstance(found, str):
                checked.add(row_no, "unit", found)
            else:
                conversion = found
                checked.notes.append(Problem(row_no, "unit", found.note))
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
        if indicator is not None and year is not None:
            targets = [(unit_id, 1.0)] if unit_id is not None else conversion.targets if conversion else []
            for target, share in targets:
                key = (target, indicator[0], year)
                if key in seen:
                    message = _("Duplicate of row %(row)d (same unit, indicator and year).") % {"row": seen[key]}
                    if conversion or seen[key] in converted_rows:
                        message = _("Row %(row)d gives the same unit a value for this indicator and year, once "
                                    "former units are converted to today's.") % {"row": seen[key]}
                    checked.add(row_no, "", message)
                    break
                seen[key] = row_no
                if conversion:
                    converted_rows.add(row_no)
                if value is not None:
                    checked.rows.append(CleanRow(row_no, target, indicator[0], year,
                                                 value * share if indicator[2] else value, note))
    if not table.rows and not checked.problems:
        checked.add(2, "", _("The file has no data rows."))
    return checked
