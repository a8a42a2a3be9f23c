"""Uncertainty and sensitivity analysis by Monte Carlo over the pipeline's uncertain choices.

The uncertain choices (factors) are: the weights (each run draws one of ``weight_sets`` sets where
every weight is multiplied by ``1 + noise * U(-1, 1)``), the imputation method, the normalisation
method and the aggregation method. With ``sensitivity=True`` the runs follow Saltelli's design
(base matrices A and B, and for each factor A with that factor's column from B: ``N (k + 2)``
runs), giving each factor's first-order index (Saltelli 2010 estimator) and total index (Jansen
1999), each with a bootstrap interval, of the mean absolute rank shift from the nominal ranking (COINr's output of choice) and of
every unit's rank. Every run also gives each unit's rank, summarised as median and 5th–95th
percentile interval.

It is vectorised: the imputation × normalisation combinations are few, so each is run once
through the ordinary pipeline; the runs sharing one combination and one aggregation method are
then aggregated together, all their weight sets side by side in one matrix product per level.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .aggregate import weighted_means
from .errors import Problem, SpecError
from .framework import Dataset
from .pipeline import PipelineResult, run_pipeline
from .spec import PARAMETERS, PipelineSpec
from .stats import rank_descending


@dataclass(frozen=True)
class Uncertainties:
    """What may vary. An empty tuple (or noise 0) means that choice stays as in the spec."""

    weight_noise: float = 0.25
    weight_sets: int = 100
    imputation: tuple[dict[str, Any], ...] = ()
    normalisation: tuple[dict[str, Any], ...] = ()
    aggregation: tuple[str, ...] = ()

    def factors(self) -> list[str]:
        names = []
        if self.weight_noise > 0 and self.weight_sets > 0:
            names.append("weights")
        for name, options in (
            ("imputation", self.imputation),
            ("normalisation", self.normalisation),
            ("aggregation", self.aggregation),
        ):
            if len(options) > 1:
                names.append(name)
        return names


@dataclass
class UncertaintyResult:
    unit_codes: tuple[str, ...]
    nominal_ranks: np.ndarray  # (units,)
    run_ranks: np.ndarray  # (runs, units)
    run_scores: np.ndarray  # (runs, units) index scores
    choices: pd.DataFrame  # one row per run: option index per factor
    factors: list[str]
    sensitivity: pd.DataFrame | None = None  # factor × (first_order, total, their intervals, runs, wide)
    unit_sensitivity: dict[str, pd.DataFrame] = field(default_factory=dict)  # first_order/total: unit × factor

    def rank_summary(self) -> pd.DataFrame:
        """Per unit: nominal rank, median rank and the 5th–95th percentile interval."""
        q05, median, q95 = np.nanpercentile(self.run_ranks, [5, 50, 95], axis=0)
        frame = pd.DataFrame(
            {
                "nominal_rank": self.nominal_ranks,
                "median_rank": median,
                "rank_q05": q05,
                "rank_q95": q95,
                "mean_rank": np.nanmean(self.run_ranks, axis=0),
            },
            index=pd.Index(self.unit_codes, name="uCode"),
        )
        return frame.sort_values(["nominal_rank", "median_rank"])


def check(spec: PipelineSpec, uncertainties: Uncertainties, runs: int, sensitivity: bool = True) -> None:
    """Raise ``SpecError`` listing every problem of a set-up with the spec (what ``monte_carlo``
    checks first), so a set-up can be refused when it is saved rather than when it runs."""
    problems: list[str] = []
    if uncertainties.imputation and spec.step("impute") is None:
        problems.append(Problem("mc_no_impute_step", "imputation is uncertain but the spec has no impute step"))
    for name, step, options in (
        ("imputation", "impute", uncertainties.imputation),
        ("normalisation", "normalise", uncertainties.normalisation),
    ):
        for option in options:
            unknown = set(option) - set(PARAMETERS[step])
            if unknown:
                problems.append(Problem("mc_unknown_parameters", "{choice} option {option}: unknown parameters {keys}",
                                        choice=name, option=option, keys=", ".join(sorted(unknown))))
            method = option.get("method")
            if method is not None and not PARAMETERS[step]["method"][0](method):
                problems.append(Problem("mc_unknown_method", "{choice} option {option}: unknown method {method}",
                                        choice=name, option=option, method=repr(method)))
    for method in uncertainties.aggregation:
        if method not in ("arithmetic", "geometric", "harmonic"):
            problems.append(Problem(
                "mc_bad_aggregation",
                "aggregation option {method}: Monte Carlo supports arithmetic, geometric and harmonic means",
                method=repr(method),
            ))
    if uncertainties.weight_noise < 0 or uncertainties.weight_noise >= 1:
        problems.append(Problem("mc_bad_weight_noise", "weight_noise must be in [0, 1)"))
    if not uncertainties.factors():
        problems.append(Problem("mc_nothing_uncertain",
                                "nothing is uncertain: give weight noise or at least two options for a choice"))
    k = len(uncertainties.factors())
    if runs < (k + 2) * 2 if sensitivity else runs < 2:
        problems.append(Problem("mc_too_few_runs", "too few runs ({runs}) for {factors} factors", runs=runs, factors=k))
    if problems:
        raise SpecError(problems)


def _saltelli_design(n_base: int, k: int, rng: np.random.Generator) -> np.ndarray:
    a = rng.random((n_base, k))
    b = rng.random((n_base, k))
    blocks = [a, b]
    for i in range(k):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    return np.vstack(blocks)


def sobol_indices(outputs: np.ndarray, n_base: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """First-order (Saltelli 2010) and total (Jansen 1999) indices from outputs laid out as
    ``[A, B, AB_1 .. AB_k]`` (each block ``n_base`` rows; trailing axes are separate outputs)."""
    y_a, y_b = outputs[:n_base], outputs[n_base : 2 * n_base]
    variance = np.var(np.concatenate([y_a, y_b]), axis=0)
    first, total = [], []
    for i in range(k):
        y_ab = outputs[(2 + i) * n_base : (3 + i) * n_base]
        with np.errstate(invalid="ignore", divide="ignore"):
            first.append(np.mean(y_b * (y_ab - y_a), axis=0) / variance)
            total.append(0.5 * np.mean((y_a - y_ab) ** 2, axis=0) / variance)
    return np.array(first), np.array(total)


# An interval wider than this (on the 0-1 scale of the indices) is too wide to read: the page
# says so rather than letting a reader compare two numbers that sampling alone could swap.
WIDE_INTERVAL = 0.3


def sobol_intervals(
    outputs: np.ndarray, n_base: int, k: int, *, resamples: int = 500, level: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """First-order and total indices of a one-dimensional output laid out as in ``sobol_indices``,
    each with a bootstrap percentile interval (the ``n_base`` rows of A, B and the AB_i resampled
    together, as SALib does), the number of base rows and of model runs, and a flag for an
    estimate to be read with care: an interval wider than ``WIDE_INTERVAL``, or a first-order
    index above the total one (impossible for the true indices: the difference is sampling error,
    and more runs narrow it)."""
    first, total = sobol_indices(outputs, n_base, k)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n_base, size=(resamples, n_base))
    y_a, y_b = outputs[:n_base][picks], outputs[n_base : 2 * n_base][picks]  # resamples × n_base
    variance = np.var(np.concatenate([y_a, y_b], axis=1), axis=1)
    alpha = (1 - level) / 2
    rows = []
    for i in range(k):
        y_ab = outputs[(2 + i) * n_base : (3 + i) * n_base][picks]
        with np.errstate(invalid="ignore", divide="ignore"):
            boot_first = np.mean(y_b * (y_ab - y_a), axis=1) / variance
            boot_total = 0.5 * np.mean((y_a - y_ab) ** 2, axis=1) / variance
        f_lo, f_hi = np.nanquantile(boot_first, [alpha, 1 - alpha]) if np.isfinite(boot_first).any() else (np.nan, np.nan)
        t_lo, t_hi = np.nanquantile(boot_total, [alpha, 1 - alpha]) if np.isfinite(boot_total).any() else (np.nan, np.nan)
        wide = bool((f_hi - f_lo) > WIDE_INTERVAL or (t_hi - t_lo) > WIDE_INTERVAL or first[i] > total[i])
        rows.append({"first_order": first[i], "first_low": f_lo, "first_high": f_hi, "total": total[i],
                     "total_low": t_lo, "total_high": t_hi, "base_runs": n_base, "runs": n_base * (k + 2), "wide": wide})
    return pd.DataFrame(rows)


def monte_carlo(
    dataset: Dataset,
    spec: PipelineSpec,
    uncertainties: Uncertainties,
    *,
    runs: int = 1000,
    sensitivity: bool = True,
    year: int | None = None,
    seed: int = 0,
) -> UncertaintyResult:
    check(spec, uncertainties, runs, sensitivity)
    rng = np.random.default_rng(seed)
    fw = dataset.framework
    factors = uncertainties.factors()
    k = len(factors)
    n_base = runs // (k + 2) if sensitivity else runs
    samples = _saltelli_design(n_base, k, rng) if sensitivity else rng.random((runs, k))
    options = {
        "weights": uncertainties.weight_sets,
        "imputation": len(uncertainties.imputation),
        "normalisation": len(uncertainties.normalisation),
        "aggregation": len(uncertainties.aggregation),
    }
    choice = {f: np.minimum((samples[:, j] * options[f]).astype(int), options[f] - 1) for j, f in enumerate(factors)}
    n_runs = samples.shape[0]
    zeros = np.zeros(n_runs, dtype=int)
    weight_choice = choice.get("weights", zeros)
    imputation_choice = choice.get("imputation", zeros)
    normalisation_choice = choice.get("normalisation", zeros)
    aggregation_choice = choice.get("aggregation", zeros)

    nominal = run_pipeline(dataset, spec)
    year_pos = nominal.years.index(year) if year is not None else len(nominal.years) - 1
    active = nominal.active[year_pos]
    nominal_ranks = nominal.ranks[year_pos, :, fw.all_codes.index(fw.index_code)]

    child_codes = [c for level in fw.levels[:-1] for c in level]
    base_weights = np.array([nominal.weights[c] for c in child_codes])
    noise = rng.uniform(-1, 1, (max(uncertainties.weight_sets, 1), len(child_codes)))
    weight_table = base_weights * (1 + uncertainties.weight_noise * noise)

    default_agg = (spec.step("aggregate").params["method"],)  # type: ignore[union-attr]
    aggregation_options = uncertainties.aggregation or default_agg
    normalised = _normalised_variants(dataset, spec, uncertainties, year_pos, nominal)

    index_scores = np.full((n_runs, len(dataset.unit_codes)), np.nan)
    for (imp, norm, agg) in itertools.product(
        range(max(options["imputation"], 1)), range(max(options["normalisation"], 1)), range(len(aggregation_options))
    ):
        members = np.flatnonzero((imputation_choice == imp) & (normalisation_choice == norm) & (aggregation_choice == agg))
        if members.size == 0:
            continue
        weights = weight_table[weight_choice[members]] if "weights" in factors else np.broadcast_to(
            base_weights, (members.size, len(child_codes))
        )
        index_scores[members] = _index_for_runs(
            normalised[(imp, norm)], active, weights, child_codes, fw, aggregation_options[agg]
        )
    run_ranks = rank_descending(index_scores, axis=1)
    result = UncertaintyResult(
        unit_codes=dataset.unit_codes,
        nominal_ranks=nominal_ranks,
        run_ranks=run_ranks,
        run_scores=index_scores,
        choices=pd.DataFrame({f: choice[f] for f in factors}),
        factors=factors,
    )
    if sensitivity:
        shift = np.nanmean(np.abs(run_ranks - nominal_ranks), axis=1)
        result.sensitivity = sobol_intervals(shift, n_base, k, seed=seed)
        result.sensitivity.index = pd.Index(factors, name="factor")
        unit_first, unit_total = sobol_indices(run_ranks, n_base, k)
        index = pd.Index(dataset.unit_codes, name="uCode")
        result.unit_sensitivity = {
            "first_order": pd.DataFrame(unit_first.T, index=index, columns=factors),
            "total": pd.DataFrame(unit_total.T, index=index, columns=factors),
        }
    return result


def _normalised_variants(
    dataset: Dataset,
    spec: PipelineSpec,
    uncertainties: Uncertainties,
    year_pos: int,
    nominal: PipelineResult,
) -> dict[tuple[int, int], np.ndarray]:
    variants: dict[tuple[int, int], np.ndarray] = {}
    imputations = uncertainties.imputation or (None,)
    normalisations = uncertainties.normalisation or (None,)
    for (i, imp), (n, norm) in itertools.product(enumerate(imputations), enumerate(normalisations)):
        if imp is None and norm is None:
            variants[(i, n)] = nominal.stages["normalised"][year_pos]
            continue
        variant = spec
        if imp is not None:
            variant = variant.replace_step("impute", **imp)
        if norm is not None:
            variant = variant.replace_step("normalise", **norm)
        variants[(i, n)] = run_pipeline(dataset, variant).stages["normalised"][year_pos]
    return variants


def _index_for_runs(
    normalised: np.ndarray,
    active: np.ndarray,
    weights: np.ndarray,
    child_codes: list[str],
    fw: Any,
    method: str,
) -> np.ndarray:
    """Index scores ``(runs, units)`` for one normalised matrix and one weight set per run."""
    n_runs = weights.shape[0]
    position = {c: j for j, c in enumerate(child_codes)}
    scores = np.where(active[:, None], normalised, np.nan)
    # level 1: one matrix product for every run at once, weight sets side by side
    links = fw.links(1)
    run_weights = weights[:, [position[c] for c in links.child_codes]]  # (runs, children)
    stacked = (links.membership[None, :, :] * run_weights[:, :, None]).transpose(1, 0, 2)
    flat = weighted_means(scores, stacked.reshape(len(links.child_codes), -1), method)
    level_scores = flat.reshape(scores.shape[0], n_runs, -1).transpose(1, 0, 2)  # (runs, units, parents)
    for level in range(2, len(fw.levels)):
        links = fw.links(level)
        run_weights = weights[:, [position[c] for c in links.child_codes]]
        batched = links.membership[None, :, :] * run_weights[:, :, None]  # (runs, children, parents)
        level_scores = weighted_means(level_scores, batched, method)
    return level_scores[:, :, 0]
