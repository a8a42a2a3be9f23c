"""Given the Monte Carlo analysis, when it runs, then the sensitivity estimators recover known
indices, the rank summary is consistent, and impossible set-ups are refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from innohub.indicators.engine import SpecError, load_coinr, load_spec
from innohub.indicators.engine.uncertainty import (
    Uncertainties,
    _saltelli_design,
    monte_carlo,
    sobol_indices,
)

DATA = Path("/work/shared/data/coinr-asem")


def test_sobol_estimators_recover_an_additive_model():
    # Y = 2 X1 + X2 with X ~ U(0,1): Var = (4 + 1) / 12, so S1 = 4/5, S2 = 1/5, totals the same
    rng = np.random.default_rng(7)
    n = 20000
    design = _saltelli_design(n, 2, rng)
    y = 2 * design[:, 0] + design[:, 1]
    first, total = sobol_indices(y, n, 2)
    assert first == pytest.approx([0.8, 0.2], abs=0.03)
    assert total == pytest.approx([0.8, 0.2], abs=0.03)


def test_sobol_estimators_see_an_interaction_only_in_the_total_index():
    # Y = X1 * X2 centred: X1' X2' with X' ~ U(-1/2, 1/2) has no first-order effect at all
    rng = np.random.default_rng(8)
    n = 20000
    design = _saltelli_design(n, 2, rng)
    y = (design[:, 0] - 0.5) * (design[:, 1] - 0.5)
    first, total = sobol_indices(y, n, 2)
    assert first == pytest.approx([0, 0], abs=0.03)
    assert total == pytest.approx([1, 1], abs=0.03)


@pytest.fixture(scope="module")
def asem():
    return load_coinr(DATA / "ASEM_iData.csv", DATA / "ASEM_iMeta.csv"), load_spec("coinr-example")


def test_uncertainty_and_sensitivity_on_the_reference(asem):
    dataset, spec = asem
    choices = Uncertainties(
        weight_noise=0.25,
        weight_sets=50,
        normalisation=({"method": "minmax", "low": 1, "high": 100}, {"method": "rank"}),
        aggregation=("arithmetic", "geometric"),
    )
    result = monte_carlo(dataset, spec, choices, runs=500, seed=3)
    # Saltelli design: N (k + 2) runs with k = 3 factors, N = 500 // 5
    assert result.run_ranks.shape == (500, 51)
    assert result.factors == ["weights", "normalisation", "aggregation"]
    for run in result.run_ranks[:50]:
        assert sorted(run) == list(range(1, 52))  # distinct scores: every run ranks 1..51
    summary = result.rank_summary()
    assert (summary["rank_q05"] <= summary["median_rank"]).all()
    assert (summary["median_rank"] <= summary["rank_q95"]).all()
    assert summary.loc["CHE", "nominal_rank"] == 1
    assert summary.loc["CHE", "rank_q95"] <= 3  # CHE's lead survives every choice
    assert set(result.sensitivity.index) == set(result.factors)
    assert (result.sensitivity["total"] >= 0).all()
    assert result.unit_sensitivity["total"].shape == (51, 3)


def test_weights_only_at_zero_noise_reproduce_the_nominal_ranking(asem):
    dataset, spec = asem
    choices = Uncertainties(weight_noise=1e-12, weight_sets=5)
    result = monte_carlo(dataset, spec, choices, runs=30, sensitivity=False)
    assert (result.run_ranks == result.nominal_ranks).all()


def test_impossible_set_ups_are_refused(asem):
    dataset, spec = asem
    with pytest.raises(SpecError, match="nothing is uncertain"):
        monte_carlo(dataset, spec, Uncertainties(weight_noise=0), runs=100)
    with pytest.raises(SpecError, match="Monte Carlo supports"):
        monte_carlo(dataset, spec, Uncertainties(aggregation=("arithmetic", "copeland")), runs=100)
    with pytest.raises(SpecError, match="unknown method 'cubic'"):
        monte_carlo(dataset, spec, Uncertainties(normalisation=({"method": "cubic"}, {"method": "rank"})), runs=100)
