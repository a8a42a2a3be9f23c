"""The workflows of an action (proposed → agreed → in progress → done / dropped with a reason)
and of an agreement (draft → awaiting the manager's approval → in force → ended), as data on
the shared engine (`innohub.workflow`). Code asks for flags (`open`, `done`, `dropped`,
`in_force`, …), never for a state code.

Who may take a step: ``unit_officer`` is a pseudo-role resolved per object (an officer of the
owning unit, or the action's owner); ``managers`` are the manager and administrator roles.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from innohub.workflow.registry import WorkflowKind
from innohub.workflow.spec import WorkflowSpec


def _l(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


ACTION_WORKFLOW: dict[str, Any] = {
    "initial": "proposed",
    "states": [
        {"code": "proposed", "staff": _l("Đề xuất", "Proposed"), "flags": ["open", "proposed"]},
        {"code": "agreed", "staff": _l("Đã thống nhất", "Agreed"), "flags": ["open"]},
        {"code": "in_progress", "staff": _l("Đang thực hiện", "In progress"), "flags": ["open", "started"]},
        {"code": "done", "staff": _l("Hoàn thành", "Done"), "terminal": True, "flags": ["closed", "done"]},
        {"code": "dropped", "staff": _l("Đã dừng", "Dropped"), "terminal": True, "flags": ["closed", "dropped"]},
    ],
    "transitions": [
        {"code": "agree", "source": ["proposed"], "target": "agreed", "roles": ["unit_officer", "managers"],
         "label": _l("Thống nhất", "Mark agreed")},
        {"code": "start", "source": ["proposed", "agreed"], "target": "in_progress", "roles": ["unit_officer", "managers"],
         "label": _l("Bắt đầu thực hiện", "Start")},
        {"code": "complete", "source": ["agreed", "in_progress"], "target": "done", "roles": ["unit_officer", "managers"],
         "effects": ["mark_closed"], "label": _l("Hoàn thành", "Mark done")},
        {"code": "drop", "source": ["proposed", "agreed", "in_progress"], "target": "dropped",
         "roles": ["unit_officer", "managers"], "guards": ["reason_given"], "effects": ["mark_closed"],
         "label": _l("Dừng (nêu lý do)", "Drop (give the reason)")},
    ],
}
ACTION_SPEC = WorkflowSpec(ACTION_WORKFLOW)
ACTION = WorkflowKind(
    model="cooperation.action",
    audit_prefix="action",
    spec_of=lambda action: ACTION_SPEC,
    required_flags=("open", "closed", "done", "dropped"),
    required_transitions=("complete", "drop"),
    registers_in=("innohub.cooperation.services",),
    wrong_state_message=gettext_lazy("This cannot be done now: the action is “%(state)s”."),
    fields=("state", "drop_reason", "closed_on"),
    select_related=("direction__unit",),
)

AGREEMENT_WORKFLOW: dict[str, Any] = {
    "initial": "draft",
    "states": [
        {"code": "draft", "staff": _l("Dự thảo", "Draft"), "flags": ["editable"]},
        {"code": "awaiting_approval", "staff": _l("Chờ lãnh đạo phê duyệt", "Awaiting the manager's approval"),
         "flags": ["awaiting_approval"]},
        {"code": "in_force", "staff": _l("Đang hiệu lực", "In force"), "flags": ["in_force"]},
        {"code": "ended", "staff": _l("Đã kết thúc", "Ended"), "terminal": True, "flags": ["ended"]},
    ],
    "transitions": [
        {"code": "submit", "source": ["draft"], "target": "awaiting_approval", "roles": ["unit_officer", "managers"],
         "label": _l("Trình phê duyệt", "Send for approval")},
        {"code": "approve", "source": ["awaiting_approval"], "target": "in_force", "roles": ["managers"],
         "guards": ["signed"], "effects": ["mark_approved"], "label": _l("Phê duyệt", "Approve")},
        {"code": "return", "source": ["awaiting_approval"], "target": "draft", "roles": ["managers"],
         "label": _l("Trả lại", "Return")},
        {"code": "end", "source": ["in_force"], "target": "ended", "roles": ["managers"],
         "label": _l("Kết thúc", "End")},
    ],
}
AGREEMENT_SPEC = WorkflowSpec(AGREEMENT_WORKFLOW)
AGREEMENT = WorkflowKind(
    model="cooperation.agreement",
    audit_prefix="agreement",
    spec_of=lambda agreement: AGREEMENT_SPEC,
    required_flags=("editable", "awaiting_approval", "in_force", "ended"),
    required_transitions=("submit", "approve"),
    registers_in=("innohub.cooperation.services",),
    wrong_state_message=gettext_lazy("This cannot be done now: the agreement is “%(state)s”."),
    fields=("state", "approved_by"),
    select_related=("unit",),
)


def action_states_with(*flags: str) -> tuple[str, ...]:
    return ACTION_SPEC.states_with(*flags)


def agreement_states_with(*flags: str) -> tuple[str, ...]:
    return AGREEMENT_SPEC.states_with(*flags)


def action_state_choices() -> list[tuple[str, str]]:
    return [(code, ACTION_SPEC.label(code)) for code in ACTION_SPEC.states]
