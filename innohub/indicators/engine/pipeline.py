"""Running a spec on a dataset: every step in order, each one recorded so a score can be traced.

``run_pipeline(dataset, spec)`` returns a ``PipelineResult`` holding the data after every stage
(raw, denominated, imputed, screened, treated, normalised), the scores and ranks of every
indicator and aggregate for every unit and year, and a trace: one ``StepRecord`` per step with
its parameters, per-indicator overrides and what it changed (cells imputed, units screened out,
points winsorised, columns logged, weights used). Arrays are ``(years, units, codes)``; steps that
work column by column see ``(units, years * indicators)`` so each year is treated as its own
cross-section in one numpy call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .aggregate import copeland, pca_weights, weighted_means
from .errors import DataError, Problem, SpecError
from .framework import Dataset, Framework
from .impute import impute
from .normalise import normalise
from .spec import PipelineSpec, StepSpec
from .stats import rank_descending
from .treat import treat_outliers


@dataclass
class StepRecord:
    step: str
    params: dict[str, Any]
    overrides: dict[str, Any]
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class PipelineResult:
    framework: Framework
    spec: PipelineSpec
    unit_codes: tuple[str, ...]
    unit_names: tuple[str, ...]
    years: tuple[int, ...]
    stages: dict[str, np.ndarray]
    scores: np.ndarray  # (years, units, all codes): normalised indicators, then aggregates
    ranks: np.ndarray
    active: np.ndarray  # (years, units)
    weights: dict[str, float]
    trace: list[StepRecord]

    def _year_pos(self, year: int | None) -> int:
        if year is None:
            return len(self.years) - 1
        if year not in self.years:
            raise DataError([Problem("no_results_for_year", "no results for year {year} (years: {years})", year=year,
                                     years=", ".join(map(str, self.years)))])
        return self.years.index(year)

    def scores_frame(self, year: int | None = None, *, codes: tuple[str, ...] | None = None) -> pd.DataFrame:
        """Scores of one year (the latest by default) as a units × codes frame."""
        pos = self._year_pos(year)
        codes = codes or self.framework.all_codes
        cols = [self.framework.all_codes.index(c) for c in codes]
        frame = pd.DataFrame(self.scores[pos][:, cols], index=pd.Index(self.unit_codes, name="uCode"), columns=list(codes))
        return frame[self.active[pos]]

    def ranks_frame(self, year: int | None = None) -> pd.DataFrame:
        pos = self._year_pos(year)
        frame = pd.DataFrame(
            self.ranks[pos], index=pd.Index(self.unit_codes, name="uCode"), columns=list(self.framework.all_codes)
        )
        return frame[self.active[pos]]

    def table(self, year: int | None = None) -> pd.DataFrame:
        """``uCode``, ``Rank`` (on the index) and one column per aggregate, top level first,
        sorted by rank: the layout the ``indicators_run`` command writes."""
        fw = self.framework
        ordered = tuple(c for level in reversed(fw.levels[1:]) for c in level)
        scores = self.scores_frame(year, codes=ordered)
        ranks = self.ranks_frame(year)[fw.index_code]
        table = scores.copy()
        table.insert(0, "Rank", ranks.astype("Int64"))
        table = table.reset_index().sort_values(["Rank", "uCode"], kind="stable")
        return table.reset_index(drop=True)

    def strengths_weaknesses(self, unit: str, *, count: int = 5, year: int | None = None) -> dict[str, pd.DataFrame]:
        """A unit's best and worst indicators by its rank among units (COINr's get_str_weak)."""
        if unit not in self.unit_codes:
            raise DataError(f"unknown unit {unit!r}")
        pos, u = self._year_pos(year), self.unit_codes.index(unit)
        n_ind = len(self.framework.indicator_codes)
        frame = pd.DataFrame(
            {
                "iCode": self.framework.indicator_codes,
                "Rank": self.ranks[pos, u, :n_ind],
                "Score": self.scores[pos, u, :n_ind],
                "Value": self.stages["raw"][pos, u],
            }
        ).dropna(subset=["Rank"])
        frame = frame.sort_values(["Rank", "iCode"], kind="stable")
        return {
            "strengths": frame.head(count).reset_index(drop=True),
            "weaknesses": frame.iloc[::-1].head(count).reset_index(drop=True),
        }

    def trends(self, *, stage: str = "scores") -> pd.DataFrame:
        """Per unit and code: first and last value, change, compound annual growth rate and the
        least-squares slope per year. Needs at least two years."""
        if len(self.years) < 2:
            raise DataError("trends need at least two years of data")
        data = self.scores if stage == "scores" else self.stages[stage]
        codes = self.framework.all_codes if stage == "scores" else self.framework.indicator_codes
        return growth_table(data, self.years, self.unit_codes, codes)


def growth_table(
    data: np.ndarray, years: tuple[int, ...], unit_codes: tuple[str, ...], codes: tuple[str, ...]
) -> pd.DataFrame:
    t = np.asarray(years, dtype=float)
    present = ~np.isnan(data)
    n = present.sum(axis=0)
    first_idx = np.argmax(present, axis=0)
    last_idx = len(years) - 1 - np.argmax(present[::-1], axis=0)
    first = np.take_along_axis(data, first_idx[None], axis=0)[0]
    last = np.take_along_axis(data, last_idx[None], axis=0)[0]
    span = t[last_idx] - t[first_idx]
    with np.errstate(invalid="ignore", divide="ignore"):
        cagr = np.where((first > 0) & (last > 0) & (span > 0), (last / first) ** (1 / span) - 1, np.nan)
        tt = np.where(present, t[:, None, None], 0.0)
        yy = np.where(present, data, 0.0)
        t_mean = tt.sum(0) / n
        y_mean = yy.sum(0) / n
        cov = (np.where(present, (t[:, None, None] - t_mean) * (data - y_mean), 0.0)).sum(0)
        var = (np.where(present, (t[:, None, None] - t_mean) ** 2, 0.0)).sum(0)
        slope = np.where(n >= 2, cov / var, np.nan)
    index = pd.MultiIndex.from_product([unit_codes, codes], names=["uCode", "code"])
    return pd.DataFrame(
        {
            "first_year": np.where(n > 0, t[first_idx], np.nan).ravel(),
            "last_year": np.where(n > 0, t[last_idx], np.nan).ravel(),
            "first": first.ravel(),
            "last": last.ravel(),
            "change": (last - first).ravel(),
            "cagr": cagr.ravel(),
            "slope_per_year": slope.ravel(),
        },
        index=index,
    )


def _param_groups(step: StepSpec, codes: tuple[str, ...]) -> list[tuple[dict[str, Any], np.ndarray]]:
    """Columns sharing the same effective parameters, so each group runs as one numpy call."""
    groups: dict[str, tuple[dict[str, Any], list[int]]] = {}
    for pos, code in enumerate(codes):
        params = step.params_for(code)
        if params is None:
            continue
        key = json.dumps(params, sort_keys=True, default=str)
        groups.setdefault(key, (params, []))[1].append(pos)
    return [(params, np.array(cols)) for params, cols in groups.values()]


def _as_columns(block: np.ndarray) -> np.ndarray:
    """``(years, units, c)`` → ``(units, years * c)``: each year's indicator is its own column."""
    years, units, c = block.shape
    return block.transpose(1, 0, 2).reshape(units, years * c)


