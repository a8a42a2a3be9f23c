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
from innohub.indicators.imports import check_file
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
def values_import(*, framework: Framework, data: bytes, filename: str, actor: Any) -> dict[str, int]:
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
        code.upper(): (pk, source) for pk, code, source in framework.indicators.values_list("pk", "code", "source")
    }
    checked = check_file(data, filename, units=units, indicators=indicators)
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
                 after={"file": filename[:200], **summary})
    return summary


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
