"""The Q&A's work queues on the back office's landing page: questions due or overdue for
officers, answers awaiting approval for managers. Declared here (on `BackofficeConfig`) with
the Q&A's own selectors and workflow flags; the Q&A module may take them into its own
AppConfig later without any change to `core.queues`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from innohub.core.calendar import add_working_days
from innohub.qa import selectors as qa_selectors
from innohub.qa import workflows as qa_workflows
from innohub.qa.models import Question


def questions_due(*, user: Any) -> QuerySet[Question]:
    """Open questions due by the next working day or already late, the latest due first
    (the daily reminder's rule), each in the inbox the user may see."""
    due_by = add_working_days(timezone.localdate(), 1)
    return qa_selectors.inbox(user=user).filter(state__in=qa_workflows.states_with("open"), due_date__lte=due_by)


def answers_to_approve(*, user: Any) -> QuerySet[Question]:
    """Questions whose answer waits for a manager's approval, the earliest due first."""
    from innohub.core.permissions import ensure_role
    from innohub.qa.permissions import APPROVE_ANSWERS

    ensure_role(user, APPROVE_ANSWERS)
    return qa_selectors.inbox(user=user, state="all").filter(state__in=qa_workflows.states_with("awaiting_approval"))
