"""Writing the index: frameworks, imported and computed values, runs of the engine and their
uncertainty analysis.

A run is created by a manager (``run_start``) and computed by a background task
(``run_execute``), which reads the values, builds the engine's framework from the snapshot the
run took, runs the pipeline, and stores every score and rank with the pipeline's trace. The Monte
Carlo analysis of a finished run works the same way (``uncertainty_start`` /
``uncertainty_execute``). Both executions are safe to run twice: only a queued run is computed.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innohub.activity.services import event_record
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role
from innohub.core.roles import MANAGER_ROLES, Role
from innohub.indicators import engine
from innohub.indicators.engine.spec import is_number
from innohub.indicators.engine.uncertainty import Uncertainties, monte_carlo
from innohub.indicators.engine.uncertainty import check as check_uncertainties
from innohub.indicators.imports import check_file
from innohub.indicators.models import (
    Aggregate,
    Framework,
    Indicator,
    Result,
    Run,
    SensitivityIndex,
    UncertaintyResult,
    Unit,
    Value,
)
from innohub.indicators.platform import CALCULATORS, ZERO_WHEN_ABSENT, calculate
from innohub.indicators.problems import problems_stored, problems_text

IMPORT_ROLES = MANAGER_ROLES | {Role.OFFICER}
MANAGE_ROLES = MANAGER_ROLES
TRACE_ROWS = 200  # rows kept per table in a run's trace; the count says how many there were
DEFAULT_MONTE_CARLO_RUNS = 500


# --- frameworks -------------------------------------------------------------------------------

@transaction.atomic
def framework_create(*, definition: dict[str, Any], actor: Any) -> Framework:
    """Create a framework with its aggregates and indicators from a definition dict (the layout
    of ``framework_snapshot``); the engine checks the tree and the spec first."""
    _check_definition(definition)
    framework = Framework.objects.create(
        code=definition["code"],
        name=definition["name"],
        name_en=definition.get("name_en", ""),
        description=definition.get("description", ""),
        description_en=definition.get("description_en", ""),
        spec=definition["spec"],
        uncertainty=definition.get("uncertainty", {}),
        is_published=definition.get("is_published", False),
    )
    by_code: dict[str, Aggregate] = {}
    for order, item in enumerate(sorted(definition["aggregates"], key=lambda a: -a["level"])):
        by_code[item["code"]] = Aggregate.objects.create(
            framework=framework,
            code=item["code"],
            name=item["name"],
            name_en=item.get("name_en", ""),
            level=item["level"],
            parent=by_code.get(item.get("parent") or ""),
            weight=item.get("weight", 1.0),
            order=item.get("order", order),
        )
    for order, item in enumerate(definition["indicators"]):
        Indicator.objects.create(
            framework=framework,
            code=item["code"],
            name=item["name"],
            name_en=item.get("name_en", ""),
            parent=by_code[item["parent"]],
            measure=item.get("measure", ""),
            measure_en=item.get("measure_en", ""),
            direction=item.get("direction", 1),
            weight=item.get("weight", 1.0),
            source=item.get("source", Indicator.Source.IMPORTED),
            calculator=item.get("calculator", ""),
            source_note=item.get("source_note", ""),
            source_note_en=item.get("source_note_en", ""),
            order=item.get("order", order),
        )
    event_record(actor=actor, action="indicator_framework.created", target=framework, after=framework_snapshot(framework))
    return framework


def _check_definition(definition: Any) -> None:
    """Every problem of a definition at once, in the reader's language, before anything is written:
    its shape (keys, lists, numbers) here, then the tree and the spec by the engine."""
    problems: list[str] = _shape_problems(definition)
    if not isinstance(definition, dict):
        definition = {}
    elif not problems:
        try:
            engine_framework(definition)
        except engine.FrameworkError as exc:
            problems.extend(exc.problems)
    try:
        engine.parse_spec(definition.get("spec"), source="spec")
    except engine.SpecError as exc:
        problems.extend(exc.problems)
    for item in _items(definition, "indicators"):
        if item.get("source") == Indicator.Source.COMPUTED and item.get("calculator") not in CALCULATORS:
            problems.append(_("indicator %(code)s: unknown calculator %(calculator)s")
                            % {"code": item.get("code"), "calculator": repr(item.get("calculator"))})
    code = definition.get("code")
    if isinstance(code, str) and code and Framework.objects.filter(code=code).exists():
        problems.append(_("a framework with the code %(code)s already exists") % {"code": code})
    if problems:
        raise _refusal(ngettext("The framework is not valid: %(count)d problem. Nothing was saved.",
                                "The framework is not valid: %(count)d problems. Nothing was saved.", len(problems)),
                       problems)


def _refusal(message: str, problems: list[Any], **extra: Any) -> ApplicationError:
    """A refusal whose ``message`` (chosen by ``ngettext`` for ``len(problems)``) counts the
    problems, with every problem in the reader's language."""
    return ApplicationError(message % {"count": len(problems)}, extra={"problems": problems_text(problems), **extra})


