"""The question workflow as data (the engine's format, `innohub.workflow.spec`): stable
state codes, labels for staff and for the public in both languages, the flags the code
reads, and transitions naming the roles allowed; and the question's workflow kind.

`services.question_transition` is the one place a question changes state, through the
engine's `transition_perform`. Logic never keys on a label or a state code; it asks for a
flag (`has_flag(question.state, "published")`, `states_with("published")` in queries, or
the question's `is_published`-style properties in templates).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from innohub.workflow.registry import WorkflowKind
from innohub.workflow.spec import WorkflowSpec


def _l(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


QUESTION_WORKFLOW: dict[str, Any] = {
    "initial": "received",
    "states": [
        {"code": "received", "staff": _l("Mới nhận", "Received"), "public": _l("Đã tiếp nhận", "Received"), "flags": ["open", "unassigned"]},
        {"code": "assigned", "staff": _l("Đã phân công", "Assigned"), "public": _l("Đang xử lý", "Being answered"), "flags": ["open"]},
        {"code": "drafted", "staff": _l("Đã có dự thảo", "Drafted"), "public": _l("Đang xử lý", "Being answered"), "flags": ["open", "drafting"]},
        {"code": "awaiting_approval", "staff": _l("Chờ phê duyệt", "Awaiting approval"), "public": _l("Đang xử lý", "Being answered"),
         "flags": ["open", "awaiting_approval"]},
        # a manager may take a published answer down to correct it: "correct" below
        {"code": "published", "staff": _l("Đã công bố", "Published"), "public": _l("Đã trả lời", "Answered"), "flags": ["closed", "published"]},
        {"code": "rejected_out_of_scope", "staff": _l("Từ chối – ngoài phạm vi", "Rejected – out of scope"),
         "public": _l("Không thuộc phạm vi trả lời", "Outside the department's remit"), "terminal": True, "flags": ["closed", "rejected"]},
        {"code": "merged", "staff": _l("Đã gộp", "Merged"), "public": _l("Được trả lời cùng câu hỏi khác", "Answered with another question"),
         "terminal": True, "flags": ["closed", "merged"]},
    ],
    "transitions": [
        {"code": "assign", "source": ["received", "assigned", "drafted"], "target": "assigned", "roles": ["staff"]},
        {"code": "draft", "source": ["received", "assigned", "drafted"], "target": "drafted", "roles": ["staff"]},
        {"code": "submit", "source": ["drafted"], "target": "awaiting_approval", "roles": ["staff"]},
        {"code": "return", "source": ["awaiting_approval"], "target": "drafted", "roles": ["managers"]},
        {"code": "publish", "source": ["awaiting_approval"], "target": "published", "roles": ["managers"], "effects": ["mark_closed"]},
        {"code": "correct", "source": ["published"], "target": "drafted", "roles": ["managers"]},
        {"code": "reject", "source": ["received", "assigned", "drafted"], "target": "rejected_out_of_scope", "roles": ["staff"], "effects": ["mark_closed"]},
        {"code": "merge", "source": ["received", "assigned", "drafted"], "target": "merged", "roles": ["staff"], "effects": ["mark_closed"]},
        # A duplicate follows the question it was merged into when that one is rejected: no
        # action offered on a question, only taken by ``question_reject``; audited as a rejection.
        {"code": "reject_with_original", "source": ["merged"], "target": "rejected_out_of_scope", "roles": ["staff"],
         "effects": ["mark_closed"], "internal": True, "action": "reject"},
    ],
}
QUESTION_SPEC = WorkflowSpec(QUESTION_WORKFLOW)
QUESTION = WorkflowKind(
    model="qa.question",
    audit_prefix="question",
    spec_of=lambda question: QUESTION_SPEC,
    required_flags=("open", "unassigned", "drafting", "awaiting_approval", "closed", "published", "rejected", "merged"),
    required_transitions=("assign", "draft", "merge", "reject", "reject_with_original"),
    registers_in=("innohub.qa.services.handling",),
    wrong_state_message=gettext_lazy("This cannot be done now: the question is “%(state)s”."),
    fields=("state", "assignee", "unit", "due_date", "merged_into", "reject_reason", "closed_at"),
    select_related=("topic", "unit"),
)
STATES = {code: state.labels for code, state in QUESTION_SPEC.states.items()}
OPEN_STATES = QUESTION_SPEC.states_with("open")
TRANSITIONS = {code: t for code, t in QUESTION_SPEC.transitions.items() if not t.internal}  # the steps pages offer


def staff_label(state: str) -> str:
    return QUESTION_SPEC.label(state, "staff")


def public_label(state: str) -> str:
    return QUESTION_SPEC.label(state, "public")


def has_flag(state: str, flag: str) -> bool:
    """Whether a question's state carries the flag (read from the spec at each call)."""
    return QUESTION_SPEC.has_flag(state, flag)


def states_with(*flags: str) -> tuple[str, ...]:
    """The codes of the states carrying any of the flags, for queries."""
    return QUESTION_SPEC.states_with(*flags)


def state_choices() -> list[tuple[str, str]]:
    return [(code, labels["staff"]["en"]) for code, labels in STATES.items()]


def allowed(state: str, role: str | None) -> list[str]:
    """Codes of the transitions a role may take from a state."""
    return [t.code for t in QUESTION_SPEC.transitions_from(state) if role in t.user_roles()]
