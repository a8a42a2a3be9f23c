"""A reviewer's draft: scores and a comment kept while the review is half done, apart from
what is submitted, so that nothing of it counts (no weighted score, no rank, no council
mean) nor shows to anyone else until it is submitted.

The draft lives on the row that gives the reviewer the work (a programme's `Review`, a
research council's `CouncilMember`), in the fields of `ReviewDraft`; the module that owns the
row saves it with `draft_keep` (the scores given are checked as on submission, those left
empty are simply not there yet), audits it, and clears it with `draft_clear` when the review
is submitted. `form_values` turns stored scores (a draft's or a submitted review's) back into
what the form shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innohub.review.scoring import scores_draft

DRAFT_FIELDS = ["draft_scores", "draft_comment", "draft_saved_at"]


class ReviewDraft(models.Model):
    """The draft fields of a row that gives a reviewer a review to do."""

    draft_scores = models.JSONField(_("draft scores"), default=dict, blank=True)  # {criterion code: int, or None = not applicable}
    draft_comment = models.TextField(_("draft comment"), blank=True)
    draft_saved_at = models.DateTimeField(_("draft saved at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def has_draft(self) -> bool:
        return self.draft_saved_at is not None


def draft_keep(holder: Any, *, criteria: Iterable[Any], scores: Mapping[str, Any], comment: str) -> dict[str, str]:
    """Check a draft and, when every score given is valid, set it on ``holder`` (not saved: the
    caller saves `DRAFT_FIELDS` in its transaction and audits). The problems by criterion code,
    nothing set when there are any."""
    clean, errors = scores_draft(criteria=criteria, scores=scores)
    if not errors:
        holder.draft_scores, holder.draft_comment, holder.draft_saved_at = clean, comment.strip(), timezone.now()
    return errors


def draft_clear(holder: Any) -> None:
    """Forget the draft (the review is submitted, or declined); the caller saves `DRAFT_FIELDS`."""
    holder.draft_scores, holder.draft_comment, holder.draft_saved_at = {}, "", None


def form_values(scores: Mapping[str, Any]) -> dict[str, str]:
    """Stored scores as the form's answers: a number as text, "na" for not applicable."""
    return {code: "na" if value is None else str(value) for code, value in scores.items()}
