"""Application workflows as data, and the application's workflow kind.

A `Workflow` row stores a definition in the engine's format (`innohub.workflow.spec`):
stable state codes, staff and applicant labels in both languages, the flags the code reads
(`APPLICATION_FLAGS`), transitions naming the roles allowed, their guards and their effects.
`DEFAULT_WORKFLOW` is the seeded one. Guards and effects are registered on `APPLICATION`
where they are implemented (`services/transitions.py`), so an administrator may change a
workflow without code as long as it uses known names and keeps the flags. The pseudo-role
"member" means "a member of the applying organisation". Logic never keys on a label or on
a state code: it asks the application's own spec (`spec_for(call.workflow)`) for a flag.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innohub.workflow.registry import WorkflowKind
from innohub.workflow.spec import WorkflowSpec

# What each flag means to the code (every one is required of a stored workflow):
APPLICATION_FLAGS = (
    "draft",  # not yet submitted: left out of the call's totals
    "editable_by_applicant",  # the applicant edits the answers
    "awaiting_check",  # staff decide eligibility
    "returned",  # sent back to the applicant: eligibility is checked as after the close
    "in_review",  # experts score it; scores are hidden from the applicant meanwhile
    "rankable",  # the call's ranking moves it into a "ranked" state
    "ranked",  # ranked, awaiting the decision; entered only once the call is closed
    "funded",  # holds an award that may still be changed
    "under_contract",  # milestones and tranches run
    "completed",  # done: opens the next stage to the organisation
    "withdrawn",  # the applicant took it back: the organisation may apply again
)


def _l(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


DEFAULT_WORKFLOW: dict[str, Any] = {
    "initial": "draft",
    "states": [
        {"code": "draft", "staff": _l("Bản nháp", "Draft"), "applicant": _l("Bản nháp – chưa nộp", "Draft – not submitted"), "flags": ["draft", "editable_by_applicant", "open"]},
        {"code": "submitted", "staff": _l("Đã nộp", "Submitted"), "applicant": _l("Đã nộp, chờ kiểm tra", "Submitted, waiting to be checked"), "flags": ["awaiting_check", "open"]},
        {"code": "eligibility_check", "staff": _l("Đang kiểm tra điều kiện", "Eligibility check"), "applicant": _l("Đang được kiểm tra", "Being checked"), "flags": ["awaiting_check", "open"]},
        {"code": "returned", "staff": _l("Yêu cầu bổ sung", "Returned for information"), "applicant": _l("Cần bổ sung thông tin", "Information requested from you"), "flags": ["awaiting_check", "editable_by_applicant", "returned", "open"]},
        {"code": "under_review", "staff": _l("Đang thẩm định", "Under review"), "applicant": _l("Đang được chuyên gia đánh giá", "Being assessed by experts"), "flags": ["in_review", "rankable", "open"]},
        {"code": "ranked", "staff": _l("Đã xếp hạng", "Ranked"), "applicant": _l("Chờ quyết định", "Awaiting decision"), "flags": ["ranked", "open"]},
        {"code": "approved", "staff": _l("Đã phê duyệt", "Approved"), "applicant": _l("Được hỗ trợ", "Support granted"), "flags": ["funded", "decided"]},
        {"code": "rejected", "staff": _l("Không phê duyệt", "Rejected"), "applicant": _l("Không được hỗ trợ", "Not funded"), "terminal": True, "flags": ["decided", "closed"]},
        {"code": "ineligible", "staff": _l("Không đủ điều kiện", "Ineligible"), "applicant": _l("Không đủ điều kiện", "Not eligible"), "terminal": True, "flags": ["decided", "closed"]},
        {"code": "contracted", "staff": _l("Đã ký hợp đồng", "Contracted"), "applicant": _l("Đã ký hợp đồng", "Contract signed"), "flags": ["funded", "under_contract"]},
        {"code": "in_progress", "staff": _l("Đang thực hiện", "In progress"), "applicant": _l("Đang thực hiện", "In progress"), "flags": ["funded", "under_contract"]},
        {"code": "completed", "staff": _l("Hoàn thành", "Completed"), "applicant": _l("Hoàn thành", "Completed"), "terminal": True, "flags": ["completed", "closed"]},
        {"code": "terminated", "staff": _l("Chấm dứt", "Terminated"), "applicant": _l("Đã chấm dứt hỗ trợ", "Support ended"), "terminal": True, "flags": ["decided", "closed"]},
        {"code": "withdrawn", "staff": _l("Đã rút", "Withdrawn"), "applicant": _l("Bạn đã rút hồ sơ", "You withdrew it"), "terminal": True, "flags": ["withdrawn", "closed"]},
    ],
    "transitions": [
        {"code": "submit", "source": ["draft"], "target": "submitted", "roles": ["member"],
         "guards": ["eligible", "declaration"], "effects": ["mark_submitted", "notify_staff", "send_receipt"], "label": _l("Nộp hồ sơ", "Submit")},
        {"code": "start_check", "source": ["submitted"], "target": "eligibility_check", "roles": ["staff"],
         "guards": [], "effects": [], "label": _l("Bắt đầu kiểm tra điều kiện", "Start eligibility check")},
        {"code": "return", "source": ["submitted", "eligibility_check"], "target": "returned", "roles": ["staff"],
         "guards": ["message"], "effects": ["request_message", "notify_applicant"], "label": _l("Yêu cầu bổ sung", "Request information")},
        {"code": "resubmit", "source": ["returned"], "target": "submitted", "roles": ["member"],
         "guards": ["eligible_after_close"], "effects": ["reply_message", "mark_submitted", "notify_staff"], "label": _l("Gửi bổ sung", "Send the information")},
        {"code": "accept", "source": ["eligibility_check"], "target": "under_review", "roles": ["staff"],
         "guards": ["eligible_after_close"], "effects": ["notify_applicant"], "label": _l("Đủ điều kiện – chuyển thẩm định", "Eligible – send to review")},
        {"code": "mark_ineligible", "source": ["submitted", "eligibility_check"], "target": "ineligible", "roles": ["staff"],
         "guards": ["reason"], "effects": ["decide", "notify_applicant"], "label": _l("Không đủ điều kiện", "Ineligible")},
        {"code": "rank", "source": ["under_review"], "target": "ranked", "roles": ["staff"],
         "guards": ["reviews_complete"], "effects": [], "label": _l("Xếp hạng", "Rank")},
        {"code": "approve", "source": ["ranked"], "target": "approved", "roles": ["managers"],
         "guards": ["decision_record"], "effects": ["create_award", "decide", "record_decision", "notify_applicant"], "label": _l("Phê duyệt", "Approve")},
        {"code": "reject", "source": ["ranked", "under_review"], "target": "rejected", "roles": ["managers"],
         "guards": ["reason", "decision_record"], "effects": ["decide", "record_decision", "notify_applicant"], "label": _l("Không phê duyệt", "Reject")},
        {"code": "contract", "source": ["approved"], "target": "contracted", "roles": ["staff"],
         "guards": ["has_milestones", "contract_record"], "effects": ["record_contract", "notify_applicant"], "label": _l("Ghi nhận ký hợp đồng", "Record contract")},
        {"code": "start", "source": ["contracted"], "target": "in_progress", "roles": ["staff"],
         "guards": [], "effects": ["notify_applicant"], "label": _l("Bắt đầu thực hiện", "Start")},
        {"code": "complete", "source": ["in_progress"], "target": "completed", "roles": ["staff"],
         "guards": ["milestones_met"], "effects": ["notify_applicant"], "label": _l("Hoàn thành", "Complete")},
        {"code": "terminate", "source": ["contracted", "in_progress"], "target": "terminated", "roles": ["managers"],
         "guards": ["reason", "decision_record"], "effects": ["decide", "record_decision", "notify_applicant"], "label": _l("Chấm dứt", "Terminate")},
        {"code": "withdraw", "source": ["submitted", "eligibility_check", "returned", "under_review"], "target": "withdrawn",
         "roles": ["member"], "guards": [], "effects": ["notify_staff"], "label": _l("Rút hồ sơ", "Withdraw")},
    ],
}




class ApplicationSpec(WorkflowSpec):
    """An application workflow: its states have a staff and an applicant label."""

    def staff_label(self, state: str) -> str:
        return self.label(state, "staff")

    def applicant_label(self, state: str) -> str:
        return self.label(state, "applicant")


def _spec_of(application: Any) -> WorkflowSpec:
    return spec_for(application.call.workflow)


def _rank_path(spec: WorkflowSpec) -> list[str]:
    """Every rankable state must lead into a ranked one, or the call's ranking moves nothing."""
    return [
        _("The state “%(state)s” is rankable but no transition leads from it into a ranked state.") % {"state": code}
        for code in spec.states_with("rankable") if not spec.transitions_into(code, "ranked")
    ]


