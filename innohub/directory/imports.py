"""Import and export of organisations as CSV or XLSX, with one set of columns both ways.

An import is validated as a whole before anything is written: every problem is collected
with its row (as a spreadsheet numbers it: the header is row 1), its column and a message,
and the rows are written in one transaction only when there are none. A row with a `slug`
that exists updates that organisation; any other row creates one. Only `name`, `kind` and
`helix` must be columns: a column the file leaves out (an older template without
`description_en`, say) leaves that field as it is. An export therefore re-imports as
"unchanged". The file is read and written by ``core.tabular`` (encodings, separators, row
limit, formula neutralising); what is here is the organisations' columns and their rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innohub.activity.services import event_record
from innohub.core import tabular
from innohub.core.permissions import ensure_role
from innohub.core.tabular import Column, Problem, Sheet, Table, TabularError
from innohub.core.text import search_key
from innohub.directory.models import Organisation, Sector, name_key
from innohub.directory.selectors import MANAGE_DIRECTORY, facets_invalidate
from innohub.directory.services import (
    _apply,
    _clean,
    _create,
    validate_organisation,
)
from innohub.places.convert import UnknownPlace, place_from_old
from innohub.places.models import Commune, Province

COLUMNS = [
    "slug", "name", "name_en", "short_name", "kind", "helix", "tax_code", "founded_on", "province",
    "commune", "city", "country", "sectors", "stage", "team_size", "website", "email", "phone", "description",
    "description_en",
]
REQUIRED_COLUMNS = {"name", "kind", "helix"}
# read but not written: an address before 1 July 2025 ("Quận 1", "TP. Thủ Đức"), converted
IMPORT_COLUMNS = [*COLUMNS, "district"]
COLUMN_HELP = {
    "slug": gettext_lazy("Leave empty for a new organisation; keep it to update an existing one."),
    "name": gettext_lazy("Name in Vietnamese (required)."),
    "name_en": gettext_lazy("Name in English."),
    "short_name": gettext_lazy("Short name or acronym."),
    "kind": gettext_lazy("Required. One of: %(values)s."),
    "helix": gettext_lazy("Required. One of: %(values)s."),
    "tax_code": gettext_lazy("10 digits, or 10 digits-3 digits for a branch. Unique."),
    "founded_on": gettext_lazy("Date as YYYY-MM-DD or DD/MM/YYYY."),
    "province": gettext_lazy("Province or centrally-run city since 1 July 2025 (name or code); the city's own when empty."),
    "commune": gettext_lazy("Ward, commune or special zone since 1 July 2025 (phường, xã, đặc khu: name or code)."),
    "district": gettext_lazy("An address before 1 July 2025 (“Quận 1”, “TP. Thủ Đức”, “Phường Bến Nghé, Quận 1”): converted to today's units, and the import says so."),
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

ImportFileError = TabularError  # the name the command line and older callers know


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # what was read differently (old addresses converted)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "dry_run": self.dry_run, "rows": self.rows, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged, "problems": [p.as_dict() for p in self.problems],
                "notes": [n.as_dict() for n in self.notes]}


def read_table(data: bytes, filename: str = "") -> Table:
    """The file read by ``core.tabular`` with this import's limits; TabularError when unreadable."""
    return tabular.read_table(data, filename, max_bytes=MAX_IMPORT_BYTES, max_rows=MAX_IMPORT_ROWS)


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


def _place(values: dict[str, str], bad: Any, note: Any) -> dict[str, Any]:
    """The province, commune and former district of a row's place columns, as codes; an old
    address is converted (and noted), a unit that never existed is a problem of its column."""
    if not any(n in values for n in ("province", "commune", "district")):
        return {}  # the file leaves places alone
    province_text, commune_text, old_text = (values.get(n, "") for n in ("province", "commune", "district"))
    province = None
    if province_text:
        province = Province.objects.filter(code=province_text).first()
        if province is None:
            try:
                province = place_from_old(province_text).province
            except UnknownPlace:
                province = None
            if province is None:
                bad("province", _("Unknown province “%(value)s”.") % {"value": province_text})
                return {}
    out: dict[str, Any] = {"province": province.code if province else None, "commune": None, "former_district": None}
    for column, text in (("commune", commune_text), ("district", old_text)):
        if not text:
            continue
        commune = Commune.objects.filter(code=text).first()
        if commune is not None:
            out.update(province=commune.province.code, commune=commune.code)
            continue
        try:
            place = place_from_old(text, province=province)
        except UnknownPlace as exc:
            bad(column, str(exc))
            return {}
        out["province"] = place.province.code if place.province else out["province"]
        if place.commune:
            out["commune"] = place.commune.code
        if place.former_district:
            out["former_district"] = place.former_district.code
        if place.converted:
            note(column, place.describe())
    return out


def validate_rows(table: Table, notes: list[Problem] | None = None) -> tuple[list[_Plan], list[Problem]]:
    """Check the header and every row; returns what would be written and every problem found.
    What was read differently from how it is written (an old address converted) goes to ``notes``."""
    header = table.header
    notes = notes if notes is not None else []
    problems = tabular.header_problems(header, columns=IMPORT_COLUMNS, required=REQUIRED_COLUMNS)
    if problems:
        return [], problems
    sector_codes = set(Sector.objects.values_list("code", flat=True))
    body = table.rows
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
        data.update(_place(values, bad, lambda column, message, number=number: notes.append(Problem(number, column, message))))
        for name in ("name", "name_en", "short_name", "tax_code", "city", "website", "email", "phone", "description",
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
    plans, problems = validate_rows(rows, result.notes)
    result.rows = len(rows.rows)
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


def export_rows(organisations: Iterable[Organisation]) -> Iterator[list[Any]]:
    """The columns of every organisation, typed (sectors must be prefetched)."""
    for org in organisations:
        yield [
            org.slug, org.name, org.name_en, org.short_name, org.kind, org.helix, org.tax_code,
            org.founded_on, org.province.name if org.province is not None else "", org.commune.name if org.commune is not None else "",
            org.city, org.country,
            ";".join(sorted(s.code for s in org.sectors.all())), org.stage,
            org.team_size, org.website, org.email, org.phone, org.description,
            org.description_en,
        ]


def _sheet(rows: Iterable[list[Any]]) -> Sheet:
    # the header is the columns' codes, not translated names: they are what the import reads,
    # so that an export re-imports in either language
    columns = [Column(name, tabular.INTEGER if name == "team_size" else None) for name in COLUMNS]
    return Sheet(_("Organisations"), columns, rows)


def csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    """The organisations as CSV text in pieces, for a streaming response."""
    return tabular.csv_lines([_sheet(rows)])


def xlsx_bytes(rows: Iterable[list[Any]], *, with_help: bool = False) -> bytes:
    sheets = [_sheet(rows)]
    if with_help:
        sheets.append(Sheet(_("Instructions"), [Column(_("Column"), width=16), Column(_("What to enter"), width=80)],
                            [[name, text] for name, text in column_help().items()]))
    return tabular.xlsx_bytes(sheets)


def column_help() -> dict[str, str]:
    values = {
        "kind": ", ".join(Organisation.Kind.values),
        "helix": ", ".join(Organisation.Helix.values),
        "stage": ", ".join(Organisation.Stage.values),
        "sectors": ", ".join(Sector.objects.order_by("code").values_list("code", flat=True)),
    }
    return {name: str(COLUMN_HELP[name]) % {"values": values[name]} if name in values else str(COLUMN_HELP[name]) for name in IMPORT_COLUMNS}
