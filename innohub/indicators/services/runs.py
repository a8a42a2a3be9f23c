"""Runs of the engine and their Monte Carlo uncertainty analysis, started by a manager and executed in the background, each safe to run twice."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.services import event_record
from innohub.core.background import enqueue_on_commit
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role
from innohub.indicators import engine
from innohub.indicators.engine.uncertainty import monte_carlo
from innohub.indicators.models import (
    Framework,
    Result,
    Run,
    RunChart,
    SensitivityIndex,
    UncertaintyResult,
    Unit,
    Value,
)
from innohub.indicators.permissions import MANAGE_ROLES
from innohub.indicators.problems import problems_stored
from innohub.indicators.services.base import TRACE_ROWS
from innohub.indicators.services.frameworks import (
    _uncertainties,
    engine_framework,
    framework_snapshot,
)

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
    enqueue_on_commit("innohub.indicators.tasks.execute_run", run_id=run.pk)
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
            enqueue_on_commit("innohub.indicators.tasks.execute_uncertainty", run_id=run.pk)
        _charts_after(run)
    return run


def _charts_after(run: Run) -> None:
    """The run's page charts are drawn in the background once its results are in, so that no
    visitor waits for them (``page_charts``); ``INDICATORS_CHARTS_AT_RUN_END`` turns it off
    (the test suite, where a run's charts are drawn by the pages that test them)."""
    if getattr(settings, "INDICATORS_CHARTS_AT_RUN_END", True):
        enqueue_on_commit("innohub.indicators.tasks.precompute_charts", run_id=run.pk)


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
    enqueue_on_commit("innohub.indicators.tasks.execute_uncertainty", run_id=run.pk)
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
                                 total=_finite(row.total), first_low=_finite(row.first_low), first_high=_finite(row.first_high),
                                 total_low=_finite(row.total_low), total_high=_finite(row.total_high),
                                 base_runs=int(row.base_runs), runs=int(row.runs), wide=bool(row.wide))
                for choice, row in outcome.sensitivity.iterrows()
            ])
        run.uncertainty_status = Run.Status.SUCCEEDED
        run.save(update_fields=["uncertainty_status", "updated_at"])
        RunChart.objects.filter(run=run, key__endswith=":mc").delete()  # drawn from the earlier analysis
        event_record(actor=None, action="indicator_run.uncertainty_succeeded", target=run,
                     after={"runs": int(outcome.run_ranks.shape[0]), "factors": outcome.factors, "year": year})
        _charts_after(run)
    return run