def _from_columns(columns: np.ndarray, years: int) -> np.ndarray:
    units, width = columns.shape
    return columns.reshape(units, years, width // years).transpose(1, 0, 2)


def _check_overrides(spec: PipelineSpec, framework: Framework, dataset: Dataset) -> None:
    problems: list[str] = []
    for step in spec.steps:
        known = framework.aggregate_codes if step.step == "aggregate" else framework.indicator_codes
        for code in step.overrides:
            if code not in known:
                problems.append(Problem("override_unknown_code", "spec {spec}, step {step}: unknown code {code} in overrides",
                                        spec=spec.name, step=step.step, code=repr(code)))
        group = step.params.get("group")
        if group and group not in dataset.groups.columns:
            problems.append(Problem("unknown_group_column", "spec {spec}, step {step}: unknown group column {group}",
                                    spec=spec.name, step=step.step, group=repr(group)))
        ref = step.params.get("reference_unit")
        if ref and ref not in dataset.unit_codes:
            problems.append(Problem("unknown_reference_unit", "spec {spec}, step {step}: unknown reference unit {unit}",
                                    spec=spec.name, step=step.step, unit=repr(ref)))
        den = step.params.get("denominator")
        if den and den not in dataset.denominators:
            problems.append(Problem("unknown_denominator", "spec {spec}, step {step}: unknown denominator {denominator}",
                                    spec=spec.name, step=step.step, denominator=repr(den)))
    for code in spec.weights.values:
        if code not in framework.all_codes:
            problems.append(Problem("weights_unknown_code", "spec {spec}, weights: unknown code {code}", spec=spec.name,
                                    code=repr(code)))
    if problems:
        raise SpecError(problems)


def run_pipeline(dataset: Dataset, spec: PipelineSpec) -> PipelineResult:
    fw = dataset.framework
    _check_overrides(spec, fw, dataset)
    values = dataset.values.copy()
    n_years, n_units, _ = values.shape
    active = np.ones((n_years, n_units), dtype=bool)
    stages: dict[str, np.ndarray] = {"raw": dataset.values}
    trace: list[StepRecord] = []
    normalised: np.ndarray | None = None
    aggregated: np.ndarray | None = None
    weights_used: dict[str, float] = {}
    for step in spec.steps:
        record = StepRecord(step.step, dict(step.params), dict(step.overrides))
        if step.step == "denominate":
            values = _denominate(values, step, dataset, record)
            stages["denominated"] = values
        elif step.step == "impute":
            values = _impute(values, step, dataset, active, record)
            stages["imputed"] = values
        elif step.step == "screen":
            values, active = _screen(values, step, dataset, active, record)
            stages["screened"] = values
        elif step.step == "treat":
            values = _treat(values, step, dataset, record)
            stages["treated"] = values
        elif step.step == "normalise":
            values = normalised = _normalise(values, step, dataset, active, record)
            stages["normalised"] = values
        elif step.step == "aggregate":
            assert normalised is not None  # the spec parser guarantees normalise comes first
            aggregated, weights_used = _aggregate(normalised, step, spec, fw, active, record)
        trace.append(record)
    assert normalised is not None and aggregated is not None
    scores = np.concatenate([normalised, aggregated], axis=2)
    scores[~active] = np.nan
    ranks = rank_descending(scores, axis=1)
    return PipelineResult(
        framework=fw,
        spec=spec,
        unit_codes=dataset.unit_codes,
        unit_names=dataset.unit_names,
        years=dataset.years,
        stages=stages,
        scores=scores,
        ranks=ranks,
        active=active,
        weights=weights_used,
        trace=trace,
    )


def _denominate(values: np.ndarray, step: StepSpec, dataset: Dataset, record: StepRecord) -> np.ndarray:
    out = values.copy()
    used: dict[str, str] = {}
    for pos, ind in enumerate(dataset.framework.indicators):
        params = step.params_for(ind.code)
        if params is None or params["method"] == "none":
            continue
        name = params.get("denominator") or ind.denominator
        if not name:
            continue
        if name not in dataset.denominators:
            raise DataError([Problem("denominator_not_in_data", "indicator {code}: denominator {denominator} is not in the data",
                                     code=ind.code, denominator=repr(name))])
        denom = dataset.denominators[name]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, :, pos] = values[:, :, pos] / np.where(denom == 0, np.nan, denom) * params["scale"]
        used[ind.code] = name
    record.details["denominators"] = used
    return out


