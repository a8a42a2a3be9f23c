"""Import and export of organisations as CSV or XLSX, with one set of columns both ways.

An import is validated as a whole before anything is written: every problem is collected
with its row (as a spreadsheet numbers it: the header is row 1), its column and a message,
and the rows are written in one transaction only when there are none. A row with a `slug`
that exists updates that organisation; any other row creates one. Only `name`, `kind` and
`helix` must be columns: a column the file leaves out (an older template without
`description_en`, say) leaves that field as it is. An export therefore re-imports as
"unchanged". openpyxl reads and writes XLSX (read-only/write-only modes, so large files
stream); the standard csv module does CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innohub.activity.services import event_record
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role
from innohub.core.text import search_key
from innohub.directory.models import Organisation, Sector, name_key
from innohub.directory.selectors import MANAGE_DIRECTORY, facets_invalidate
from innohub.directory.services import (
    _apply,
    _clean,
    _create,
    validate_organisation,
)

COLUMNS = [
    "slug", "name", "name_en", "short_name", "kind", "helix", "tax_code", "founded_on", "district",
    "city", "country", "sectors", "stage", "team_size", "website", "email", "phone", "description",
    "description_en",
]
REQUIRED_COLUMNS = {"name", "kind", "helix"}
COLUMN_HELP = {
    "slug": gettext_lazy("Leave empty for a new organisation; keep it to update an existing one."),
    "name": gettext_lazy("Name in Vietnamese (required)."),
    "name_en": gettext_lazy("Name in English."),
    "short_name": gettext_lazy("Short name or acronym."),
    "kind": gettext_lazy("Required. One of: %(values)s."),
    "helix": gettext_lazy("Required. One of: %(values)s."),
    "tax_code": gettext_lazy("10 digits, or 10 digits-3 digits for a branch. Unique."),
    "founded_on": gettext_lazy("Date as YYYY-MM-DD or DD/MM/YYYY."),
    "district": gettext_lazy("District or city (Thủ Đức)."),
    "city": gettext_lazy("City or province."),
    "country": gettext_lazy("Two-letter country code; VN when empty."),
    "sectors": gettext_lazy("Sector codes separated by semicolons. Codes: %(values)s."),
    "stage": gettext_lazy("Startups only. One of: %(values)s."),
    "team_size": gettext_lazy("Number of people."),
    "website": gettext_lazy("Full address starting with https://."),
    "email": gettext_lazy("Contact e-mail."),
    "phone": gettext_lazy("Contact phone."),
    "description": gettext_lazy("Short description."),
    "description_en": gettext_lazy("Short description in English."),
}
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 50_000
MAX_PROBLEMS = 1000
_DATE_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "dry_run": self.dry_run, "rows": self.rows, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged, "problems": [p.as_dict() for p in self.problems]}


class ImportFileError(ApplicationError):
    """The file as a whole cannot be read (size, type, encoding, columns)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(_("The file cannot be imported."), extra={"problems": [p.as_dict() for p in problems]})
        self.problems = problems


