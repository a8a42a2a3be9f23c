"""Statistical analysis of a pipeline's results: correlations within and between levels and
Cronbach's alpha of each aggregate's children (how consistently they measure one thing)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import DataError
from .pipeline import PipelineResult

CORRELATION_METHODS = ("pearson", "spearman", "kendall")


def cronbach_alpha(items: np.ndarray) -> float:
    """``k / (k - 1) * (1 - sum of item variances / variance of the total)`` over units with
    every item present; sample variances (n - 1). NaN with fewer than 2 items or units."""
    items = np.asarray(items, dtype=float)
    complete = items[~np.isnan(items).any(axis=1)]
    k = complete.shape[1]
    if k < 2 or complete.shape[0] < 2:
        return float("nan")
    total_variance = complete.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - complete.var(axis=0, ddof=1).sum() / total_variance))


def correlations(
    result: PipelineResult,
    *,
    rows_level: int,
    columns_level: int,
    method: str = "pearson",
    year: int | None = None,
    within_parents: bool = False,
) -> pd.DataFrame:
    """Correlation of every code of one level (1 = indicators) with every code of another, over
    units. With ``within_parents`` only pairs where the column code is an ancestor of the row
    code are kept (e.g. each indicator against its own pillar and index), others are NaN."""
    if method not in CORRELATION_METHODS:
        raise DataError(f"unknown correlation method {method!r}; choose from {', '.join(CORRELATION_METHODS)}")
    fw = result.framework
    for level in (rows_level, columns_level):
        if not 1 <= level <= len(fw.levels):
            raise DataError(f"level {level} does not exist (1 to {len(fw.levels)})")
    scores = result.scores_frame(year)
    row_codes, col_codes = list(fw.levels[rows_level - 1]), list(fw.levels[columns_level - 1])
    matrix = pd.concat([scores[row_codes], scores[col_codes].add_suffix("\x00")], axis=1).corr(method=method)
    out = matrix.loc[row_codes, [c + "\x00" for c in col_codes]]
    out.columns = col_codes
    if within_parents:
        for row in row_codes:
            ancestors = _ancestors(result, row)
            for col in col_codes:
                if col not in ancestors:
                    out.loc[row, col] = np.nan
    return out


def _ancestors(result: PipelineResult, code: str) -> set[str]:
    fw = result.framework
    found: set[str] = set()
    parent = fw.node(code).parent
    while parent:
        found.add(parent)
        parent = fw.node(parent).parent
    return found


def cronbach_by_aggregate(result: PipelineResult, *, year: int | None = None) -> pd.Series:
    """Cronbach's alpha of each aggregate's children (normalised indicators or sub-scores)."""
    fw = result.framework
    scores = result.scores_frame(year)
    alphas = {code: cronbach_alpha(scores[fw.children(code)].to_numpy()) for code in fw.aggregate_codes}
    return pd.Series(alphas, name="cronbach_alpha")
