"""Application workflows as data: stable state codes, staff and applicant labels in both
languages, transitions naming the roles allowed, their guards and their effects.

A `Workflow` row stores a definition in this format; `DEFAULT_WORKFLOW` is the seeded one.
Guards and effects are named here and implemented in `services.py` (one registry each),
so a workflow can be changed by an administrator without code as long as it uses known
names. The role "member" means "a member of the applying organisation"; other role codes
are the user roles of `core.roles`. Logic never keys on a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from innohub.core.i18n import labelled

STAFF = ["officer", "manager", "administrator"]
# The state a call's ranking moves applications into. Entering it waits for the call to
# close whatever a stored workflow's guards say (a ranking drawn while applications can
# still arrive would be redrawn by every late one): the transition service refuses it and
# the pages do not offer it, so no workflow version has to carry that guard.
RANKED = "ranked"
MANAGERS = ["manager", "administrator"]


def _l(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


DEFAULT_WORKFLOW: dict[str, Any] = {
    "initial": "draft",
    "states": [
        {"code": "draft", "staff": _l("Bản nháp", "Draft"), "applicant": _l("Bản nháp – chưa nộp", "Draft – not submitted")},
        {"code": "submitted", "staff": _l("Đã nộp", "Submitted"), "applicant": _l("Đã nộp, chờ kiểm tra", "Submitted, waiting to be checked")},
        {"code": "eligibility_check", "staff": _l("Đang kiểm tra điều kiện", "Eligibility check"), "applicant": _l("Đang được kiểm tra", "Being checked")},
        {"code": "returned", "staff": _l("Yêu cầu bổ sung", "Returned for information"), "applicant": _l("Cần bổ sung thông tin", "Information requested from you")},
        {"code": "under_review", "staff": _l("Đang thẩm định", "Under review"), "applicant": _l("Đang được chuyên gia đánh giá", "Being assessed by experts")},
        {"code": "ranked", "staff": _l("Đã xếp hạng", "Ranked"), "applicant": _l("Chờ quyết định", "Awaiting decision")},
        {"code": "approved", "staff": _l("Đã phê duyệt", "Approved"), "applicant": _l("Được hỗ trợ", "Support granted")},
        {"code": "rejected", "staff": _l("Không phê duyệt", "Rejected"), "applicant": _l("Không được hỗ trợ", "Not funded"), "terminal": True},
        {"code": "ineligible", "staff": _l("Không đủ điều kiện", "Ineligible"), "applicant": _l("Không đủ điều kiện", "Not eligible"), "terminal": True},
        {"code": "contracted", "staff": _l("Đã ký hợp đồng", "Contracted"), "applicant": _l("Đã ký hợp đồng", "Contract signed")},
        {"code": "in_progress", "staff": _l("Đang thực hiện", "In progress"), "applicant": _l("Đang thực hiện", "In progress")},
        {"code": "completed", "staff": _l("Hoàn thành", "Completed"), "applicant": _l("Hoàn thành", "Completed"), "terminal": True},
        {"code": "terminated", "staff": _l("Chấm dứt", "Terminated"), "applicant": _l("Đã chấm dứt hỗ trợ", "Support ended"), "terminal": True},
        {"code": "withdrawn", "staff": _l("Đã rút", "Withdrawn"), "applicant": _l("Bạn đã rút hồ sơ", "You withdrew it"), "terminal": True},
    ],
    "transitions": [
        {"code": "submit", "source": ["draft"], "target": "submitted", "roles": ["member"],
         "guards": ["eligible"], "effects": ["mark_submitted", "notify_staff"], "label": _l("Nộp hồ sơ", "Submit")},
        {"code": "start_check", "source": ["submitted"], "target": "eligibility_check", "roles": STAFF,
         "guards": [], "effects": [], "label": _l("Bắt đầu kiểm tra điều kiện", "Start eligibility check")},
        {"code": "return", "source": ["submitted", "eligibility_check"], "target": "returned", "roles": STAFF,
         "guards": ["message"], "effects": ["request_message", "notify_applicant"], "label": _l("Yêu cầu bổ sung", "Request information")},
        {"code": "resubmit", "source": ["returned"], "target": "submitted", "roles": ["member"],
         "guards": ["eligible_after_close"], "effects": ["reply_message", "mark_submitted", "notify_staff"], "label": _l("Gửi bổ sung", "Send the information")},
        {"code": "accept", "source": ["eligibility_check"], "target": "under_review", "roles": STAFF,
         "guards": ["eligible_after_close"], "effects": ["notify_applicant"], "label": _l("Đủ điều kiện – chuyển thẩm định", "Eligible – send to review")},
        {"code": "mark_ineligible", "source": ["submitted", "eligibility_check"], "target": "ineligible", "roles": STAFF,
         "guards": ["reason"], "effects": ["decide", "notify_applicant"], "label": _l("Không đủ điều kiện", "Ineligible")},
        {"code": "rank", "source": ["under_review"], "target": "ranked", "roles": STAFF,
         "guards": ["reviews_complete"], "effects": [], "label": _l("Xếp hạng", "Rank")},
        {"code": "approve", "source": ["ranked"], "target": "approved", "roles": MANAGERS,
         "guards": [], "effects": ["create_award", "decide", "notify_applicant"], "label": _l("Phê duyệt", "Approve")},
        {"code": "reject", "source": ["ranked", "under_review"], "target": "rejected", "roles": MANAGERS,
         "guards": ["reason"], "effects": ["decide", "notify_applicant"], "label": _l("Không phê duyệt", "Reject")},
        {"code": "contract", "source": ["approved"], "target": "contracted", "roles": STAFF,
         "guards": ["has_milestones"], "effects": ["notify_applicant"], "label": _l("Ghi nhận ký hợp đồng", "Record contract")},
        {"code": "start", "source": ["contracted"], "target": "in_progress", "roles": STAFF,
         "guards": [], "effects": ["notify_applicant"], "label": _l("Bắt đầu thực hiện", "Start")},
        {"code": "complete", "source": ["in_progress"], "target": "completed", "roles": STAFF,
         "guards": ["milestones_met"], "effects": ["notify_applicant"], "label": _l("Hoàn thành", "Complete")},
        {"code": "terminate", "source": ["contracted", "in_progress"], "target": "terminated", "roles": MANAGERS,
         "guards": ["reason"], "effects": ["decide", "notify_applicant"], "label": _l("Chấm dứt", "Terminate")},
        {"code": "withdraw", "source": ["draft", "submitted", "eligibility_check", "returned", "under_review"], "target": "withdrawn",
         "roles": ["member"], "guards": [], "effects": ["notify_staff"], "label": _l("Rút hồ sơ", "Withdraw")},
    ],
}


@dataclass(frozen=True)
class Transition:
    code: str
    source: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    guards: tuple[str, ...]
    effects: tuple[str, ...]
    label: dict[str, str]

    @property
    def display_label(self) -> str:
        return labelled(self.label)


class WorkflowSpec:
    """A parsed workflow definition (cheap to build; cached per Workflow row)."""

    def __init__(self, definition: dict[str, Any]):
        self.initial: str = definition["initial"]
        self.states: dict[str, dict[str, Any]] = {s["code"]: s for s in definition["states"]}
        self.transitions: dict[str, Transition] = {
            t["code"]: Transition(
                code=t["code"], source=tuple(t["source"]), target=t["target"], roles=tuple(t["roles"]),
                guards=tuple(t.get("guards", [])), effects=tuple(t.get("effects", [])), label=t["label"],
            )
            for t in definition["transitions"]
        }

    def staff_label(self, state: str) -> str:
        return labelled(self.states[state]["staff"]) if state in self.states else state

    def applicant_label(self, state: str) -> str:
        return labelled(self.states[state]["applicant"]) if state in self.states else state

    def is_terminal(self, state: str) -> bool:
        return bool(self.states.get(state, {}).get("terminal"))

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.source]

    def validate(self, known_guards: set[str], known_effects: set[str]) -> list[str]:
        problems = []
        if self.initial not in self.states:
            problems.append(f"initial state {self.initial!r} is not a state")
        for t in self.transitions.values():
            for s in (*t.source, t.target):
                if s not in self.states:
                    problems.append(f"{t.code}: unknown state {s!r}")
            problems += [f"{t.code}: unknown guard {g!r}" for g in t.guards if g not in known_guards]
            problems += [f"{t.code}: unknown effect {e!r}" for e in t.effects if e not in known_effects]
        return problems


_SPECS: dict[tuple[int, Any], WorkflowSpec] = {}


def spec_for(workflow: Any) -> WorkflowSpec:
    key = (workflow.pk, workflow.updated_at)
    spec = _SPECS.get(key)
    if spec is None:
        spec = _SPECS[key] = WorkflowSpec(workflow.definition)
    return spec


DEFAULT_SPEC = WorkflowSpec(DEFAULT_WORKFLOW)