def _impute(
    values: np.ndarray, step: StepSpec, dataset: Dataset, active: np.ndarray, record: StepRecord
) -> np.ndarray:
    out = values.copy()
    for params, cols in _param_groups(step, dataset.framework.indicator_codes):
        groups = None
        if params.get("group"):
            groups = dataset.groups[params["group"]].reindex(list(dataset.unit_codes)).to_numpy()
        block = impute(values[:, :, cols], params["method"], groups=groups, active=active)
        if params.get("fallback", "none") != "none":
            block = impute(block, params["fallback"], groups=groups, active=active)
        out[:, :, cols] = block
    filled = np.isnan(values) & ~np.isnan(out)
    still = np.isnan(out) & active[:, :, None]
    record.details["imputed"] = _cells(filled, out, dataset)
    record.details["still_missing"] = _cells(still, out, dataset)
    return out


def _cells(mask: np.ndarray, values: np.ndarray, dataset: Dataset) -> pd.DataFrame:
    y, u, i = np.nonzero(mask)
    return pd.DataFrame(
        {
            "year": np.asarray(dataset.years)[y],
            "uCode": np.asarray(dataset.unit_codes, dtype=object)[u],
            "iCode": np.asarray(dataset.framework.indicator_codes, dtype=object)[i],
            "value": values[y, u, i],
        }
    )


