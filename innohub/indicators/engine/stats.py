"""Column statistics used by the outlier rule: sample skewness and kurtosis, NaN-aware.

Both use the bias corrections of e1071's ``type = 2`` (Excel's SKEW and KURT), the definitions
COINr uses, so the pass/fail rule agrees with it point for point. scipy.stats.skew/kurtosis with
``bias=False`` give the same numbers but do not skip NaN per column without a masked-array round
trip, so the arithmetic is written out here over whole matrices at once.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata


def _centred(columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    present = ~np.isnan(columns)
    n = present.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(columns, axis=0) / n
    centred = np.where(present, columns - mean, 0.0)
    return centred, n


def skewness_kurtosis(columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Skewness and excess kurtosis of each column of a (units, columns) matrix, in one pass;
    NaN with fewer than 3 (skewness) or 4 (kurtosis) values, 0 for a constant column."""
    centred, n = _centred(np.atleast_2d(columns.T).T)
    # products, not ** 3 / ** 4: numpy's generic pow is several times slower on big matrices
    squared = centred * centred
    m2 = squared.sum(axis=0)
    m3 = (squared * centred).sum(axis=0)
    m4 = (squared * squared).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        g1 = np.sqrt(n) * m3 / m2**1.5
        skew = g1 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * m4 / (m2 * m2)
        kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    skew[n < 3] = np.nan
    kurt[n < 4] = np.nan
    # a constant column has neither skew nor tails; it must not fail the outlier rule
    skew[m2 == 0] = 0.0
    kurt[m2 == 0] = 0.0
    return skew, kurt


def skewness(columns: np.ndarray) -> np.ndarray:
    return skewness_kurtosis(columns)[0]


def kurtosis(columns: np.ndarray) -> np.ndarray:
    return skewness_kurtosis(columns)[1]


def rank_descending(scores: np.ndarray, axis: int = 0) -> np.ndarray:
    """Competition ranks (1 = highest, ties share the best rank, NaN stays NaN) along ``axis``."""
    values = np.asarray(scores, dtype=float)
    return rankdata(-values, method="min", axis=axis, nan_policy="omit")
