"""Writes on support programmes, one module per sub-domain: `applications` (start,
answers, attachments, messages), `transitions` (the one service that changes an
application's state, its guards and effects), `awards` (awards, milestones, tranches,
disbursements), `reviews` (scoring, conflicts, assignment), `ranking`, `calls` (authoring and
publishing), `ceilings`, `cohorts`.

Money rules are checked here with clear messages and held again by the database
(see models.py). Approvals lock the call row (`select_for_update`) before reading its
remaining budget, so two managers approving the last of a budget at the same time
cannot both succeed; disbursements lock the award and are keyed, so recording the same
payment twice changes nothing. Callers import from this package; its modules are the
places to read and change.
"""

from __future__ import annotations

from innohub.programs.services.applications import (
    application_save,
    application_start,
    attachment_add,
    attachment_remove,
    message_post,
)
from innohub.programs.services.awards import (
    disbursement_record,
    milestone_add,
    milestone_check,
    milestone_remind,
    milestone_report,
)
from innohub.programs.services.base import APPLICATION_FIELDS
from innohub.programs.services.calls import call_create, call_publish, call_update
from innohub.programs.services.ceilings import ceiling_set
from innohub.programs.services.cohorts import (
    cohort_add_mentor,
    cohort_add_session,
    cohort_add_startup,
    cohort_create,
)
from innohub.programs.services.ranking import call_rank
from innohub.programs.services.records import (
    application_delete_draft,
    receipt_items,
    record_problems,
)
from innohub.programs.services.reviews import (
    review_assign,
    review_declare_conflict,
    review_draft_save,
    review_submit,
    review_unassign,
    reviewers_assign,
    weighted_score,
)
from innohub.programs.services.transitions import (
    EFFECTS,
    GUARDS,
    EffectFn,
    GuardFn,
    application_bulk_decide,
    application_bulk_transition,
    application_transition,
)

__all__ = [
    "APPLICATION_FIELDS",
    "EFFECTS",
    "EffectFn",
    "GUARDS",
    "GuardFn",
    "application_bulk_decide",
    "application_bulk_transition",
    "application_delete_draft",
    "application_save",
    "application_start",
    "application_transition",
    "attachment_add",
    "attachment_remove",
    "call_create",
    "call_publish",
    "call_rank",
    "call_update",
    "ceiling_set",
    "cohort_add_mentor",
    "cohort_add_session",
    "cohort_add_startup",
    "cohort_create",
    "disbursement_record",
    "message_post",
    "milestone_add",
    "milestone_check",
    "milestone_remind",
    "milestone_report",
    "receipt_items",
    "record_problems",
    "review_assign",
    "review_declare_conflict",
    "review_draft_save",
    "review_submit",
    "review_unassign",
    "reviewers_assign",
    "weighted_score",
]
