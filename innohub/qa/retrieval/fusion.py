"""Choosing the fusion weight of BM25 and dense vectors by k-fold cross-validation.

One global weight is right for one kind of text and wrong for another (issue 33: on
unseen legal questions fusing dense vectors lowered MRR@10 from 0.863 to 0.827, on the
two FAQ sets it raised it), so the weight is chosen per collection from labelled pairs:
a question and the passages that answer it (in the product, the passages officers cited
in the answers they published; in ``qa_eval``, a judged dev split).

The candidate weights are BM25's share of the convex fusion (:class:`HybridRetriever`),
from 0 (dense alone) to 1 (BM25 alone: the dense side switched off). Every pair's
reciprocal rank (MRR@10) is computed once for every candidate (the fused scores are
``share · z(BM25) + (1 − share) · z(cosine)``, both standardised over the whole corpus,
exactly as at query time); cross-validation is then only averages over rows of that
table:

* each fold's weight is chosen on the other folds (ties go to the larger BM25 share:
  cheaper, and BM25 is the safer side on unseen text) and scored on the fold itself,
  so the mean over folds says what *choosing* a weight is worth on questions it never
  saw, with a t interval over the folds;
* the same folds score the two fixed candidates: BM25 alone and the default fusion.

The rule (:func:`choose`): with no pair, or one, nothing can be cross-validated and the
default stays. Under ``min_pairs`` the tuned weight would be fitted on too few questions,
so the choice is the *safe default*: the better of BM25 alone and the default fusion by
cross-validation (BM25 alone when they tie: vectors that add nothing cost an encoding
per query). From ``min_pairs`` on, the tuned weight (chosen on all the pairs) is
adopted only when choosing it beats the safe default across the folds (its mean over
folds is higher and it wins or ties on a majority of them); otherwise the safe default
stays. Every figure is returned, so that what was chosen can be shown and checked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .dense import DenseIndex, Encoder, standardise
from .index import BM25Index

# BM25's share of the fused score; 1.0 is BM25 alone (dense switched off).
SHARES: tuple[float, ...] = tuple(round(0.1 * i, 1) for i in range(11))
DEFAULT_SHARE = 0.2  # HybridRetriever's default, measured on the pooled vi-qa dev sets
BM25_ALONE = 1.0
# A query typed without diacritics is encoded from accents the index guessed, so BM25 is
# trusted a little more for it (HybridRetriever: 0.3 against 0.2 by default).
RESTORED_EXTRA = 0.1
DEFAULT_FOLDS = 5
DEFAULT_MIN_PAIRS = 30

# the reasons a choice is made, as stored (FusionEstimate.Rule)
NO_PAIRS = "no_pairs"
TOO_FEW = "too_few"
DENSE_OFF = "dense_off"
SAFE_DEFAULT = "safe_default"
CROSS_VALIDATED = "cross_validated"


def restored_share(share: float) -> float:
    """The BM25 share used for a query typed without diacritics."""
    return min(1.0, share + RESTORED_EXTRA) if share < 1.0 else 1.0


@dataclass(frozen=True, slots=True)
class LabelledPair:
    query: str
    relevant: frozenset[str]


def reciprocal_ranks(
    lexical: np.ndarray, dense: np.ndarray, relevant: np.ndarray, shares: Sequence[float] = SHARES, *, cutoff: int = 10
) -> np.ndarray:
    """One pair's reciprocal rank (0 past ``cutoff``) for every BM25 share: ``lexical``
    and ``dense`` are the standardised scores of the candidate passages, ``relevant`` a
    boolean mask of the passages that answer. A query no passage shares a term with
    gets nothing (as at query time), so 0 whatever the share. A tie is ranked below
    the relevant passage only when it comes after it in corpus order, as
    :func:`top_positions` does."""
    result = np.zeros(len(shares), dtype=np.float64)
    if not relevant.any():
        return result
    first_relevant = int(np.argmax(relevant))
    for j, share in enumerate(shares):
        combined = share * lexical + (1.0 - share) * dense
        best = float(combined[relevant].max())
        positions = np.flatnonzero(relevant & (combined == best))
        at = int(positions[0]) if positions.size else first_relevant
        rank = 1 + int((combined > best).sum()) + int((combined[:at] == best).sum())
        result[j] = 1.0 / rank if rank <= cutoff else 0.0
    return result


def rank_table(
    pairs: Sequence[LabelledPair],
    *,
    lexical: BM25Index,
    dense: DenseIndex,
    encoder: Encoder,
    candidates: Sequence[int] | np.ndarray | None = None,
    shares: Sequence[float] = SHARES,
) -> np.ndarray:
    """``(pairs, shares)`` reciprocal ranks over the ``candidates`` positions of the
    index (a collection's passages; all by default). Scores are standardised over the
    whole corpus first, as at query time, so a collection's ranking among its own
    passages depends on its own share alone."""
    ids = lexical.passage_ids
    positions = np.arange(len(ids)) if candidates is None else np.asarray(candidates, dtype=np.int64)
    table = np.zeros((len(pairs), len(shares)), dtype=np.float64)
    if not len(pairs) or not positions.size:
        return table
    from .dense import similarities

    candidate_ids = np.asarray(ids, dtype=object)[positions]
    for i, pair in enumerate(pairs):
        scores = lexical.scores(pair.query)
        if not scores.any():
            continue  # nothing matches a single term: the product returns nothing
        restored = lexical.restored_query(pair.query)
        vector = encoder.encode_queries([restored])[0]
        z_lex = standardise(scores)[positions].astype(np.float64)
        z_dense = standardise(similarities(dense.vectors, vector))[positions].astype(np.float64)
        mask = np.fromiter((pid in pair.relevant for pid in candidate_ids), dtype=bool, count=positions.size)
        row_shares = shares if restored == pair.query else [restored_share(s) for s in shares]
        table[i] = reciprocal_ranks(z_lex, z_dense, mask, row_shares)
    return table


def fold_indices(n: int, k: int, *, seed: int = 0) -> list[np.ndarray]:
    """``k`` folds of ``range(n)`` (as equal as can be), shuffled with a fixed seed."""
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(part) for part in np.array_split(order, k)]


def _best_share(means: np.ndarray, shares: Sequence[float]) -> int:
    """The index of the best mean; a tie goes to the larger BM25 share."""
    best = float(means.max())
    return max((j for j in range(len(shares)) if means[j] >= best - 1e-12), key=lambda j: shares[j])


def t_interval(values: Sequence[float], level: float = 0.95) -> tuple[float, float]:
    """Student's t interval of the mean of a few fold figures (the mean alone for one)."""
    data = np.asarray(values, dtype=np.float64)
    mean = float(data.mean()) if data.size else 0.0
    if data.size < 2:
        return mean, mean
    # two-sided 95 % quantiles of Student's t for 1..29 degrees of freedom; 1.96 beyond
    quantiles = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
                 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                 2.060, 2.056, 2.052, 2.048, 2.045)  # fmt: skip
    if level != 0.95:
        raise ValueError("only the 95 % interval is tabulated")
    t = quantiles[data.size - 2] if data.size - 1 <= len(quantiles) else 1.96
    half = t * float(data.std(ddof=1)) / math.sqrt(data.size)
    return mean - half, mean + half


