"""Imputation of missing values: cross-sectional (mean, median, group mean/median) and over time.

Every function takes ``values[year, unit, indicator]`` and returns a filled copy; cells of units
that screening removed (``active`` False) are never filled. Cross-sectional methods use the other
units of the same year; panel methods use the same unit's other years. A cell that a method cannot
fill (a group whose only unit is missing, a series with no observation before it) stays NaN so
the next method in the chain (``fallback``) or the trace can deal with it.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

CROSS_SECTION_METHODS = ("mean", "median", "group_mean", "group_median")
PANEL_METHODS = ("linear", "last_value")
IMPUTATION_METHODS = (*CROSS_SECTION_METHODS, *PANEL_METHODS, "none")


def _column_stat(values: np.ndarray, statistic: str) -> np.ndarray:
    # all-NaN columns are expected (an indicator missing for a whole group); their NaN is the answer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if statistic == "mean":
            return np.nanmean(values, axis=1, keepdims=True)
        return np.nanmedian(values, axis=1, keepdims=True)


def impute_cross_section(
    values: np.ndarray,
    statistic: str,
    *,
    groups: Sequence[object] | None = None,
    active: np.ndarray | None = None,
) -> np.ndarray:
    """Fill each missing cell with the mean/median of its indicator and year (within its group)."""
    active = np.ones(values.shape[:2], dtype=bool) if active is None else active
    source = np.where(active[:, :, None], values, np.nan)
    missing = np.isnan(values) & active[:, :, None]
    filled = values.copy()
    if groups is None:
        fill = np.broadcast_to(_column_stat(source, statistic), values.shape)
        filled[missing] = fill[missing]
        return filled
    labels = np.asarray(groups, dtype=object)
    for label in dict.fromkeys(labels.tolist()):
        in_group = labels == label
        fill = np.broadcast_to(_column_stat(source[:, in_group, :], statistic), source[:, in_group].shape)
        block = filled[:, in_group, :]
        gap = missing[:, in_group, :]
        block[gap] = fill[gap]
        filled[:, in_group, :] = block
    return filled


def impute_last_value(values: np.ndarray, *, active: np.ndarray | None = None) -> np.ndarray:
    """Carry each unit's last observed value forward in time; leading gaps stay missing."""
    years = values.shape[0]
    observed = ~np.isnan(values)
    index = np.where(observed, np.arange(years)[:, None, None], -1)
    last_seen = np.maximum.accumulate(index, axis=0)
    gathered = np.take_along_axis(values, np.clip(last_seen, 0, None), axis=0)
    filled = np.where(observed | (last_seen < 0), values, gathered)
    return _keep_inactive(values, filled, active)


def impute_linear(values: np.ndarray, *, active: np.ndarray | None = None) -> np.ndarray:
    """Interpolate linearly in time between a unit's observations; before the first and after
    the last observation the nearest observed value is held (R's ``approx(rule = 2)``)."""
    years = values.shape[0]
    observed = ~np.isnan(values)
    steps = np.arange(years)[:, None, None]
    before = np.maximum.accumulate(np.where(observed, steps, -1), axis=0)
    after = np.flip(np.minimum.accumulate(np.flip(np.where(observed, steps, years), 0), axis=0), 0)
    has_before, has_after = before >= 0, after < years
    v_before = np.take_along_axis(values, np.clip(before, 0, years - 1), axis=0)
    v_after = np.take_along_axis(values, np.clip(after, 0, years - 1), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (steps - before) / (after - before)
    between = v_before + share * (v_after - v_before)
    filled = np.where(has_before & has_after, between, np.where(has_before, v_before, v_after))
    filled = np.where(observed, values, filled)
    return _keep_inactive(values, filled, active)


def _keep_inactive(original: np.ndarray, filled: np.ndarray, active: np.ndarray | None) -> np.ndarray:
    if active is None:
        return filled
    return np.where(active[:, :, None], filled, original)


def impute(
    values: np.ndarray,
    method: str,
    *,
    groups: Sequence[object] | None = None,
    active: np.ndarray | None = None,
) -> np.ndarray:
    if method == "none":
        return values.copy()
    if method in ("mean", "median"):
        return impute_cross_section(values, method, active=active)
    if method in ("group_mean", "group_median"):
        if groups is None:
            raise ValueError(f"imputation {method} needs a group column")
        return impute_cross_section(values, method.removeprefix("group_"), groups=groups, active=active)
    if method == "linear":
        return impute_linear(values, active=active)
    if method == "last_value":
        return impute_last_value(values, active=active)
    raise ValueError(f"unknown imputation method {method!r}; choose from {', '.join(IMPUTATION_METHODS)}")