def _screen(
    values: np.ndarray, step: StepSpec, dataset: Dataset, active: np.ndarray, record: StepRecord
) -> tuple[np.ndarray, np.ndarray]:
    share = (~np.isnan(values)).mean(axis=2)
    keep = active & (share >= step.params["min_data_fraction"])
    if step.params["when_missing_in_year"] == "drop_unit":
        keep = keep & keep.all(axis=0, keepdims=True)
    removed = active & ~keep
    y, u = np.nonzero(removed)
    record.details["removed"] = pd.DataFrame(
        {
            "year": np.asarray(dataset.years)[y],
            "uCode": np.asarray(dataset.unit_codes, dtype=object)[u],
            "data_fraction": share[y, u],
        }
    )
    out = values.copy()
    out[~keep] = np.nan
    return out, keep


def _treat(values: np.ndarray, step: StepSpec, dataset: Dataset, record: StepRecord) -> np.ndarray:
    out = values.copy()
    n_years = values.shape[0]
    rows: list[pd.DataFrame] = []
    for params, cols in _param_groups(step, dataset.framework.indicator_codes):
        outcome = treat_outliers(
            _as_columns(values[:, :, cols]),
            method=params["method"],
            winmax=params["winmax"],
            skew_threshold=params["skew_threshold"],
            kurtosis_threshold=params["kurtosis_threshold"],
            fallback=params["fallback"],
        )
        out[:, :, cols] = _from_columns(outcome.values, n_years)
        codes = np.tile(np.asarray(dataset.framework.indicator_codes, dtype=object)[cols], n_years)
        years = np.repeat(np.asarray(dataset.years), len(cols))
        treated_units = [
            ",".join(np.asarray(dataset.unit_codes)[outcome.winsorised_high[:, k] | outcome.winsorised_low[:, k]])
            for k in range(len(codes))
        ]
        rows.append(
            pd.DataFrame(
                {
                    "year": years,
                    "iCode": codes,
                    "failed_before": outcome.failed_before,
                    "skew_before": outcome.skew_before,
                    "kurtosis_before": outcome.kurtosis_before,
                    "points_winsorised": outcome.points_winsorised,
                    "winsorised_units": treated_units,
                    "logged": outcome.logged,
                    "passes_after": outcome.passes_after,
                    "skew_after": outcome.skew_after,
                    "kurtosis_after": outcome.kurtosis_after,
                }
            )
        )
    record.details["indicators"] = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return out


def _normalise(
    values: np.ndarray, step: StepSpec, dataset: Dataset, active: np.ndarray, record: StepRecord
) -> np.ndarray:
    fw = dataset.framework
    out = values.copy()
    n_years = values.shape[0]
    notes: list[str] = []
    for params, cols in _param_groups(step, fw.indicator_codes):
        block = np.where(active[:, :, None], values[:, :, cols], np.nan)
        direction = fw.directions[cols]
        target = params.get("target")
        if params["method"] == "distance_to_target" and target is None:
            target = np.array([fw.indicators[c].target for c in cols], dtype=float)
            lacking = [fw.indicator_codes[c] for c, t in zip(cols, target, strict=True) if np.isnan(t)]
            if lacking:
                raise SpecError([Problem("no_target", "distance_to_target: no target for {codes}", codes=", ".join(lacking))])
        reference_row = (
            dataset.unit_codes.index(params["reference_unit"]) if params.get("reference_unit") else None
        )
        kwargs = {
            k: params[k] for k in ("low", "high", "mean", "sd", "scale", "lower", "upper", "cap")
        }
        if params["across_years"]:
            pooled = block.reshape(-1, len(cols))
            ref = None if reference_row is None else (n_years - 1) * block.shape[1] + reference_row
            result = normalise(pooled, direction, params["method"], reference_row=ref, target=target, **kwargs)
            out[:, :, cols] = result.reshape(block.shape)
        else:
            tiled_target = None if target is None else np.tile(np.broadcast_to(target, len(cols)), n_years)
            result = normalise(
                _as_columns(block),
                np.tile(direction, n_years),
                params["method"],
                reference_row=reference_row,
                target=tiled_target,
                **kwargs,
            )
            out[:, :, cols] = _from_columns(result, n_years)
        flat = np.nanmax(block, axis=1) == np.nanmin(block, axis=1)
        for y, c in zip(*np.nonzero(flat), strict=True):
            notes.append(f"{dataset.years[y]} {fw.indicator_codes[cols[c]]}: no variance")
    record.details["no_variance"] = notes
    return out