@dataclass
class FoldFigures:
    fold: int
    pairs: int
    share: float  # the share chosen on the other folds
    mrr: float  # that share's MRR@10 on this fold
    bm25_mrr: float
    fusion_mrr: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "fold": self.fold,
            "pairs": self.pairs,
            "share": self.share,
            "mrr": round(self.mrr, 4),
            "bm25_mrr": round(self.bm25_mrr, 4),
            "fusion_mrr": round(self.fusion_mrr, 4),
        }


@dataclass
class CrossValidation:
    """What k-fold cross-validation of the share says; means are over folds."""

    folds: list[FoldFigures]
    tuned_share: float  # the share chosen on all the pairs
    in_sample_mrr: float  # its MRR@10 on all the pairs (optimistic: fitted on them)

    def _mean(self, attribute: str) -> float:
        return float(np.mean([getattr(f, attribute) for f in self.folds])) if self.folds else 0.0

    @property
    def mrr(self) -> float:
        return self._mean("mrr")

    @property
    def bm25_mrr(self) -> float:
        return self._mean("bm25_mrr")

    @property
    def fusion_mrr(self) -> float:
        return self._mean("fusion_mrr")

    def interval(self, attribute: str = "mrr") -> tuple[float, float]:
        return t_interval([getattr(f, attribute) for f in self.folds])


