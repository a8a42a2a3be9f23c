"""The notifications the programmes app sends, declared as messages (`activity.messages`).

Each is rendered in its reader's language: an application's state by the label its own
call's workflow gives it for that reader (applicants may read other labels than staff), a
milestone's state by its choice label, amounts and dates in the reader's format.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from innohub.activity.messages import Lookup, amount, choice, date, message, row_id
from innohub.core.i18n import labelled


def _code(value: Any) -> str:
    return value.get("state") or value.get("transition") or ""


def _workflows(ids: set[Any]) -> dict[Any, Any]:
    from innohub.programs.models import Workflow

    return Workflow.objects.in_bulk([i for i in ids if i is not None])


def _workflow_label(workflow: Any, value: Any) -> str:
    from innohub.programs.workflows import spec_for

    code = _code(value)
    spec = spec_for(workflow)
    if "transition" in value:
        step = spec.transitions.get(code)
        return labelled(step.label) or code if step is not None else code
    return spec.applicant_label(code) if value.get("audience") == "applicant" else spec.staff_label(code)


# A state or a step of a programme workflow, stored as ``{"workflow": id, "state": code,
# "audience": "applicant"|"staff"}`` or ``{"workflow": id, "transition": code}``, by its label
# in the reader's language; its code once the workflow is gone.
workflow_label = Lookup(load=_workflows, show=_workflow_label, missing=_code, key=lambda value: row_id(value.get("workflow")))


def milestone_state(value: Any) -> str:
    from innohub.programs.models import Milestone

    return choice(Milestone, "state")(value)


APPLICATION_STATE = message(
    "programs.application_state",
    subject=gettext_noop("Application %(ref)s: %(state)s"),
    body="%(reason)s",
    params={"state": workflow_label},
)
MESSAGE_POSTED = message(
    "programs.message_posted",
    subject=gettext_noop("New message on application %(ref)s"),
    body="%(text)s",
)
MILESTONE_REPORTED = message(
    "programs.milestone_reported",
    subject=gettext_noop("A milestone report is waiting for a check"),
    body=gettext_noop("Milestone “%(title)s” of application %(ref)s was reported on %(date)s."),
    params={"date": date},
)
MILESTONE_CHECKED = message(
    "programs.milestone_checked",
    subject=gettext_noop("Milestone “%(title)s”: %(state)s"),
    body="%(note)s",
    params={"state": milestone_state},
)
MILESTONE_OVERDUE = message(
    "programs.milestone_overdue",
    subject=gettext_noop("Milestone overdue: %(title)s"),
    body=gettext_noop("The milestone was due on %(date)s. Please send your report."),
    params={"date": date},
)
PAYMENT_RECEIVED = message(
    "programs.payment_received",
    subject=gettext_noop("Payment received: %(amount)s"),
    body=gettext_noop("%(amount)s was paid on %(date)s for the milestone “%(title)s” of application %(ref)s."),
    params={"amount": amount, "date": date},
)
REVIEW_CONFLICT = message(
    "programs.review_conflict",
    subject=gettext_noop("A reviewer declared a conflict on %(ref)s"),
    body="%(reason)s",
)
REVIEWS_ASSIGNED = message(
    "programs.reviews_assigned",
    subject=gettext_noop("%(n)s new applications to review"),
)
APPROVALS_WAITING = message(
    "programs.approvals_waiting",
    subject=gettext_noop("%(n)s ranked applications await your decision"),
    body=gettext_noop("The applications of the call “%(call)s” are ranked: %(n)s await a decision, %(above)s of them within the budget."),
)
APPLICATION_RECEIPT = message(
    "programs.application_receipt",
    subject=gettext_noop("Receipt: application %(ref)s is submitted"),
    body=gettext_noop("Your application %(ref)s was received on %(date)s. What was submitted:\n%(items)s\nKeep this receipt: "
                      "quote the reference when you write to the department."),
)