def _items(definition: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = definition.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shape_problems(definition: Any) -> list[str]:
    """What the engine cannot be given: not a mapping, a missing key, a list that is not one, a
    level or a direction that is not a whole number, a weight that is not a number."""
    if not isinstance(definition, dict):
        return [_("the definition must be a mapping with code, name, spec, aggregates and indicators")]
    problems = [
        _("the framework's %(key)s is missing") % {"key": key}
        for key in ("code", "name") if not isinstance(definition.get(key), str) or not definition[key].strip()
    ]
    for key in ("aggregates", "indicators"):
        value = definition.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(item, dict) for item in value):
            problems.append(_("%(key)s must be a non-empty list of mappings") % {"key": key})
    must_be = {
        _text: _("%(where)s: %(key)s must be text, not %(value)s"),
        _whole: _("%(where)s: %(key)s must be a whole number, not %(value)s"),
        is_number: _("%(where)s: %(key)s must be a number, not %(value)s"),
    }
    kinds = [
        ("aggregates", _("aggregate %(code)s"), ("code", "name", "level"),
         {"code": _text, "parent": _text, "level": _whole, "weight": is_number}),
        ("indicators", _("indicator %(code)s"), ("code", "name", "parent"),
         {"code": _text, "parent": _text, "direction": _whole, "weight": is_number}),
    ]
    for key, label, required, checks in kinds:
        for position, item in enumerate(_items(definition, key), start=1):
            where = label % {"code": item.get("code") if _text(item.get("code")) else f"#{position}"}
            problems += [_("%(where)s: %(key)s is missing") % {"where": where, "key": name}
                         for name in required if item.get(name) in (None, "")]
            problems += [must_be[check] % {"where": where, "key": name, "value": repr(item[name])}
                         for name, check in checks.items() if item.get(name) not in (None, "") and not check(item[name])]
    return problems


@transaction.atomic
def framework_update_spec(
    *, framework: Framework, spec: dict[str, Any], uncertainty: dict[str, Any] | None, actor: Any
) -> Framework:
    """Change the pipeline spec (and Monte Carlo set-up); the version goes up by one."""
    ensure_role(actor, MANAGE_ROLES)
    try:
        parsed = engine.parse_spec(spec, source="spec")
    except engine.SpecError as exc:
        raise _refusal(
            ngettext("The pipeline spec is not valid: %(count)d problem, shown under the spec with its step and "
                     "key. Nothing was saved.",
                     "The pipeline spec is not valid: %(count)d problems, each shown under the spec with its step "
                     "and key. Nothing was saved.", len(exc.problems)), exc.problems, field="spec",
        ) from exc
    if uncertainty is not None:
        try:
            choices, runs = _uncertainties(uncertainty)
            check_uncertainties(parsed, choices, runs)
        except (ApplicationError, engine.SpecError) as exc:
            problems = exc.problems if isinstance(exc, engine.SpecError) else exc.extra.get("problems") or [str(exc.message)]
            raise _refusal(
                ngettext("The Monte Carlo set-up is not valid: %(count)d problem, shown under the set-up with its "
                         "key. Nothing was saved.",
                         "The Monte Carlo set-up is not valid: %(count)d problems, each shown under the set-up with "
                         "its key. Nothing was saved.", len(problems)), problems, field="uncertainty",
            ) from exc
    before = {"version": framework.version, "spec": framework.spec, "uncertainty": framework.uncertainty}
    framework.spec = spec
    if uncertainty is not None:
        framework.uncertainty = uncertainty
    framework.version += 1
    framework.save(update_fields=["spec", "uncertainty", "version", "updated_at"])
    after = {"version": framework.version, "spec": framework.spec, "uncertainty": framework.uncertainty}
    event_record(actor=actor, action="indicator_framework.spec_changed", target=framework, before=before, after=after)
    return framework