def cross_validate(
    table: np.ndarray, *, folds: int = DEFAULT_FOLDS, shares: Sequence[float] = SHARES, seed: int = 0
) -> CrossValidation:
    """k-fold cross-validation of the share over a :func:`rank_table` (at least 2 rows)."""
    n = table.shape[0]
    if n < 2:
        raise ValueError("cross-validation needs at least two pairs")
    shares = list(shares)
    bm25, fusion = shares.index(BM25_ALONE), shares.index(DEFAULT_SHARE)
    results = []
    for number, test in enumerate(fold_indices(n, min(folds, n), seed=seed), start=1):
        train = np.setdiff1d(np.arange(n), test)
        chosen = _best_share(table[train].mean(0), shares)
        results.append(
            FoldFigures(
                fold=number,
                pairs=int(test.size),
                share=shares[chosen],
                mrr=float(table[test, chosen].mean()),
                bm25_mrr=float(table[test, bm25].mean()),
                fusion_mrr=float(table[test, fusion].mean()),
            )
        )
    overall = table.mean(0)
    tuned = _best_share(overall, shares)
    return CrossValidation(folds=results, tuned_share=shares[tuned], in_sample_mrr=float(overall[tuned]))


@dataclass
class Choice:
    """The share chosen for one collection, why, and on what evidence."""

    share: float
    rule: str
    pairs: int
    cv: CrossValidation | None = None
    folds: list[dict] = field(default_factory=list)

    @property
    def dense(self) -> bool:
        return self.share < BM25_ALONE


def choose(
    table: np.ndarray | None,
    *,
    pairs: int,
    min_pairs: int = DEFAULT_MIN_PAIRS,
    folds: int = DEFAULT_FOLDS,
    default: float = DEFAULT_SHARE,
) -> Choice:
    """The rule of the module docstring. ``table`` is ``None`` when dense retrieval is
    off (nothing to weigh: the default stays, and retrieval is BM25 alone anyway)."""
    if pairs == 0:
        return Choice(share=default, rule=NO_PAIRS, pairs=0)
    if pairs < 2:
        return Choice(share=default, rule=TOO_FEW, pairs=pairs)
    if table is None:
        return Choice(share=default, rule=DENSE_OFF, pairs=pairs)
    cv = cross_validate(table, folds=folds)
    fold_rows = [f.as_dict() for f in cv.folds]
    # a tie goes to BM25 alone: dense vectors that add nothing cost an encoding per query
    safe = BM25_ALONE if cv.bm25_mrr >= cv.fusion_mrr - 1e-12 else DEFAULT_SHARE
    if pairs < min_pairs:
        return Choice(share=safe, rule=SAFE_DEFAULT, pairs=pairs, cv=cv, folds=fold_rows)
    safe_attribute = "bm25_mrr" if safe == BM25_ALONE else "fusion_mrr"
    safe_mean = cv.bm25_mrr if safe == BM25_ALONE else cv.fusion_mrr
    wins = sum(1 for f in cv.folds if f.mrr >= getattr(f, safe_attribute) - 1e-12)
    if cv.mrr > safe_mean and wins * 2 > len(cv.folds):
        return Choice(share=cv.tuned_share, rule=CROSS_VALIDATED, pairs=pairs, cv=cv, folds=fold_rows)
    return Choice(share=safe, rule=SAFE_DEFAULT, pairs=pairs, cv=cv, folds=fold_rows)
