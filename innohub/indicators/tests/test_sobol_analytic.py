"""The Sobol estimators against functions whose indices are known analytically: Ishigami
(a=7, b=0.1) and Sobol's G. Tolerance: 0.05 on every index with 2^14 base samples (fixed seed),
and each bootstrap interval contains its estimate."""

from __future__ import annotations

import numpy as np
import pytest

from innohub.indicators.engine.uncertainty import _saltelli_design, sobol_intervals

TOLERANCE = 0.05
N_BASE = 2**14


def _ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    x = -np.pi + 2 * np.pi * x  # U(0,1) → U(-π, π)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def _ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[list[float], list[float]]:
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


G_A = [0.0, 1.0, 4.5, 9.0, 99.0]


def _sobol_g(x: np.ndarray) -> np.ndarray:
    return np.prod([(np.abs(4 * x[:, i] - 2) + a) / (1 + a) for i, a in enumerate(G_A)], axis=0)


def _sobol_g_indices() -> tuple[list[float], list[float]]:
    vi = [1 / (3 * (1 + a) ** 2) for a in G_A]
    v = np.prod([1 + x for x in vi]) - 1
    total = [vi[i] * np.prod([1 + vi[j] for j in range(len(vi)) if j != i]) / v for i in range(len(vi))]
    return [x / v for x in vi], total


@pytest.mark.parametrize(("function", "exact", "k"), [
    (_ishigami, _ishigami_indices(), 3),
    (_sobol_g, _sobol_g_indices(), len(G_A)),
], ids=["ishigami", "sobol-g"])
def test_estimates_match_the_analytic_indices(function, exact, k):
    samples = _saltelli_design(N_BASE, k, np.random.default_rng(12345))
    table = sobol_intervals(function(samples), N_BASE, k, resamples=300, seed=1)
    first, total = exact
    assert np.abs(table["first_order"].to_numpy() - first).max() < TOLERANCE
    assert np.abs(table["total"].to_numpy() - total).max() < TOLERANCE
    assert (table["first_low"] <= table["first_order"]).all() and (table["first_order"] <= table["first_high"]).all()
    assert (table["total_low"] <= table["total"]).all() and (table["total"] <= table["total_high"]).all()
    assert (table["runs"] == N_BASE * (k + 2)).all()


def test_few_runs_give_wide_intervals_and_are_flagged():
    samples = _saltelli_design(8, 3, np.random.default_rng(3))
    table = sobol_intervals(_ishigami(samples), 8, 3, resamples=200)
    assert table["wide"].any()
    assert (table["base_runs"] == 8).all()


def test_a_first_order_estimate_above_the_total_is_flagged():
    outputs = np.array([0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5])  # A, B, AB_1; n_base 4
    row = sobol_intervals(outputs, 4, 1, resamples=50).iloc[0]
    assert row.first_order > row.total  # sampling error: impossible for the true indices
    assert row.wide


def test_the_sensitivity_page_shows_intervals_runs_and_flags(client, finished_run):
    from django.urls import reverse

    from innohub.indicators.models import SensitivityIndex

    indices = list(SensitivityIndex.objects.filter(run=finished_run))
    assert indices and all(i.runs == 60 and i.base_runs == 12 for i in indices)  # 60 runs, three choices
    SensitivityIndex.objects.filter(pk=indices[0].pk).update(
        first_order=0.7, first_low=0.2, first_high=0.95, total=0.46, total_low=0.1, total_high=0.8, wide=True)
    page = client.get("/en" + reverse("indicators:sensitivity")).content.decode()
    assert "95% interval" in page and f"Estimated from {indices[0].runs} runs" in page
    assert "Too uncertain to read" in page and "0.20 – 0.95" in page