def framework_snapshot(framework: Framework) -> dict[str, Any]:
    """The framework as a definition dict: what a run keeps and what ``framework_create`` takes."""
    from innohub.indicators.selectors import framework_tree  # selectors imports this module

    aggregates, indicators = framework_tree(framework)
    return {
        "code": framework.code,
        "version": framework.version,
        "name": framework.name,
        "name_en": framework.name_en,
        "description": framework.description,
        "description_en": framework.description_en,
        "spec": framework.spec,
        "uncertainty": framework.uncertainty,
        "is_published": framework.is_published,
        "aggregates": [
            {
                "code": a.code, "name": a.name, "name_en": a.name_en, "level": a.level,
                "parent": a.parent.code if a.parent else None, "weight": a.weight, "order": a.order,
            }
            for a in aggregates
        ],
        "indicators": [
            {
                "code": i.code, "name": i.name, "name_en": i.name_en, "parent": i.parent.code,
                "measure": i.measure, "measure_en": i.measure_en, "direction": i.direction, "weight": i.weight,
                "source": i.source, "calculator": i.calculator, "source_note": i.source_note,
                "source_note_en": i.source_note_en, "order": i.order,
            }
            for i in indicators
        ],
    }


def engine_framework(definition: dict[str, Any]) -> engine.Framework:
    indicators = [
        engine.Indicator(
            code=i["code"], parent=i["parent"], name_en=i.get("name_en", ""), name_vi=i["name"],
            unit=i.get("measure", ""), direction=int(i.get("direction", 1)), weight=float(i.get("weight", 1.0)),
            source=i.get("source", ""),
        )
        for i in definition["indicators"]
    ]
    aggregates = [
        engine.Aggregate(
            code=a["code"], level=int(a["level"]), parent=a.get("parent"), name_en=a.get("name_en", ""),
            name_vi=a["name"], weight=float(a.get("weight", 1.0)),
        )
        for a in definition["aggregates"]
    ]
    return engine.Framework(indicators, aggregates)


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
    directory district), replacing earlier computed values. Returns counts and any calculator
    that could not run (e.g. an app not installed yet)."""
    if actor is not None:
        ensure_role(actor, MANAGE_ROLES)
    years = sorted(set(years))
    units_by_district = {u.district: u for u in Unit.objects.exclude(district="")}
    written, skipped = 0, []
    for indicator in framework.indicators.filter(source=Indicator.Source.COMPUTED):
        values, problem = calculate(indicator.calculator, years)
        if problem:
            skipped.append(problem)
            continue
        if indicator.calculator in ZERO_WHEN_ABSENT:
            values = {**{(d, y): 0.0 for d in units_by_district for y in years}, **values}
        rows = [
            Value(unit=units_by_district[district], indicator=indicator, year=year, value=float(value),
                  source=Value.Source.COMPUTED)
            for (district, year), value in values.items()
            if district in units_by_district and math.isfinite(value)
        ]
        Value.objects.filter(indicator=indicator, year__in=years, source=Value.Source.COMPUTED).delete()
        Value.objects.bulk_create(rows, batch_size=1000, update_conflicts=True,
                                  unique_fields=["unit", "indicator", "year"],
                                  update_fields=["value", "source", "updated_at"])
        written += len(rows)
    summary = {"years": years, "values": written, "skipped": skipped}
    event_record(actor=actor, action="indicator_value.computed", target=framework, after=summary)
    return summary


# --- runs ------------------------------------------------------------------------------------

def _check_years(year_from: int, year_to: int) -> None:
    if not (1990 <= year_from <= year_to <= 2100):
        raise ApplicationError(_("Choose a first year not after the last year, between 1990 and 2100."))


@transaction.atomic
def run_start(*, framework: Framework, year_from: int, year_to: int, actor: Any, monte_carlo_runs: int = 0) -> Run:
    """Queue a run of the pipeline over the years; the task computes it after commit. With
    ``monte_carlo_runs`` the uncertainty analysis follows once the run succeeds."""
    if actor is not None:
        ensure_role(actor, MANAGE_ROLES)
    _check_years(year_from, year_to)
    if not Value.objects.filter(indicator__framework=framework, year__range=(year_from, year_to)).exists():
        raise ApplicationError(_("There are no values for these years; import or compute them first."))
    setup = dict(framework.uncertainty or {})
    if monte_carlo_runs:
        setup["runs"] = monte_carlo_runs
        _uncertainties(setup)
    run = Run.objects.create(
        framework=framework,
        framework_version=framework.version,
        year_from=year_from,
        year_to=year_to,
        spec=framework.spec,
        framework_snapshot=framework_snapshot(framework),
        uncertainty_setup=setup if monte_carlo_runs else {},
        uncertainty_status=Run.Status.QUEUED if monte_carlo_runs else "",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    event_record(actor=actor, action="indicator_run.created", target=run,
                 after={"framework": framework.code, "version": framework.version,
                        "years": [year_from, year_to], "monte_carlo_runs": monte_carlo_runs})
    from innohub.indicators.tasks import execute_run

    transaction.on_commit(partial(execute_run.enqueue, run_id=run.pk))
    return run


def dataset_for(run: Run) -> engine.Dataset:
    """The engine's dataset: the run's framework snapshot and today's values of its years."""
    fw = engine_framework(run.framework_snapshot)
    codes = set(fw.indicator_codes)
    rows = list(
        Value.objects.filter(
            indicator__framework_id=run.framework_id, year__range=(run.year_from, run.year_to)
        ).values_list("unit__code", "year", "indicator__code", "value")
    )
    frame = pd.DataFrame([r for r in rows if r[2] in codes], columns=["uCode", "Time", "iCode", "Value"])
    if frame.empty:
        raise engine.DataError(_("There are no values for these years."))
    frame = frame.sort_values(["uCode", "Time"], kind="stable")
    unit_codes = list(pd.unique(frame["uCode"]))
    group_rows = dict(Unit.objects.filter(code__in=unit_codes).values_list("code", "groups"))
    groups = pd.DataFrame.from_dict({c: group_rows.get(c) or {} for c in unit_codes}, orient="index")
    groups.index.name = "uCode"
    return engine.Dataset.from_long(fw, frame, groups=groups if len(groups.columns) else None)


