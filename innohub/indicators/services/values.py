"""The index's values: imported from a file checked whole first, or computed from the platform's own data."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from innohub.activity.services import event_record
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role
from innohub.indicators.imports import Conversion, UnitNotConverted, check_file
from innohub.indicators.models import (
    Framework,
    Indicator,
    Unit,
    Value,
)
from innohub.indicators.permissions import IMPORT_ROLES, MANAGE_ROLES
from innohub.indicators.platform import ZERO_WHEN_ABSENT, calculate

# --- values ----------------------------------------------------------------------------------

@transaction.atomic
def values_import(*, framework: Framework, data: bytes, filename: str, actor: Any) -> dict[str, Any]:
    """Import a CSV/XLSX file of values. Every problem is reported at once (``extra["problems"]``:
    row, column, message) and nothing is written unless the whole file is clean. A value that
    exists for the same unit, indicator and year is replaced."""
    ensure_role(actor, IMPORT_ROLES)
    units: dict[str, int] = {}
    for pk, code, name, name_en in Unit.objects.values_list("pk", "code", "name", "name_en"):
        for key in (code, name, name_en):
            if key:
                units.setdefault(key.strip().lower(), pk)
    indicators = {
        code.upper(): (pk, source, additive)
        for pk, code, source, additive in framework.indicators.values_list("pk", "code", "source", "additive")
    }
    checked = check_file(data, filename, units=units, indicators=indicators, convert=_place_converter())
    if checked.problems:
        raise ApplicationError(
            _("The file was not imported: %(count)d problem(s) found. Nothing was changed.")
            % {"count": len(checked.problems)},
            extra={"problems": [p.as_dict() for p in checked.problems]},
        )
    existing = {
        (v.unit_id, v.indicator_id, v.year): v
        for v in Value.objects.select_for_update().filter(
            indicator__framework=framework, year__in={r.year for r in checked.rows}
        )
    }
    created: list[Value] = []
    updated: list[Value] = []
    for row in checked.rows:
        current = existing.get((row.unit_id, row.indicator_id, row.year))
        if current is None:
            created.append(Value(unit_id=row.unit_id, indicator_id=row.indicator_id, year=row.year,
                                 value=row.value, source=Value.Source.IMPORTED, note=row.note))
        elif current.value != row.value or current.note != row.note:
            current.value, current.note, current.source = row.value, row.note, Value.Source.IMPORTED
            updated.append(current)
    Value.objects.bulk_create(created, batch_size=1000)
    Value.objects.bulk_update(updated, ["value", "note", "source", "updated_at"], batch_size=1000)
    summary = {"rows": len(checked.rows), "created": len(created), "updated": len(updated),
               "unchanged": len(checked.rows) - len(created) - len(updated)}
    event_record(actor=actor, action="indicator_value.imported", target=framework,
                 after={"file": filename[:200], **summary, "converted": len(checked.notes)})
    return {**summary, "conversions": [n.as_dict() for n in checked.notes]}


def _place_converter() -> Any:
    """Reads a ``unit`` cell that is no unit's code or name as a place (``places.convert``, by name
    as people write it or by the statistics office's code) and returns the index's units it
    lies in today: a commune's unit; for a former district, the units of its communes with each
    one's share of the district's former wards (``places.labels.district_shares``); a province's
    unit for a province that was not merged."""
    from innohub.places.convert import UnknownPlace, place_from_old
    from innohub.places.labels import district_shares
    from innohub.places.models import Commune, FormerDistrict, FormerWard

    by_commune: dict[str, int] = {}
    by_province: dict[str, int] = {}
    for pk, kind, commune, province in Unit.objects.order_by("pk").values_list("pk", "kind", "commune_id", "province_id"):
        if commune:
            by_commune.setdefault(str(commune), pk)  # to_field="code": the commune's code
        elif kind == Unit.Kind.PROVINCE and province:
            by_province.setdefault(str(province), pk)

    def to_commune(text: str, code: str, name: str, note: str) -> Conversion:
        if code not in by_commune:
            raise UnitNotConverted(_("“%(unit)s” is today in %(commune)s, which is not a unit of the index.") % {
                "unit": text, "commune": name})
        return Conversion(targets=[(by_commune[code], 1.0)], note=note)

    def to_communes_of(text: str, district: Any) -> Conversion:
        shares = district_shares(district.code)
        names = dict(Commune.objects.filter(code__in=shares).values_list("code", "name"))
        targets = [(by_commune[c], share) for c, share in sorted(shares.items()) if c in by_commune]
        if not targets:
            raise UnitNotConverted(_("“%(unit)s” (%(district)s, before 1 July 2025) is today in %(communes)s; none of "
                                     "them is a unit of the index.") % {
                "unit": text, "district": district.name, "communes": ", ".join(sorted(names.values()))})
        parts = ", ".join(f"{names[c]} ({share:.0%})" for c, share in sorted(shares.items()) if c in by_commune)
        return Conversion(targets=targets, note=_(
            "“%(unit)s” (%(district)s, before 1 July 2025) is converted to %(parts)s: a count or an amount is "
            "divided by each commune's share of the district's former wards, a rate or a score goes whole to each."
        ) % {"unit": text, "district": district.name, "parts": parts})

    def convert(text: str) -> Conversion:
        code = text.strip()
        if code.isdigit():  # a statistics office code: today's commune, else a former ward or district
            commune = Commune.objects.filter(code=code).first()
            if commune is not None:
                return to_commune(text, commune.code, commune.name,
                                  _("“%(unit)s” read as %(commune)s.") % {"unit": text, "commune": commune.name})
            ward = FormerWard.objects.filter(code=code).select_related("commune", "district").first()
            if ward is not None:
                return to_commune(text, ward.commune.code, ward.commune.name, _(
                    "“%(old)s” (before 1 July 2025) is now %(new)s.") % {
                    "old": f"{text}: {ward.name}, {ward.district.name}", "new": ward.commune.name})
            district = FormerDistrict.objects.filter(code=code).first()
            if district is not None:
                return to_communes_of(text, district)
            raise UnitNotConverted(_("Unknown unit “%(unit)s”: no unit of the index, and no administrative unit "
                                     "had this code, before or after 1 July 2025.") % {"unit": text})
        try:
            place = place_from_old(text)
        except UnknownPlace as exc:
            raise UnitNotConverted(_("Unknown unit “%(unit)s”: %(reason)s") % {"unit": text, "reason": str(exc)}) from exc
        if place.commune is not None:
            note = place.describe() if place.converted else _("“%(unit)s” read as %(commune)s.") % {
                "unit": text, "commune": place.commune.name}
            return to_commune(text, place.commune.code, place.commune.name, note)
        if place.former_district is not None:
            return to_communes_of(text, place.former_district)
        if place.province is not None and not place.converted and place.province.code in by_province:
            return Conversion(targets=[(by_province[place.province.code], 1.0)],
                              note=_("“%(unit)s” read as %(province)s.") % {"unit": text, "province": place.province.name})
        raise UnitNotConverted(_("“%(unit)s” is a province merged into another on 1 July 2025, or one with no unit in "
                                 "the index: its figures cannot be given to today's units.") % {"unit": text})

    return convert


@transaction.atomic
def indicators_compute(*, framework: Framework, years: Iterable[int], actor: Any) -> dict[str, Any]:
    """Compute the framework's platform indicators for the years, per unit (by the unit's
    commune: organisations are placed by commune), replacing earlier computed values. Returns counts and any calculator
    that could not run (e.g. an app not installed yet)."""
    if actor is not None:
        ensure_role(actor, MANAGE_ROLES)
    years = sorted(set(years))
    units_by_commune = {str(u.commune_id): u for u in Unit.objects.exclude(commune=None)}
    written, skipped = 0, []
    for indicator in framework.indicators.filter(source=Indicator.Source.COMPUTED):
        values, problem = calculate(indicator.calculator, years)
        if problem:
            skipped.append(problem)
            continue
        if indicator.calculator in ZERO_WHEN_ABSENT:
            values = {**{(c, y): 0.0 for c in units_by_commune for y in years}, **values}
        rows = [
            Value(unit=units_by_commune[commune], indicator=indicator, year=year, value=float(value),
                  source=Value.Source.COMPUTED)
            for (commune, year), value in values.items()
            if commune in units_by_commune and math.isfinite(value)
        ]
        Value.objects.filter(indicator=indicator, year__in=years, source=Value.Source.COMPUTED).delete()
        Value.objects.bulk_create(rows, batch_size=1000, update_conflicts=True,
                                  unique_fields=["unit", "indicator", "year"],
                                  update_fields=["value", "source", "updated_at"])
        written += len(rows)
    summary = {"years": years, "values": written, "skipped": skipped}
    event_record(actor=actor, action="indicator_value.computed", target=framework, after=summary)
    return summary
