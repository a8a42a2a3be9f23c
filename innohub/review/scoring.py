"""Scores on a rubric: a reviewer's scores checked against each criterion's range (with
"not applicable" where the criterion allows it) and their weighted mean on a 0–100 scale."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django.utils.translation import gettext as _


class CriterionLike(Protocol):
    code: str
    weight: int
    min_score: int
    max_score: int
    allow_not_applicable: bool


def weighted_score(*, criteria: Iterable[Any], scores: dict[str, Any]) -> Decimal | None:
    """Weighted mean on a 0–100 scale; "not applicable" (None) is left out, not counted as zero.

    None when every criterion is not applicable (nothing to average)."""
    total = Decimal(0)
    weights = 0
    for c in criteria:
        value = scores.get(c.code)
        if value is None:
            continue
        total += Decimal(c.weight) * Decimal(int(value) - c.min_score) * 100 / Decimal(c.max_score - c.min_score)
        weights += c.weight
    if weights == 0:
        return None
    return (total / weights).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def scores_draft(*, criteria: Iterable[Any], scores: dict[str, Any] | Any) -> tuple[dict[str, int | None], dict[str, str]]:
    """A half-done review's scores as a draft keeps them, and the problems by code.

    What is given is checked as on submission (a whole number in range, or "na"/None where
    allowed); what is left empty ("") or not given is left out of the draft, not a problem: it
    is asked for on submission.
    """
    asked = [c for c in criteria if c.code in scores and scores[c.code] != ""]
    return scores_clean(criteria=asked, scores={c.code: scores[c.code] for c in asked})


def scores_clean(*, criteria: Iterable[Any], scores: dict[str, Any]) -> tuple[dict[str, int | None], dict[str, str]]:
    """A reviewer's scores as stored ({code: int, or None for not applicable}) and the problems by code.

    A score is required for every criterion: a whole number in its range, or "na"/None where
    the criterion may be marked not applicable. An empty answer is a problem, never "N/A".
    """
    clean: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    for c in criteria:
        problem = _("Give a score from %(min)s to %(max)s.") % {"min": c.min_score, "max": c.max_score}
        raw = scores.get(c.code, "")
        if raw is None or raw in ("", "na"):
            if raw == "" or not c.allow_not_applicable:
                errors[c.code] = problem
            clean[c.code] = None
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            errors[c.code] = problem
            continue
        if not c.min_score <= value <= c.max_score:
            errors[c.code] = problem
        clean[c.code] = value
    return clean, errors