def _jsonable(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return {"count": len(value), "rows": _jsonable(value.head(TRACE_ROWS).to_dict("records"))}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def trace_as_json(result: engine.PipelineResult) -> list[dict[str, Any]]:
    return [
        {"step": r.step, "params": _jsonable(r.params), "overrides": _jsonable(r.overrides),
         "details": _jsonable(r.details)}
        for r in result.trace
    ]


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _claim(run_id: int, field: str) -> Run | None:
    with transaction.atomic():
        run = Run.objects.select_for_update().filter(pk=run_id).first()
        if run is None or getattr(run, field) != Run.Status.QUEUED:
            return None
        setattr(run, field, Run.Status.RUNNING)
        fields = [field, "updated_at"]
        if field == "status":
            run.started_at = timezone.now()
            fields.append("started_at")
        run.save(update_fields=fields)
    return run


def run_execute(*, run_id: int) -> Run | None:
    """Compute a queued run and store its results; does nothing for a run not queued."""
    run = _claim(run_id, "status")
    if run is None:
        return Run.objects.filter(pk=run_id).first()
    try:
        dataset = dataset_for(run)
        with warnings.catch_warnings():
            # an indicator with no data in a year gives numpy's all-NaN warnings; the trace notes it
            warnings.simplefilter("ignore", RuntimeWarning)
            result = engine.run_pipeline(dataset, engine.parse_spec(run.spec, source="spec"))
    except engine.EngineError as exc:
        with transaction.atomic():
            run.status, run.error, run.finished_at = Run.Status.FAILED, "\n".join(exc.problems), timezone.now()
            run.error_problems = problems_stored(exc.problems)
            fields = ["status", "error", "error_problems", "finished_at", "updated_at"]
            if run.uncertainty_status:
                run.uncertainty_status = ""
                fields.append("uncertainty_status")
            run.save(update_fields=fields)
            event_record(actor=None, action="indicator_run.failed", target=run, after={"error": run.error[:2000]})
        return run
    with transaction.atomic():
        unit_ids = dict(Unit.objects.filter(code__in=result.unit_codes).values_list("code", "pk"))
        fw = result.framework
        levels = [fw.level_of(c) for c in fw.all_codes]
        rows = []
        for y, year in enumerate(result.years):
            for u, unit_code in enumerate(result.unit_codes):
                if not result.active[y, u]:
                    continue
                for c, code in enumerate(fw.all_codes):
                    score, rank = result.scores[y, u, c], result.ranks[y, u, c]
                    rows.append(Result(
                        run=run, unit_id=unit_ids[unit_code], code=code, level=levels[c], year=year,
                        score=_finite(score), rank=int(rank) if math.isfinite(rank) else None,
                    ))
        Result.objects.filter(run=run).delete()
        Result.objects.bulk_create(rows, batch_size=2000)
        run.status, run.finished_at, run.error, run.error_problems = Run.Status.SUCCEEDED, timezone.now(), "", []
        run.trace = trace_as_json(result)
        run.save(update_fields=["status", "finished_at", "error", "error_problems", "trace", "updated_at"])
        event_record(actor=None, action="indicator_run.succeeded", target=run,
                     after={"results": len(rows), "units": len(result.unit_codes), "years": list(result.years)})
        if run.uncertainty_status == Run.Status.QUEUED:
            from innohub.indicators.tasks import execute_uncertainty

            transaction.on_commit(partial(execute_uncertainty.enqueue, run_id=run.pk))
    return run


def _uncertainties(setup: dict[str, Any]) -> tuple[Uncertainties, int]:
    problems = []
    for key, check, default in (("weight_noise", is_number, 0.25), ("weight_sets", _whole, 100),
                                ("runs", _whole, DEFAULT_MONTE_CARLO_RUNS)):
        if not check(setup.get(key, default)):
            message = _("%(key)s must be a whole number, not %(value)s") if check is _whole else _(
                "%(key)s must be a number, not %(value)s")
            problems.append(message % {"key": key, "value": repr(setup[key])})
    for key in ("imputation", "normalisation", "aggregation"):
        options = setup.get(key, [])
        if not isinstance(options, list | tuple):
            problems.append(_("%(key)s must be a list of options, not %(value)s") % {"key": key, "value": repr(options)})
        elif key != "aggregation":
            problems += [_("%(key)s option %(value)s must be a mapping of parameters") % {"key": key, "value": repr(option)}
                         for option in options if not isinstance(option, dict)]
    if problems:
        raise ApplicationError(_("The uncertainty set-up is not valid."), extra={"problems": problems})
    choices = Uncertainties(
        weight_noise=float(setup.get("weight_noise", 0.25)),
        weight_sets=int(setup.get("weight_sets", 100)),
        imputation=tuple(setup.get("imputation", ())),
        normalisation=tuple(setup.get("normalisation", ())),
        aggregation=tuple(setup.get("aggregation", ())),
    )
    runs = int(setup.get("runs", DEFAULT_MONTE_CARLO_RUNS))
    if not 10 <= runs <= 20_000:
        raise ApplicationError(_("The number of Monte Carlo runs must be between 10 and 20,000."))
    return choices, runs


@transaction.atomic
def uncertainty_start(*, run: Run, actor: Any, runs: int | None = None) -> Run:
    """Queue the Monte Carlo analysis of a finished run (the framework's set-up, ``runs`` runs)."""
    if actor is not None:
        ensure_role(actor, MANAGE_ROLES)
    run = Run.objects.select_for_update().get(pk=run.pk)
    if run.status != Run.Status.SUCCEEDED:
        raise ApplicationError(_("Only a run that succeeded can be analysed."))
    if run.uncertainty_status in (Run.Status.QUEUED, Run.Status.RUNNING):
        raise ApplicationError(_("The uncertainty analysis of this run is already under way."))
    setup = dict(run.framework_snapshot.get("uncertainty") or {})
    if runs is not None:
        setup["runs"] = runs
    _uncertainties(setup)
    before = {"uncertainty_status": run.uncertainty_status}
    run.uncertainty_status, run.uncertainty_setup, run.uncertainty_error, run.uncertainty_error_problems = Run.Status.QUEUED, setup, "", []
    run.save(update_fields=["uncertainty_status", "uncertainty_setup", "uncertainty_error", "uncertainty_error_problems", "updated_at"])
    event_record(actor=actor, action="indicator_run.uncertainty_requested", target=run, before=before,
                 after={"uncertainty_status": run.uncertainty_status, "setup": setup})
    from innohub.indicators.tasks import execute_uncertainty

    transaction.on_commit(partial(execute_uncertainty.enqueue, run_id=run.pk))
    return run


def uncertainty_execute(*, run_id: int) -> Run | None:
    """Run the Monte Carlo analysis of a run for its last year; does nothing unless queued."""
    run = _claim(run_id, "uncertainty_status")
    if run is None:
        return Run.objects.filter(pk=run_id).first()
    try:
        choices, n_runs = _uncertainties(run.uncertainty_setup)
        dataset = dataset_for(run)
        spec = engine.parse_spec(run.spec, source="spec")
        year = max(dataset.years)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            outcome = monte_carlo(dataset, spec, choices, runs=n_runs, year=year, seed=run.pk)
    except (engine.EngineError, ApplicationError) as exc:
        problems = exc.problems if isinstance(exc, engine.EngineError) else [str(exc.message)]
        message = "\n".join(problems)
        with transaction.atomic():
            run.uncertainty_status, run.uncertainty_error = Run.Status.FAILED, message
            run.uncertainty_error_problems = problems_stored(problems)
            run.save(update_fields=["uncertainty_status", "uncertainty_error", "uncertainty_error_problems", "updated_at"])
            event_record(actor=None, action="indicator_run.uncertainty_failed", target=run, after={"error": message[:2000]})
        return run
    with transaction.atomic():
        unit_ids = dict(Unit.objects.filter(code__in=outcome.unit_codes).values_list("code", "pk"))
        summary = outcome.rank_summary().dropna(subset=["nominal_rank"])
        UncertaintyResult.objects.filter(run=run).delete()
        SensitivityIndex.objects.filter(run=run).delete()
        UncertaintyResult.objects.bulk_create([
            UncertaintyResult(run=run, unit_id=unit_ids[code], year=year, nominal_rank=int(row.nominal_rank),
                              median_rank=float(row.median_rank), rank_p5=float(row.rank_q05),
                              rank_p95=float(row.rank_q95))
            for code, row in summary.iterrows()
        ])
        if outcome.sensitivity is not None:
            SensitivityIndex.objects.bulk_create([
                SensitivityIndex(run=run, choice=str(choice), first_order=_finite(row.first_order),
                                 total=_finite(row.total))
                for choice, row in outcome.sensitivity.iterrows()
            ])
        run.uncertainty_status = Run.Status.SUCCEEDED
        run.save(update_fields=["uncertainty_status", "updated_at"])
        event_record(actor=None, action="indicator_run.uncertainty_succeeded", target=run,
                     after={"runs": int(outcome.run_ranks.shape[0]), "factors": outcome.factors, "year": year})
    return run