# --- Reading -----------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(data: bytes) -> list[list[str]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError([Problem(line, "", _("The file is not in UTF-8 (byte %(pos)d on line %(line)d). Save it as \"CSV UTF-8\" and try again.") % {"pos": exc.start, "line": line})]) from None
    if "\x00" in text:
        raise ImportFileError([Problem(0, "", _("The file is not a text CSV file."))])
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError([Problem(0, "", _("The file is not a valid XLSX workbook."))]) from exc
    sheet = workbook.worksheets[0]
    rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def read_table(data: bytes, filename: str = "") -> list[list[str]]:
    """The rows of a CSV or XLSX file as strings; ImportFileError when unreadable or too large."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError([Problem(0, "", _("The file is %(size)s MB; the limit is %(limit)d MB. Split it into several files.") % {
            "size": f"{len(data) / 1024 / 1024:.1f}", "limit": MAX_IMPORT_BYTES // 1024 // 1024})])
    name = filename.lower()
    if not name.endswith((".csv", ".xlsx")):
        # Judged by the name before any byte is read: a .txt or .docx read as CSV would
        # only come back as a puzzling header ("hello_world") or a workbook error.
        raise ImportFileError([Problem(0, "", _("Only .csv and .xlsx files can be imported; “%(name)s” is neither.") % {"name": filename or "—"})])
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    else:
        rows = _read_csv(data)
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


# --- Validating --------------------------------------------------------------------------------


def _parse_date(text: str) -> dt.date:
    match = _DATE_DMY.match(text)
    if match:
        day, month, year = map(int, match.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)


def _choice(text: str, choices: Iterable[tuple[str, Any]]) -> str | None:
    key = search_key(text)
    for value, label in choices:
        if key in (value, search_key(str(label))):
            return value
    return None


@dataclass
class _Plan:
    row: int
    instance: Organisation | None
    data: dict[str, Any]
    sectors: list[str]
    slug: str


def validate_rows(rows: list[list[str]]) -> tuple[list[_Plan], list[Problem]]:
    """Check the header and every row; returns what would be written and every problem found."""
    problems: list[Problem] = []
    if not rows:
        return [], [Problem(1, "", _("The file is empty."))]
    header = [search_key(h).replace(" ", "_") for h in rows[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    for h in unknown:
        problems.append(Problem(1, h, _("Unknown column. The columns are: %(columns)s.") % {"columns": ", ".join(COLUMNS)}))
    for c in sorted(missing):
        problems.append(Problem(1, c, _("This column is required.")))
    for h in dupes:
        problems.append(Problem(1, h, _("This column appears more than once.")))
    if problems:
        return [], problems
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        return [], [Problem(0, "", _("The file has %(n)d rows; the limit is %(limit)d.") % {"n": len(rows) - 1, "limit": MAX_IMPORT_ROWS})]

    sector_codes = set(Sector.objects.values_list("code", flat=True))
    body = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(c.strip() for c in r)]
    slugs = {r[header.index("slug")] for _n, r in body if "slug" in header and len(r) > header.index("slug") and r[header.index("slug")]}
    existing = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs).prefetch_related("sectors")} if slugs else {}
    plans: list[_Plan] = []
    seen_slugs: dict[str, int] = {}
    seen_tax: dict[str, int] = {}
    seen_names: dict[tuple[str, str], int] = {}
    for number, raw in body:
        if len(problems) >= MAX_PROBLEMS:
            break
        if len(raw) > len(header) and any(c.strip() for c in raw[len(header):]):
            problems.append(Problem(number, "", _("The row has more cells than the header has columns.")))
        values = {h: (raw[i].strip() if i < len(raw) else "") for i, h in enumerate(header) if h}
        row_problems: list[Problem] = []

        def bad(column: str, message: str, number: int = number, row_problems: list[Problem] = row_problems) -> None:
            row_problems.append(Problem(number, column, message))

        data: dict[str, Any] = {}
        for name in ("name", "name_en", "short_name", "tax_code", "district", "city", "website", "email", "phone", "description",
                     "description_en"):
            if name in values:
                data[name] = values[name]
        if "country" in values:
            data["country"] = values["country"].upper() or "VN"
        kind = _choice(values.get("kind", ""), Organisation.Kind.choices)
        if kind is None:
            bad("kind", _("Unknown kind \"%(value)s\". Use one of: %(values)s.") % {"value": values.get("kind", ""), "values": ", ".join(Organisation.Kind.values)})
        else:
            data["kind"] = kind
        helix = _choice(values.get("helix", ""), Organisation.Helix.choices)
        if helix is None:
            bad("helix", _("Unknown side \"%(value)s\". Use one of: %(values)s.") % {"value": values.get("helix", ""), "values": ", ".join(Organisation.Helix.values)})
        else:
            data["helix"] = helix
        if "stage" in values:
            if values["stage"]:
                stage = _choice(values["stage"], Organisation.Stage.choices)
                if stage is None:
                    bad("stage", _("Unknown stage \"%(value)s\". Use one of: %(values)s.") % {"value": values["stage"], "values": ", ".join(Organisation.Stage.values)})
                else:
                    data["stage"] = stage
            else:
                data["stage"] = ""
        if values.get("founded_on"):
            try:
                data["founded_on"] = _parse_date(values["founded_on"])
            except ValueError:
                bad("founded_on", _("Not a date: \"%(value)s\". Use YYYY-MM-DD or DD/MM/YYYY.") % {"value": values["founded_on"]})
        elif "founded_on" in values:
            data["founded_on"] = None
        if values.get("team_size"):
            try:
                data["team_size"] = int(values["team_size"])
            except ValueError:
                bad("team_size", _("Not a whole number: \"%(value)s\".") % {"value": values["team_size"]})
        elif "team_size" in values:
            data["team_size"] = None
        sectors: list[str] | None = None
        if "sectors" in values:
            sectors = sorted({s.strip() for s in re.split(r"[;,]", values["sectors"]) if s.strip()})
            unknown_sectors = [s for s in sectors if s not in sector_codes]
            if unknown_sectors:
                bad("sectors", _("Unknown sector codes: %(codes)s.") % {"codes": ", ".join(unknown_sectors)})
        slug = values.get("slug", "")
        instance = existing.get(slug) if slug else None
        if slug:
            if not re.fullmatch(r"[a-z0-9-]{1,120}", slug):
                bad("slug", _("A slug has lower-case letters, digits and hyphens only."))
            if slug in seen_slugs:
                bad("slug", _("The same slug is on row %(row)d.") % {"row": seen_slugs[slug]})
            seen_slugs.setdefault(slug, number)
        if instance is None and not data.get("country"):
            data["country"] = "VN"
        data = _clean(data)
        skip = {p.column for p in row_problems}
        for column, messages in validate_organisation({k: v for k, v in data.items() if k not in skip}, instance=instance).items():
            if column in skip:
                continue
            if column in ("stage",) and "kind" in skip:
                continue
            for message in messages:
                bad(column, message)
        tax = data.get("tax_code") or ""
        if tax:
            if tax in seen_tax:
                bad("tax_code", _("The same tax code is on row %(row)d.") % {"row": seen_tax[tax]})
            seen_tax.setdefault(tax, number)
        name_pair = (name_key(data.get("name", "")), tax)
        if name_pair[0]:
            if name_pair in seen_names and not tax:
                bad("name", _("This row repeats row %(row)d (same name, no tax code).") % {"row": seen_names[name_pair]})
            seen_names.setdefault(name_pair, number)
        problems.extend(row_problems)
        if not row_problems:
            plans.append(_Plan(number, instance, data, sectors if sectors is not None else [], slug))
    if not body and not problems:
        problems.append(Problem(2, "", _("The file has a header but no rows.")))
    return plans, problems


def _unchanged(org: Organisation, data: dict[str, Any], sectors: list[str]) -> bool:
    if any(getattr(org, k) != v for k, v in data.items()):
        return False
    return sorted(s.code for s in org.sectors.all()) == sectors


def _log_note(message: Any, **values: Any) -> str:
    """A note for the audit log, written in its language (Vietnamese) like its labels."""
    with translation.override("vi"):
        return str(message) % values


def organisations_import(*, data: bytes, filename: str, actor: Any, dry_run: bool = False) -> ImportResult:
    """Validate the whole file, then (unless dry_run or any problem) write every row at once.

    `actor` is a staff user, or None when the command line runs it as the system.
    """
    if actor is not None:
        ensure_role(actor, MANAGE_DIRECTORY)
    result = ImportResult(dry_run=dry_run)
    try:
        rows = read_table(data, filename)
    except ImportFileError as exc:
        result.problems = exc.problems
        return result
    plans, problems = validate_rows(rows)
    result.rows = sum(1 for r in rows[1:] if any(c.strip() for c in r))
    result.problems = problems
    if problems:
        return result
    for plan in plans:
        if plan.instance is None:
            result.created += 1
        elif _unchanged(plan.instance, plan.data, plan.sectors):
            result.unchanged += 1
        else:
            result.updated += 1
    if dry_run:
        return result
    with transaction.atomic():
        for plan in plans:
            if plan.instance is None:
                org = _create(actor=actor, data=plan.data, sectors=plan.sectors, verified=False, action="organisation.imported")
                if plan.slug and plan.slug != org.slug:
                    org.slug = plan.slug
                    org.save(update_fields=["slug"])
            elif not _unchanged(plan.instance, plan.data, plan.sectors):
                before, after = _apply(organisation=plan.instance, data=plan.data, sectors=plan.sectors)
                if before:
                    event_record(actor=actor, action="organisation.updated", target=plan.instance, before=before, after=after,
                                 note=_log_note(gettext_lazy("Imported from %(file)s"), file=filename)[:200])
        event_record(actor=actor, action="organisation.import_finished", note=_log_note(
            gettext_lazy("%(file)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged"),
            file=filename, created=result.created, updated=result.updated, unchanged=result.unchanged)[:500])
        facets_invalidate()
    return result


# --- Writing -----------------------------------------------------------------------------------


def export_rows(organisations: Iterable[Organisation]) -> Iterator[list[str]]:
    """The columns of every organisation, as strings (sectors must be prefetched)."""
    for org in organisations:
        yield [
            org.slug, org.name, org.name_en, org.short_name, org.kind, org.helix, org.tax_code,
            org.founded_on.isoformat() if org.founded_on else "", org.district, org.city, org.country,
            ";".join(sorted(s.code for s in org.sectors.all())), org.stage,
            "" if org.team_size is None else str(org.team_size), org.website, org.email, org.phone, org.description,
            org.description_en,
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]], *, header: list[str] = COLUMNS) -> Iterator[str]:
    """CSV text in pieces (for a streaming response), UTF-8 with a BOM so Excel reads it."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(rows: Iterable[list[str]], *, with_help: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Organisations"))
    header = []
    from openpyxl.cell import WriteOnlyCell

    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if with_help:
        guide = workbook.create_sheet(_("Instructions"))
        guide.append([_("Column"), _("What to enter")])
        for name, text in column_help().items():
            guide.append([name, text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_help() -> dict[str, str]:
    values = {
        "kind": ", ".join(Organisation.Kind.values),
        "helix": ", ".join(Organisation.Helix.values),
        "stage": ", ".join(Organisation.Stage.values),
        "sectors": ", ".join(Sector.objects.order_by("code").values_list("code", flat=True)),
    }
    return {name: str(COLUMN_HELP[name]) % {"values": values[name]} if name in values else str(COLUMN_HELP[name]) for name in COLUMNS}
