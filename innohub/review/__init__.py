"""The review engine: experts' scores on any subject (an application, a research task's
proposal, an accepted result), whatever model holds it.

It owns the rules, not the tables: the weighted score of a rubric's criteria with weights
and "not applicable", the check of a reviewer's scores, conflicts of interest (a reviewer
is conflicted with a subject's organisation when they belong to it, declared a conflict
with it, or belong to an organisation related to it in the directory), the balanced
assignment of reviewers to subjects, and the ranking with a funding line. The functions
take plain rows (anything with the named attributes, or the engine's dataclasses) keyed
by the subject's id, so a caller reads its own models and writes its own results;
`programs.services.reviews` is the first caller. A half-done review is kept as a draft
(`drafts`: the fields, the check, and the rule that a draft counts nowhere until submitted),
for programmes' reviews and research councils alike.
"""

from __future__ import annotations

from innohub.review.assignment import Assignment, ReviewerLoad, SubjectNeed, assign
from innohub.review.conflicts import (
    conflicted_reviewers,
    organisation_conflicts,
    related_organisations,
)
from innohub.review.ranking import Ranked, RankRow, rank, score_round
from innohub.review.scoring import CriterionLike, scores_clean, scores_draft, weighted_score

__all__ = [
    "Assignment",
    "CriterionLike",
    "RankRow",
    "Ranked",
    "ReviewerLoad",
    "SubjectNeed",
    "assign",
    "conflicted_reviewers",
    "organisation_conflicts",
    "rank",
    "related_organisations",
    "score_round",
    "scores_clean",
    "scores_draft",
    "weighted_score",
]
