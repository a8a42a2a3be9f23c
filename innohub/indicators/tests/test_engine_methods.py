"""Each pipeline method against values worked out by hand (the arithmetic is in the comments and
the expected values), including missing data, a single-unit group, an indicator with no variance
and zeros under a geometric mean."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import kurtosis as scipy_kurtosis
from scipy.stats import skew as scipy_skew

from innohub.indicators.engine.aggregate import copeland, pca_weights, weighted_means
from innohub.indicators.engine.analysis import cronbach_alpha
from innohub.indicators.engine.impute import impute
from innohub.indicators.engine.normalise import normalise
from innohub.indicators.engine.stats import kurtosis, rank_descending, skewness
from innohub.indicators.engine.treat import treat_outliers

NAN = np.nan


def column(*values: float) -> np.ndarray:
    return np.array(values, dtype=float)[:, None]


# --- statistics and outlier treatment -------------------------------------------------------


def test_skewness_and_kurtosis_match_coinr_documented_values():
    x = column(*range(1, 11), 30, 100)
    assert skewness(x)[0] == pytest.approx(3.063241, abs=1e-6)
    assert kurtosis(x)[0] == pytest.approx(9.741391, abs=1e-6)


def test_skewness_ignores_missing_values():
    with_gap = column(*range(1, 11), NAN, 30, 100)
    assert skewness(with_gap)[0] == pytest.approx(3.063241, abs=1e-6)


def test_failing_indicator_is_winsorised_one_point_then_passes():
    # skew 3.06 >= 2 and kurtosis 9.74 >= 3.5: fails. Right skew, so 100 becomes the next value, 30.
    # [1..10, 30, 30] has skew 1.71 < 2 (scipy, bias-corrected), so it passes after one point.
    outcome = treat_outliers(column(*range(1, 11), 30, 100))
    assert scipy_skew([*range(1, 11), 30, 30], bias=False) < 2
    assert outcome.values[:, 0].tolist() == [*range(1, 11), 30, 30]
    assert outcome.points_winsorised.tolist() == [1]
    assert outcome.winsorised_high[:, 0].tolist() == [False] * 11 + [True]
    assert not outcome.logged[0]
    assert outcome.passes_after[0]


def test_winsorisation_stops_at_winmax_and_falls_back_to_log_of_untreated_values():
    x = [*range(1, 21), 1000, 1001, 1002]
    # one point allowed: 1002 -> 1001, and the rule still fails (skew 2.35, kurtosis 3.85):
    once = [*range(1, 21), 1000, 1001, 1001]
    assert abs(scipy_skew(once, bias=False)) >= 2 and scipy_kurtosis(once, bias=False) >= 3.5
    outcome = treat_outliers(column(*x), winmax=1)
    # log(x - min + 0.01 (max - min)) = log(x - 1 + 10.01), on the original values
    expected = [math.log(v - 1 + 10.01) for v in x]
    assert outcome.values[:, 0] == pytest.approx(expected)
    assert outcome.logged[0]
    assert outcome.points_winsorised[0] == 0


def test_winsorise_without_fallback_keeps_winsorised_values():
    outcome = treat_outliers(column(*range(1, 21), 1000, 1001, 1002), winmax=1, fallback="none")
    assert outcome.values[:, 0].tolist() == [*range(1, 21), 1000, 1001, 1001]
    assert not outcome.logged[0]


def test_left_skewed_indicator_is_winsorised_at_the_bottom():
    outcome = treat_outliers(column(-100, -30, *range(1, 11)))
    assert outcome.values[:, 0].tolist() == [-30, -30, *range(1, 11)]
    assert outcome.winsorised_low[0, 0]


def test_indicator_with_no_variance_passes_untouched():
    outcome = treat_outliers(column(5, 5, 5, 5, 5))
    assert not outcome.failed_before[0]
    assert outcome.values[:, 0].tolist() == [5] * 5


# --- imputation -------------------------------------------------------------------------------


def cross_section(*values: float) -> np.ndarray:
    """One year, units down, one indicator."""
    return np.array(values, dtype=float)[None, :, None]


def test_mean_and_median_imputation():
    x = cross_section(1, NAN, 3, 8)
    assert impute(x, "mean")[0, :, 0].tolist() == [1, 4, 3, 8]  # (1 + 3 + 8) / 3
    assert impute(x, "median")[0, :, 0].tolist() == [1, 3, 3, 8]


def test_group_mean_and_group_median_use_the_units_own_group():
    x = cross_section(1, NAN, 3, NAN, 10, 20, 60)
    groups = ["a", "a", "a", "b", "b", "b", "b"]
    assert impute(x, "group_mean", groups=groups)[0, :, 0].tolist() == [1, 2, 3, 30, 10, 20, 60]
    assert impute(x, "group_median", groups=groups)[0, :, 0].tolist() == [1, 2, 3, 20, 10, 20, 60]


def test_single_unit_group_with_a_missing_value_stays_missing():
    x = cross_section(1, 3, NAN)
    filled = impute(x, "group_mean", groups=["a", "a", "solo"])
    assert filled[0, :2, 0].tolist() == [1, 3]
    assert np.isnan(filled[0, 2, 0])


def test_screened_out_units_are_not_imputed():
    x = cross_section(1, NAN, 3)
    active = np.array([[True, False, True]])
    assert np.isnan(impute(x, "mean", active=active)[0, 1, 0])


def panel(*values: float) -> np.ndarray:
    """One unit, years down, one indicator."""
    return np.array(values, dtype=float)[:, None, None]


def test_linear_imputation_over_time_holds_the_ends():
    # between 2 (year 1) and 8 (year 3): year 2 = 2 + (8 - 2) / 2 = 5; ends take the nearest
    assert impute(panel(NAN, 2, NAN, 8, NAN), "linear")[:, 0, 0].tolist() == [2, 2, 5, 8, 8]
    assert impute(panel(0, NAN, NAN, 9), "linear")[:, 0, 0].tolist() == [0, 3, 6, 9]


def test_last_value_imputation_carries_forward_only():
    filled = impute(panel(NAN, 2, NAN, 8, NAN), "last_value")[:, 0, 0]
    assert np.isnan(filled[0])
    assert filled[1:].tolist() == [2, 2, 8, 8]


# --- normalisation ----------------------------------------------------------------------------

X = column(2, 4, 6, 10)
UP, DOWN = np.array([1.0]), np.array([-1.0])


def test_minmax_to_any_range_and_reversed_for_negative_direction():
    assert normalise(X, UP, "minmax")[:, 0].tolist() == [0, 25, 50, 100]  # (x - 2) / 8 * 100
    assert normalise(X, DOWN, "minmax")[:, 0].tolist() == [100, 75, 50, 0]
    assert normalise(X, UP, "minmax", low=1, high=10)[:, 0].tolist() == [1, 3.25, 5.5, 10]


def test_zscore_uses_the_sample_standard_deviation():
    # mean 5.5; sd = sqrt((3.5^2 + 1.5^2 + 0.5^2 + 4.5^2) / 3) = sqrt(35 / 3)
    sd = math.sqrt(35 / 3)
    expected = [(v - 5.5) / sd for v in (2, 4, 6, 10)]
    assert normalise(X, UP, "zscore")[:, 0] == pytest.approx(expected)
    assert normalise(X, UP, "zscore", mean=100, sd=10)[:, 0] == pytest.approx([100 + 10 * e for e in expected])


def test_rank_and_percentile_rank_share_ties():
    tied = column(2, 4, 4, 10)
    assert normalise(tied, UP, "rank")[:, 0].tolist() == [1, 2.5, 2.5, 4]
    # 100 (rank - 1) / (n - 1)
    assert normalise(tied, UP, "percentile_rank")[:, 0] == pytest.approx([0, 50, 50, 100])
    assert normalise(X, DOWN, "rank")[:, 0].tolist() == [4, 3, 2, 1]


def test_distance_to_best_reference_and_target():
    assert normalise(X, UP, "distance_to_best")[:, 0] == pytest.approx([20, 40, 60, 100])  # x / 10
    assert normalise(X, DOWN, "distance_to_best")[:, 0] == pytest.approx([100, 50, 100 / 3, 20])  # 2 / x
    assert normalise(X, UP, "distance_to_reference", reference_row=1)[:, 0] == pytest.approx([50, 100, 150, 250])
    # (x - 2) / (8 - 2), capped at 100
    assert normalise(X, UP, "distance_to_target", target=8)[:, 0] == pytest.approx([0, 100 / 3, 200 / 3, 100])
    uncapped = normalise(X, UP, "distance_to_target", target=8, cap=False)[:, 0]
    assert uncapped[3] == pytest.approx(800 / 6)


def test_goalposts_clip_to_the_scale():
    # (x - 0) / (8 - 0) clipped to [0, 1]
    assert normalise(X, UP, "goalposts", lower=0, upper=8)[:, 0] == pytest.approx([25, 50, 75, 100])
    assert normalise(X, DOWN, "goalposts", lower=0, upper=8)[:, 0] == pytest.approx([75, 50, 25, 0])


def test_indicator_with_no_variance_gets_the_middle_and_missing_stays_missing():
    flat = column(5, 5, NAN, 5)
    minmax = normalise(flat, UP, "minmax")[:, 0]
    assert minmax[[0, 1, 3]].tolist() == [50, 50, 50]
    assert np.isnan(minmax[2])
    assert normalise(flat, UP, "zscore")[[0, 1, 3], 0].tolist() == [0, 0, 0]


def test_missing_values_are_left_out_of_the_normalisation():
    assert normalise(column(2, NAN, 10), UP, "minmax")[[0, 2], 0].tolist() == [0, 100]


@given(
    arrays(np.float64, st.tuples(st.integers(2, 30), st.integers(1, 5)), elements=st.floats(-1e6, 1e6)),
    st.floats(-100, 100),
    st.floats(1, 1000),
)
def test_minmax_output_lies_in_the_range(values, low, width):
    out = normalise(values, np.ones(values.shape[1]), "minmax", low=low, high=low + width)
    assert np.all(out >= low - 1e-9 * width) and np.all(out <= low + width + 1e-9 * width)


@given(arrays(np.float64, st.integers(1, 60), elements=st.floats(-1e9, 1e9)))
def test_ranks_of_distinct_scores_are_a_permutation(values):
    distinct = np.unique(values)
    ranks = rank_descending(distinct)
    assert sorted(ranks.tolist()) == list(range(1, len(distinct) + 1))
    assert ranks[np.argmax(distinct)] == 1


def test_ties_share_the_best_rank_and_missing_is_unranked():
    ranks = rank_descending(np.array([3, 1, NAN, 3, 5.0]))
    assert ranks[[0, 1, 3, 4]].tolist() == [2, 4, 2, 1]
    assert np.isnan(ranks[2])


# --- weighting and aggregation ---------------------------------------------------------------

CHILDREN = np.array([[4.0, 16.0, 1.0]])
ONE_PARENT = np.array([[1.0], [1.0], [2.0]])  # weights 1, 1, 2


def test_weighted_means():
    assert weighted_means(CHILDREN, ONE_PARENT, "arithmetic")[0, 0] == pytest.approx(22 / 4)  # (4+16+2)/4
    assert weighted_means(CHILDREN, ONE_PARENT, "geometric")[0, 0] == pytest.approx(64 ** 0.25)  # (4*16*1^2)^(1/4)
    # 4 / (1/4 + 1/16 + 2/1)
    assert weighted_means(CHILDREN, ONE_PARENT, "harmonic")[0, 0] == pytest.approx(4 / 2.3125)
    # sqrt((16 + 256 + 2) / 4)
    assert weighted_means(CHILDREN, ONE_PARENT, "generalised", power=2)[0, 0] == pytest.approx(math.sqrt(68.5))


def test_missing_child_is_skipped_and_weights_rescaled():
    assert weighted_means(np.array([[NAN, 16.0, 1.0]]), ONE_PARENT, "arithmetic")[0, 0] == pytest.approx(6)  # 18/3
    assert np.isnan(weighted_means(np.array([[NAN, NAN, NAN]]), ONE_PARENT, "arithmetic")[0, 0])


def test_zero_under_geometric_and_harmonic_means_gives_zero():
    with_zero = np.array([[0.0, 16.0, 1.0], [4.0, 16.0, 1.0]])
    geometric = weighted_means(with_zero, ONE_PARENT, "geometric")[:, 0]
    assert geometric.tolist()[0] == 0.0
    assert geometric[1] == pytest.approx(64 ** 0.25)
    assert weighted_means(with_zero, ONE_PARENT, "harmonic")[0, 0] == 0.0


def test_negative_under_geometric_mean_is_undefined():
    assert np.isnan(weighted_means(np.array([[-1.0, 16.0, 1.0]]), ONE_PARENT, "geometric")[0, 0])


def test_several_parents_aggregate_in_one_product():
    weights = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])  # a single-child parent: the child itself
    assert weighted_means(CHILDREN, weights, "arithmetic")[0].tolist() == [10, 1]


@given(arrays(np.float64, st.tuples(st.integers(1, 20), st.integers(1, 8)), elements=st.floats(0.01, 1e4)))
def test_means_lie_between_min_and_max_and_are_ordered(children):
    weights = np.ones((children.shape[1], 1))
    arithmetic = weighted_means(children, weights, "arithmetic")[:, 0]
    geometric = weighted_means(children, weights, "geometric")[:, 0]
    harmonic = weighted_means(children, weights, "harmonic")[:, 0]
    tolerance = 1e-9 * children.max()
    assert np.all(arithmetic <= children.max(axis=1) + tolerance)
    assert np.all(arithmetic >= children.min(axis=1) - tolerance)
    assert np.all(harmonic <= geometric + tolerance) and np.all(geometric <= arithmetic + tolerance)


def test_copeland_counts_pairwise_majorities():
    # A beats B and C on two of three indicators, B beats C on two of three
    units = np.array([[3.0, 3.0, 1.0], [2.0, 2.0, 2.0], [1.0, 1.0, 3.0]])
    assert copeland(units, np.ones(3)).tolist() == [2, 0, -2]
    # weight the third indicator 3: it now outweighs the other two in every pair
    assert copeland(units, np.array([1.0, 1.0, 3.0])).tolist() == [-2, 0, 2]


def test_pca_weights_are_squared_first_component_loadings():
    c1 = np.array([1.0, 2.0, 3.0, 4.0])
    uncorrelated = np.array([1.0, -1.0, -1.0, 1.0])  # centred c1 . this = -1.5+0.5-0.5+1.5 = 0
    weights = pca_weights(np.column_stack([c1, 2 * c1, uncorrelated]))
    # correlations: c1~2c1 = 1, both ~ third = 0; first eigenvector (1, 1, 0)/sqrt(2)
    assert weights == pytest.approx([0.5, 0.5, 0.0], abs=1e-12)


def test_pca_weight_of_a_constant_child_is_zero():
    c1 = np.array([1.0, 2.0, 3.0, 4.0])
    assert pca_weights(np.column_stack([c1, 3 * c1 + 1, np.full(4, 7.0)])) == pytest.approx([0.5, 0.5, 0])


def test_cronbach_alpha():
    # items 1..4 and (2,1,4,3): item variances 5/3 each; totals (3,3,7,7) variance 16/3
    # alpha = 2/1 * (1 - (10/3) / (16/3)) = 0.75
    assert cronbach_alpha(np.array([[1, 2], [2, 1], [3, 4], [4, 3]], dtype=float)) == pytest.approx(0.75)
    assert cronbach_alpha(np.array([[1, 1], [2, 2], [3, 3]], dtype=float)) == pytest.approx(1.0)
    assert math.isnan(cronbach_alpha(np.array([[1.0], [2.0]])))
