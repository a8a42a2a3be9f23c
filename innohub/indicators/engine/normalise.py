"""Normalisation: bring indicators onto a common scale, higher always better.

Every method takes a ``(units, columns)`` matrix and each column's direction (+1: more is better,
-1: less is better) and returns scores where higher is better. Min-max, z-score, rank and
percentile rank work on ``direction * x`` (COINr's convention); the distance methods and
goalposts state their own formula for each direction, since a ratio of sign-flipped values
means nothing. An indicator with no variance carries no information to tell units apart: min-max
gives every unit the middle of the range, z-score the mean, rank the average rank.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from scipy.stats import rankdata

NORMALISATION_METHODS = (
    "minmax",
    "zscore",
    "rank",
    "percentile_rank",
    "distance_to_best",
    "distance_to_reference",
    "distance_to_target",
    "goalposts",
    "none",
)




def minmax(x: np.ndarray, direction: np.ndarray, low: float = 0.0, high: float = 100.0) -> np.ndarray:
    signed = x * direction
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo, hi = np.nanmin(signed, axis=0), np.nanmax(signed, axis=0)
        span = hi - lo
        out = (signed - lo) / span * (high - low) + low
    flat = span == 0
    out[:, flat] = np.where(np.isnan(x[:, flat]), np.nan, (low + high) / 2)
    return out


def zscore(x: np.ndarray, direction: np.ndarray, mean: float = 0.0, sd: float = 1.0) -> np.ndarray:
    signed = x * direction
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mu = np.nanmean(signed, axis=0)
        sigma = np.nanstd(signed, axis=0, ddof=1)  # sample sd, as R's sd() and COINr
        out = (signed - mu) / sigma * sd + mean
    flat = ~(sigma > 0)
    out[:, flat] = np.where(np.isnan(x[:, flat]), np.nan, mean)
    return out


def rank(x: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Rank among units, 1 = worst; ties share the average rank; missing stays missing."""
    return rankdata(x * direction, method="average", axis=0, nan_policy="omit")


def percentile_rank(x: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """100 * (rank - 1) / (n - 1): 0 for the worst unit, 100 for the best."""
    ranks = rank(x, direction)
    n = np.sum(~np.isnan(x), axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 100.0 * (ranks - 1) / (n - 1)
    out[:, n == 1] = np.where(np.isnan(x[:, n == 1]), np.nan, 50.0)
    return out


def distance_to_best(x: np.ndarray, direction: np.ndarray, scale: float = 100.0) -> np.ndarray:
    """``scale * x / max`` for +1 indicators, ``scale * min / x`` for -1; values must be > 0."""
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        best_high, best_low = np.nanmax(x, axis=0), np.nanmin(x, axis=0)
        return np.where(direction > 0, x / best_high, best_low / x) * scale


def distance_to_reference(
    x: np.ndarray, direction: np.ndarray, reference_row: int, scale: float = 100.0
) -> np.ndarray:
    """``scale * x / x_ref`` for +1 indicators, ``scale * x_ref / x`` for -1."""
    ref = x[reference_row]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(direction > 0, x / ref, ref / x) * scale


def distance_to_target(
    x: np.ndarray, direction: np.ndarray, target: np.ndarray, scale: float = 100.0, cap: bool = True
) -> np.ndarray:
    """Share of the way from the worst unit to the target: ``(x - worst) / (target - worst)``."""
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        worst = np.where(direction > 0, np.nanmin(x, axis=0), np.nanmax(x, axis=0))
        out = (x - worst) / (target - worst) * scale
    return np.minimum(out, scale) if cap else out


def goalposts(
    x: np.ndarray, direction: np.ndarray, lower: np.ndarray, upper: np.ndarray, scale: float = 100.0
) -> np.ndarray:
    """Fixed goalposts: ``(x - lower) / (upper - lower)`` (reversed for -1), clipped to [0, scale]."""
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(direction > 0, (x - lower) / (upper - lower), (upper - x) / (upper - lower))
    return np.clip(share, 0.0, 1.0) * scale


def normalise(
    x: np.ndarray,
    direction: np.ndarray,
    method: str,
    *,
    low: float = 0.0,
    high: float = 100.0,
    mean: float = 0.0,
    sd: float = 1.0,
    scale: float = 100.0,
    reference_row: int | None = None,
    target: np.ndarray | Sequence[float] | float | None = None,
    lower: np.ndarray | float | None = None,
    upper: np.ndarray | float | None = None,
    cap: bool = True,
) -> np.ndarray:
    direction = np.asarray(direction, dtype=float)
    if method == "minmax":
        return minmax(x, direction, low, high)
    if method == "zscore":
        return zscore(x, direction, mean, sd)
    if method == "rank":
        return rank(x, direction)
    if method == "percentile_rank":
        return percentile_rank(x, direction)
    if method == "distance_to_best":
        return distance_to_best(x, direction, scale)
    if method == "distance_to_reference":
        if reference_row is None:
            raise ValueError("distance_to_reference needs a reference unit")
        return distance_to_reference(x, direction, reference_row, scale)
    if method == "distance_to_target":
        if target is None:
            raise ValueError("distance_to_target needs a target")
        return distance_to_target(x, direction, np.asarray(target, dtype=float), scale, cap)
    if method == "goalposts":
        if lower is None or upper is None:
            raise ValueError("goalposts need lower and upper")
        return goalposts(x, direction, np.asarray(lower, float), np.asarray(upper, float), scale)
    if method == "none":
        return x.copy()
    raise ValueError(f"unknown normalisation {method!r}; choose from {', '.join(NORMALISATION_METHODS)}")
