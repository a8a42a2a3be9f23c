"""Outlier treatment, as COINr's ``Treat()`` does it, vectorised over every column at once.

An indicator passes when |skewness| < ``skew_threshold`` or kurtosis < ``kurtosis_threshold``.
A failing one is winsorised: the value(s) at the extreme on the side of the skew are replaced by
the next value, the rule re-checked, and this repeated while fewer than ``winmax`` points have
been winsorised (tied extremes count together, so the total may overshoot by the ties, as in
COINr). If it still fails, the fallback transform is applied to the *untreated* column
(``log``: ``log(x - min + 0.01 (max - min))``, COINr's ``log_CT``). Columns are ``(units,
columns)`` matrices; each loop step treats every still-failing column together, so the cost is at
most ``winmax`` passes over the matrix whatever the number of indicators and years.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .stats import skewness_kurtosis

TREATMENT_METHODS = ("skew_kurtosis", "winsorise", "log", "none")
FALLBACKS = ("log", "none")


@dataclass
class TreatmentOutcome:
    values: np.ndarray  # (units, columns) treated
    failed_before: np.ndarray  # bool (columns,)
    winsorised_high: np.ndarray  # bool (units, columns): points replaced at the top
    winsorised_low: np.ndarray  # bool (units, columns)
    points_winsorised: np.ndarray  # int (columns,)
    logged: np.ndarray  # bool (columns,)
    passes_after: np.ndarray  # bool (columns,)
    skew_before: np.ndarray
    kurtosis_before: np.ndarray
    skew_after: np.ndarray
    kurtosis_after: np.ndarray


def passes_rule(columns: np.ndarray, skew_threshold: float, kurtosis_threshold: float) -> np.ndarray:
    return _passes(*skewness_kurtosis(columns), skew_threshold, kurtosis_threshold)


def _passes(skew: np.ndarray, kurt: np.ndarray, skew_threshold: float, kurtosis_threshold: float) -> np.ndarray:
    # too few values to judge: leave the column alone, as COINr does when the check returns NA
    undecidable = np.isnan(skew) | np.isnan(kurt)
    return undecidable | (np.abs(skew) < skew_threshold) | (kurt < kurtosis_threshold)


def log_ct(columns: np.ndarray) -> np.ndarray:
    """COINr's ``log_CT``: ``log(x - min + 0.01 (max - min))``, column by column."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low = np.nanmin(columns, axis=0)
        high = np.nanmax(columns, axis=0)
        return np.log(columns - low + 0.01 * (high - low))


def treat_outliers(
    columns: np.ndarray,
    *,
    method: str = "skew_kurtosis",
    winmax: int = 5,
    skew_threshold: float = 2.0,
    kurtosis_threshold: float = 3.5,
    fallback: str = "log",
) -> TreatmentOutcome:
    x = np.array(columns, dtype=float, copy=True)
    n_cols = x.shape[1]
    skew0, kurt0 = skewness_kurtosis(x)
    failing0 = ~_passes(skew0, kurt0, skew_threshold, kurtosis_threshold)
    high = np.zeros_like(x, dtype=bool)
    low = np.zeros_like(x, dtype=bool)
    logged = np.zeros(n_cols, dtype=bool)
    if method == "none":
        failing0[:] = False
    if method == "log":
        logged[:] = True
        x = log_ct(x)
    elif method in ("skew_kurtosis", "winsorise"):
        x, high, low = _winsorise(x, failing0, winmax, skew_threshold, kurtosis_threshold)
        still_failing = failing0 & ~_passes(*skewness_kurtosis(x), skew_threshold, kurtosis_threshold)
        if method == "skew_kurtosis" and fallback == "log" and still_failing.any():
            # COINr applies the fallback to the untreated column, discarding the winsorisation
            x[:, still_failing] = log_ct(np.asarray(columns, dtype=float)[:, still_failing])
            high[:, still_failing] = False
            low[:, still_failing] = False
            logged = still_failing
    else:
        raise ValueError(f"unknown outlier treatment {method!r}; choose from {', '.join(TREATMENT_METHODS)}")
    skew1, kurt1 = skewness_kurtosis(x)
    return TreatmentOutcome(
        values=x,
        failed_before=failing0,
        winsorised_high=high,
        winsorised_low=low,
        points_winsorised=(high | low).sum(axis=0),
        logged=logged,
        passes_after=_passes(skew1, kurt1, skew_threshold, kurtosis_threshold),
        skew_before=skew0,
        kurtosis_before=kurt0,
        skew_after=skew1,
        kurtosis_after=kurt1,
    )


def _winsorise(
    x: np.ndarray,
    failing: np.ndarray,
    winmax: int,
    skew_threshold: float,
    kurtosis_threshold: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    high = np.zeros_like(x, dtype=bool)
    low = np.zeros_like(x, dtype=bool)
    active = failing.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        skew_now = skewness_kurtosis(x)[0] if active.any() else np.zeros(x.shape[1])
        while active.any():
            cols = np.flatnonzero(active)
            sub = x[:, cols]
            right_skewed = skew_now[cols] >= 0
            top = np.nanmax(sub, axis=0)
            bottom = np.nanmin(sub, axis=0)
            at_top = (sub == top) & right_skewed
            at_bottom = (sub == bottom) & ~right_skewed
            next_top = np.nanmax(np.where(at_top, np.nan, sub), axis=0)
            next_bottom = np.nanmin(np.where(at_bottom, np.nan, sub), axis=0)
            sub = np.where(at_top, next_top, np.where(at_bottom, next_bottom, sub))
            x[:, cols] = sub
            # the points now at the extreme include every earlier winsorised one on that side
            high[:, cols] = np.where(right_skewed, at_top, high[:, cols])
            low[:, cols] = np.where(~right_skewed, at_bottom, low[:, cols])
            n_win = high[:, cols].sum(axis=0) + low[:, cols].sum(axis=0)
            skew_sub, kurt_sub = skewness_kurtosis(sub)
            skew_now[cols] = skew_sub
            passing = _passes(skew_sub, kurt_sub, skew_threshold, kurtosis_threshold)
            active[cols] = ~passing & (n_win < winmax)
    return x, high, low