def _resolve_weights(spec: PipelineSpec, fw: Framework) -> dict[str, float]:
    base = fw.weights()
    if spec.weights.method == "equal":
        base = dict.fromkeys(base, 1.0)
    base.update(spec.weights.values)
    return base


def _aggregate(
    normalised: np.ndarray,
    step: StepSpec,
    spec: PipelineSpec,
    fw: Framework,
    active: np.ndarray,
    record: StepRecord,
) -> tuple[np.ndarray, dict[str, float]]:
    n_years, n_units, _ = normalised.shape
    weights = _resolve_weights(spec, fw)
    level_scores = np.where(active[:, :, None], normalised, np.nan)
    outputs: list[np.ndarray] = []
    negative_under_mean: list[str] = []
    for level in range(1, len(fw.levels)):
        links = fw.links(level, weights)
        child_weights = links.child_weights.copy()
        if spec.weights.method == "pca":
            pooled = level_scores.reshape(-1, level_scores.shape[2])
            for p in range(len(links.parent_codes)):
                members = np.flatnonzero(links.membership[:, p])
                child_weights[members] = pca_weights(pooled[:, members])
        for code, w in zip(links.child_codes, child_weights, strict=True):
            weights[code] = float(w)
        parent_scores = np.full((n_years, n_units, len(links.parent_codes)), np.nan)
        for params, parent_cols in _param_groups(step, links.parent_codes):
            membership = links.membership[:, parent_cols]
            if params["method"] == "copeland":
                for p_local, p in enumerate(parent_cols):
                    members = np.flatnonzero(membership[:, p_local])
                    for y in range(n_years):
                        rows = active[y]
                        parent_scores[y, rows, p] = copeland(
                            level_scores[y][rows][:, members], child_weights[members]
                        )
                continue
            weight_matrix = membership * child_weights[:, None]
            flat = weighted_means(
                level_scores.reshape(-1, level_scores.shape[2]), weight_matrix, params["method"], params["power"]
            )
            parent_scores[:, :, parent_cols] = flat.reshape(n_years, n_units, len(parent_cols))
            if params["method"] in ("geometric", "harmonic", "generalised"):
                negative = (level_scores < 0).reshape(-1, level_scores.shape[2]) @ membership
                for negative_local in np.flatnonzero(negative.any(axis=0)):
                    negative_under_mean.append(links.parent_codes[parent_cols[negative_local]])
        outputs.append(parent_scores)
        level_scores = parent_scores
    if negative_under_mean:
        codes = sorted(set(negative_under_mean))
        raise SpecError([Problem(
            "negative_under_mean",
            ("the {codes} aggregate uses" if len(codes) == 1 else "the {codes} aggregates use")
            + " a geometric, harmonic or generalised mean but some child scores are negative; normalise to a "
            "positive range (e.g. minmax with low: 1)",
            codes=", ".join(codes), count=len(codes),
        )])
    record.details["weights"] = dict(weights)
    return np.concatenate(outputs, axis=2), weights


def run_spec(
    spec: PipelineSpec | str,
    *,
    dataset: Dataset | None = None,
    idata: str | None = None,
    imeta: str | None = None,
) -> PipelineResult:
    """Run a spec (object, file path or shipped name) on a dataset or on iData/iMeta files."""
    from .coinr_io import load_coinr  # local: keeps the module graph one-directional
    from .spec import load_spec

    if dataset is None:
        if idata is None or imeta is None:
            raise DataError("give either a dataset or both idata and imeta paths")
        dataset = load_coinr(idata, imeta)
    pipeline_spec = load_spec(spec) if isinstance(spec, str) else spec
    return run_pipeline(dataset, pipeline_spec)
