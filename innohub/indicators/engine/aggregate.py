"""Weighting and aggregation: rolling child scores up into their parents, level by level.

The weighted means (arithmetic, geometric, harmonic, generalised with power ``p``) are written as
one matrix product of the child scores with a ``(children, parents)`` weight matrix, so the same
code aggregates one pipeline or a thousand Monte Carlo weight sets stacked side by side. Missing
child scores are skipped and the remaining weights rescaled (COINr's ``na.rm = TRUE``). Under the
geometric and harmonic means a zero child score makes the parent zero (the limit of both means),
and a negative one is undefined (NaN), which the pipeline reports. Copeland counts pairwise wins
and losses between units and is computed separately, in blocks, since it compares every pair.
PCA weights are the squared loadings of the first principal component of the children's
correlation matrix (they sum to 1, the OECD/JRC handbook's variant); a child with no variance
gets weight 0.
"""

from __future__ import annotations

import warnings

import numpy as np

AGGREGATION_METHODS = ("arithmetic", "geometric", "harmonic", "generalised", "copeland")
WEIGHTING_METHODS = ("manual", "equal", "pca")


def weighted_means(
    children: np.ndarray, weight_matrix: np.ndarray, method: str, power: float = 1.0
) -> np.ndarray:
    """Aggregate ``children (rows, C)`` with ``weight_matrix (C, K)`` into ``(rows, K)``."""
    present = ~np.isnan(children)
    if present.all():
        # complete data (the usual case after imputation): skip one matrix product per call
        weight_present = np.broadcast_to(
            weight_matrix.sum(axis=-2, keepdims=True), (*children.shape[:-1], weight_matrix.shape[-1])
        ).copy()
    else:
        weight_present = present.astype(float) @ weight_matrix
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "arithmetic" or (method == "generalised" and power == 1):
            out = np.where(present, children, 0.0) @ weight_matrix / weight_present
        elif method == "geometric" or (method == "generalised" and power == 0):
            out = _zero_absorbing(children, present, weight_matrix, weight_present, np.log, np.exp)
        elif method == "harmonic" or (method == "generalised" and power == -1):
            reciprocal_mean = _safe_product(1.0 / children, present & (children > 0), weight_matrix)
            out = weight_present / reciprocal_mean
            out = _apply_zero_and_negative(out, children, present, weight_matrix)
        elif method == "generalised":
            if power < 0:
                powered = _safe_product(children**power, present & (children > 0), weight_matrix)
                out = (powered / weight_present) ** (1.0 / power)
                out = _apply_zero_and_negative(out, children, present, weight_matrix)
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    powered = np.where(present, children, 0.0) ** power
                out = (powered @ weight_matrix / weight_present) ** (1.0 / power)
                if (present & (children < 0)).any():
                    negative = (present & (children < 0)).astype(float) @ (weight_matrix > 0)
                    out = np.where(negative > 0, np.nan, out)
        else:
            raise ValueError(
                f"unknown aggregation {method!r}; choose from {', '.join(AGGREGATION_METHODS)}"
            )
    out[weight_present == 0] = np.nan
    return out


def _safe_product(values: np.ndarray, usable: np.ndarray, weight_matrix: np.ndarray) -> np.ndarray:
    return np.where(usable, values, 0.0) @ weight_matrix


def _zero_absorbing(children, present, weight_matrix, weight_present, forward, inverse):  # type: ignore[no-untyped-def]
    positive = present & (children > 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        logs = np.where(positive, forward(np.where(positive, children, 1.0)), 0.0)
    out = inverse(logs @ weight_matrix / weight_present)
    return _apply_zero_and_negative(out, children, present, weight_matrix)


def _apply_zero_and_negative(out, children, present, weight_matrix):  # type: ignore[no-untyped-def]
    if not (present & (children <= 0)).any():
        return out
    counts = weight_matrix > 0
    zeros = (present & (children == 0)).astype(float) @ counts
    negatives = (present & (children < 0)).astype(float) @ counts
    out = np.where(zeros > 0, 0.0, out)
    return np.where(negatives > 0, np.nan, out)


def copeland(children: np.ndarray, weights: np.ndarray, block: int = 256) -> np.ndarray:
    """Copeland score of each unit (rows) over the columns of ``children``: for every other unit,
    +1 if the weighted majority of indicators favour this unit, -1 if they favour the other."""
    n_units = children.shape[0]
    scores = np.zeros(n_units)
    present = ~np.isnan(children)
    x = np.where(present, children, 0.0)
    for start in range(0, n_units, block):
        a = x[start : start + block, None, :]
        both = present[start : start + block, None, :] & present[None, :, :]
        margin = (np.sign(a - x[None, :, :]) * both * weights).sum(axis=2)
        scores[start : start + block] = np.sign(margin).sum(axis=1)
    scores[~present.any(axis=1)] = np.nan
    return scores


def pca_weights(children: np.ndarray) -> np.ndarray:
    """Squared loadings of the first principal component of the children's correlations."""
    n_children = children.shape[1]
    if n_children == 1:
        return np.ones(1)
    complete = children[~np.isnan(children).any(axis=1)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = complete.std(axis=0) if len(complete) else np.zeros(n_children)
    varying = spread > 0
    weights = np.zeros(n_children)
    if varying.sum() == 0 or len(complete) < 3:
        return np.full(n_children, 1.0 / n_children)
    if varying.sum() == 1:
        weights[varying] = 1.0
        return weights
    corr = np.corrcoef(complete[:, varying], rowvar=False)
    _, vectors = np.linalg.eigh(corr)
    weights[varying] = vectors[:, -1] ** 2
    return weights
