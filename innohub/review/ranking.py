"""Ranking subjects by score against a budget: the order (best score first, then the
earliest submitted, then the lowest id) and the funding line, drawn where the cumulative
amount asked first exceeds the budget; everything after that point is below the line, even
a cheaper subject that would still fit (the line is one cut, not a knapsack)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


@dataclass(frozen=True)
class RankRow:
    """A scored subject: its id, score, amount asked and when it was submitted (None: last)."""

    key: Any
    score: Decimal
    amount: int
    submitted_at: dt.datetime | None = None


@dataclass(frozen=True)
class Ranked:
    key: Any
    rank: int
    score: Decimal
    amount: int
    cumulative: int
    above_funding_line: bool


def score_round(value: Any) -> Decimal:
    """A mean score as stored: two decimals, halves rounded up."""
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


_LAST = dt.datetime.max.replace(tzinfo=dt.UTC)


def rank(*, rows: Iterable[Any], budget: int) -> list[Ranked]:
    """The rows in rank order, each with its rank (from 1), the cumulative amount down to it,
    and whether it is above the funding line. ``rows`` need ``key``, ``score``, ``amount`` and
    ``submitted_at`` (e.g. `RankRow`); ``budget`` is what remains to award."""

    def order(row: Any) -> tuple:
        submitted = row.submitted_at
        if submitted is not None and submitted.tzinfo is None:
            submitted = submitted.replace(tzinfo=dt.UTC)
        return (-row.score, submitted or _LAST, row.key)

    out: list[Ranked] = []
    cumulative, line_open = 0, True
    for position, row in enumerate(sorted(rows, key=order), start=1):
        cumulative += row.amount
        if cumulative > budget:
            line_open = False
        out.append(Ranked(key=row.key, rank=position, score=row.score, amount=row.amount, cumulative=cumulative, above_funding_line=line_open))
    return out