def _ranked_waits_for_close(application: Any, step: Any, spec: WorkflowSpec) -> None:
    # Entering a ranked state waits for the call to close whatever a stored workflow's guards
    # say (a ranking drawn while applications can still arrive would be redrawn by every late
    # one), so no workflow version has to carry that guard.
    if spec.has_flag(step.target, "ranked"):
        from innohub.programs.services.ranking import _ensure_call_may_be_ranked

        _ensure_call_may_be_ranked(application.call)


APPLICATION = WorkflowKind(
    model="programs.application",
    audit_prefix="application",
    spec_of=_spec_of,
    required_flags=APPLICATION_FLAGS,
    registers_in=("innohub.programs.services.transitions",),
    wrong_state_message=gettext_lazy("This cannot be done now: the application is “%(state)s”."),
    guard_failed_message=gettext_lazy("The application cannot go on yet."),
    select_related=("call__workflow", "call__programme", "organisation", "form"),
    checks=[_rank_path],
    before_guards=[_ranked_waits_for_close],
)


@APPLICATION.pseudo_role("member")
def _member(actor: Any, application: Any) -> bool:
    from innohub.programs.selectors import is_member

    return is_member(actor, application.organisation_id)


_SPECS: dict[tuple[int, Any], ApplicationSpec] = {}


def spec_for(workflow: Any) -> ApplicationSpec:
    """The parsed definition of a stored workflow (cached per row and version)."""
    key = (workflow.pk, workflow.updated_at)
    spec = _SPECS.get(key)
    if spec is None:
        spec = _SPECS[key] = ApplicationSpec(workflow.definition)
    return spec


def workflow_problems(definition: Any) -> list[str]:
    """Every reason a definition cannot run applications (empty when it can)."""
    return APPLICATION.problems(definition)


DEFAULT_SPEC = ApplicationSpec(DEFAULT_WORKFLOW)
