"""The research task's lifecycle as data, for both legal regimes, and the task's workflow kind.

Two definitions in the workflow engine's format (`innohub.workflow.spec`): `REGIME_2025`
for tasks ordered under Law 93/2025/QH15 on Science, Technology and Innovation (in force
1 October 2025) and its Decree 267/2025/NĐ-CP, and `REGIME_2013` for tasks ordered before,
which run to their end under the 2013 Law on Science and Technology, Decree 08/2014/NĐ-CP
and Circular 07/2014/TT-BKHCN. A task keeps its `regime`; its spec is read from it.

Each state carries staff labels, a ``help`` text (the legal basis) and the flags the code
reads (`TASK_FLAGS`); code never keys on a state code. Citations: only the texts' numbers
and Article 16 of Law 93/2025 (S&T tasks) were checked against the published text; every
help text that names a step's article says so when it still needs checking against the
official text (``"cite_checked": false`` in the data, shown on the task page).

What a search of published copies found (December 2026; no official gazette text could be
fetched): Law 93/2025/QH15 puts tasks in Chapter II, Section 1 ("Chiến lược, kế hoạch,
nhiệm vụ và chương trình", Articles 15–16); Decree 267/2025/NĐ-CP (7 chapters, 57 articles)
details programmes and tasks, the handling of assets, and the management and
commercialisation of results, but no copy found gave the article of each step, so the
2025 steps name no article beyond Article 16. For the 2013 regime, results are registered
under Circular 14/2014/TT-BKHCN (Article 5: the dossier, with the registration form "Mẫu 5"
of its annex), cited on the ``registered`` state with the same caution.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from innohub.workflow.registry import WorkflowKind
from innohub.workflow.spec import WorkflowSpec

TASK_FLAGS = (
    "proposal",  # the ordering proposal: details still editable by staff
    "selection",  # the selection council scores; members are assigned
    "budget",  # budget lines are appraised against the approved total
    "under_contract",  # periodic reports, inspections and contract changes
    "acceptance",  # the acceptance council scores; its minutes decide
    "accepted",  # the results are recognised: outputs may be offered
    "registered",  # the results are registered
    "closed",  # nothing more happens
)


def _l(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


_CHECK_VI = " (điều, khoản cụ thể cần đối chiếu văn bản gốc)"
_CHECK_EN = " (the exact article still needs checking against the official text)"


def _help(vi: str, en: str, *, checked: bool = False) -> dict[str, str]:
    return _l(vi + ("" if checked else _CHECK_VI), en + ("" if checked else _CHECK_EN))


def _states(basis_vi: str, basis_en: str, old: bool) -> list[dict[str, Any]]:
    b_vi, b_en = basis_vi, basis_en
    states: list[dict[str, Any]] = [
        {"code": "proposed", "staff": _l("Đề xuất đặt hàng", "Ordering proposal"), "flags": ["proposal"],
         "help": _help(f"Đề xuất đặt hàng nhiệm vụ – {b_vi}", f"Proposal to order the task – {b_en}")},
        {"code": "defined", "staff": _l("Đã xác định nhiệm vụ", "Task defined"), "flags": ["proposal"],
         "help": _help(f"Hội đồng tư vấn xác định nhiệm vụ – {b_vi}", f"Advisory council defines the task – {b_en}")},
        {"code": "announced", "staff": _l("Thông báo tuyển chọn", "Announced for open selection"), "flags": [],
         "help": _help(f"Thông báo tuyển chọn tổ chức, cá nhân chủ trì – {b_vi}", f"Open call for a host and PI – {b_en}")},
        {"code": "assigned_directly", "staff": _l("Giao trực tiếp", "Assigned directly"), "flags": [],
         "help": _help(f"Giao trực tiếp tổ chức chủ trì – {b_vi}", f"Direct assignment to a host – {b_en}")},
        {"code": "dossiers_received", "staff": _l("Đã nhận hồ sơ", "Dossiers received"), "flags": [],
         "help": _help(f"Mở và kiểm tra tính hợp lệ của hồ sơ – {b_vi}", f"Dossiers opened and checked – {b_en}")},
        {"code": "selection_council", "staff": _l(
            "Hội đồng tuyển chọn, giao trực tiếp" if old else "Hội đồng tư vấn tuyển chọn, giao trực tiếp",
            "Selection council"), "flags": ["selection"],
         "help": _help(f"Hội đồng đánh giá hồ sơ – {b_vi}", f"The council scores the dossiers – {b_en}")},
        {"code": "budget_appraisal", "staff": _l("Thẩm định nội dung, kinh phí", "Budget appraisal"), "flags": ["budget"],
         "help": _help(f"Tổ thẩm định kinh phí – {b_vi}", f"Appraisal of contents and budget – {b_en}")},
        {"code": "approved", "staff": _l("Đã phê duyệt", "Approved"), "flags": ["budget"],
         "help": _help(f"Quyết định phê duyệt nhiệm vụ và kinh phí – {b_vi}", f"Approval of the task and its budget – {b_en}")},
        {"code": "contracted", "staff": _l("Đã ký hợp đồng", "Contract signed"), "flags": ["under_contract"],
         "help": _help(f"Hợp đồng thực hiện nhiệm vụ – {b_vi}", f"The task's contract – {b_en}")},
        {"code": "in_progress", "staff": _l("Đang thực hiện – báo cáo, kiểm tra định kỳ", "In progress – reports and inspections"),
         "flags": ["under_contract"],
         "help": _help(f"Báo cáo định kỳ, kiểm tra, điều chỉnh hợp đồng – {b_vi}", f"Periodic reports, inspections, contract changes – {b_en}")},
        {"code": "self_evaluation", "staff": _l("Tự đánh giá", "Self-evaluation"), "flags": ["under_contract"],
         "help": _help(f"Tổ chức chủ trì tự đánh giá kết quả – {b_vi}", f"The host evaluates its own results – {b_en}")},
        {"code": "acceptance_council", "staff": _l("Hội đồng đánh giá nghiệm thu", "Acceptance council"), "flags": ["acceptance"],
         "help": _help(f"Đánh giá, nghiệm thu kết quả – {b_vi}", f"Evaluation and acceptance of the results – {b_en}")},
        {"code": "accepted", "staff": _l("Công nhận kết quả, thanh lý hợp đồng", "Results recognised, contract closed"),
         "flags": ["accepted"],
         "help": _help(f"Công nhận kết quả và thanh lý hợp đồng – {b_vi}", f"Recognition of the results and closure of the contract – {b_en}")},
        {"code": "registered", "staff": _l("Đã đăng ký kết quả", "Results registered"), "flags": ["accepted", "registered"],
         "help": _help(f"Đăng ký, lưu giữ kết quả nhiệm vụ – {b_vi}", f"Registration of the results – {b_en}")},
        {"code": "assets_assigned", "staff": _l("Đã giao quyền sở hữu, tài sản", "Assets and IP assigned"),
         "flags": ["accepted", "registered", "closed"], "terminal": True,
         "help": _help(f"Giao quyền sở hữu, quyền sử dụng kết quả và xử lý tài sản – {b_vi}",
                       f"Ownership and use of the results and assets assigned – {b_en}")},
        {"code": "not_accepted", "staff": _l("Không được nghiệm thu", "Not accepted"), "flags": ["closed"], "terminal": True,
         "help": _help(f"Kết quả không đạt – {b_vi}", f"Results not accepted – {b_en}")},
        {"code": "terminated", "staff": _l("Dừng thực hiện", "Terminated"), "flags": ["closed"], "terminal": True,
         "help": _help(f"Chấm dứt hợp đồng – {b_vi}", f"Contract terminated – {b_en}")},
    ]
    if old:
        # Found in a retrieved text (a thuvienphapluat.vn answer quoting it): Circular 14/2014/TT-BKHCN
        # governs registering the results, its Article 5 lists the dossier, starting with the
        # registration form "Mẫu 5" of its annex. A news item on an amending circular speaks of
        # its Article 12 instead: still to be checked against the official text.
        registered = next(state for state in states if state["code"] == "registered")
        registered["help"] = _help(
            "Đăng ký, lưu giữ kết quả nhiệm vụ – Thông tư 14/2014/TT-BKHCN, Điều 5 (hồ sơ đăng ký gồm Phiếu đăng ký "
            "kết quả theo Mẫu 5 của Phụ lục)",
            "Registration of the results – Circular 14/2014/TT-BKHCN, Article 5 (the dossier includes the results "
            "registration form, Form 5 of its annex)")
    for state in states:
        state["cite_checked"] = False  # no step's article was checked against the official text yet
    return states


def _transitions() -> list[dict[str, Any]]:
    running = ["proposed", "defined", "announced", "assigned_directly", "dossiers_received", "selection_council",
               "budget_appraisal", "approved", "contracted", "in_progress", "self_evaluation"]
    return [
        {"code": "define", "source": ["proposed"], "target": "defined", "roles": ["staff"], "label": _l("Xác định nhiệm vụ", "Define the task")},
        {"code": "announce", "source": ["defined"], "target": "announced", "roles": ["staff"],
         "label": _l("Thông báo tuyển chọn", "Announce open selection")},
        {"code": "assign_directly", "source": ["defined"], "target": "assigned_directly", "roles": ["managers"],
         "guards": ["has_host"], "label": _l("Giao trực tiếp", "Assign directly")},
        {"code": "receive_dossiers", "source": ["announced", "assigned_directly"], "target": "dossiers_received", "roles": ["staff"],
         "guards": ["has_host"], "label": _l("Ghi nhận hồ sơ", "Record the dossiers")},
        {"code": "check_dossiers", "source": ["dossiers_received"], "target": "selection_council", "roles": ["staff"],
         "label": _l("Hồ sơ hợp lệ – chuyển hội đồng", "Dossiers valid – to the council")},
        {"code": "select", "source": ["selection_council"], "target": "budget_appraisal", "roles": ["staff"],
         "guards": ["selection_scored"], "label": _l("Hội đồng chọn – thẩm định kinh phí", "Selected – appraise the budget")},
        {"code": "appraise_budget", "source": ["budget_appraisal"], "target": "approved", "roles": ["managers"],
         "guards": ["budget_set"], "effects": ["notify_host"], "label": _l("Phê duyệt nhiệm vụ và kinh phí", "Approve the task and budget")},
        {"code": "sign_contract", "source": ["approved"], "target": "contracted", "roles": ["staff"],
         "guards": ["has_contract"], "effects": ["notify_host"], "label": _l("Ghi nhận ký hợp đồng", "Record the signed contract")},
        {"code": "start", "source": ["contracted"], "target": "in_progress", "roles": ["staff"], "label": _l("Bắt đầu thực hiện", "Start")},
        {"code": "self_evaluate", "source": ["in_progress"], "target": "self_evaluation", "roles": ["staff"],
         "label": _l("Nhận hồ sơ tự đánh giá", "Record the self-evaluation")},
        {"code": "send_to_acceptance", "source": ["self_evaluation"], "target": "acceptance_council", "roles": ["staff"],
         "label": _l("Chuyển hội đồng nghiệm thu", "Send to the acceptance council")},
        {"code": "accept", "source": ["acceptance_council"], "target": "accepted", "roles": ["managers"],
         "guards": ["acceptance_minutes", "acceptance_passed"], "effects": ["notify_host"],
         "label": _l("Công nhận kết quả", "Recognise the results")},
        {"code": "not_accept", "source": ["acceptance_council"], "target": "not_accepted", "roles": ["managers"],
         "guards": ["acceptance_minutes"], "effects": ["notify_host"], "label": _l("Không nghiệm thu", "Do not accept")},
        {"code": "register_results", "source": ["accepted"], "target": "registered", "roles": ["staff"],
         "label": _l("Đăng ký kết quả", "Register the results")},
        {"code": "assign_assets", "source": ["registered"], "target": "assets_assigned", "roles": ["managers"],
         "label": _l("Giao quyền sở hữu, tài sản", "Assign ownership and assets")},
        {"code": "terminate", "source": running, "target": "terminated", "roles": ["managers"],
         "label": _l("Dừng thực hiện", "Terminate")},
    ]


REGIME_2025: dict[str, Any] = {
    "initial": "proposed",
    "states": _states("Luật KH,CN&ĐMST số 93/2025/QH15 (Điều 16) và Nghị định 267/2025/NĐ-CP",
                      "Law 93/2025/QH15 (Article 16) and Decree 267/2025/ND-CP", old=False),
    "transitions": _transitions(),
}
REGIME_2013: dict[str, Any] = {
    "initial": "proposed",
    "states": _states("Luật KH&CN 2013, Nghị định 08/2014/NĐ-CP, Thông tư 07/2014/TT-BKHCN",
                      "2013 Law on S&T, Decree 08/2014/ND-CP, Circular 07/2014/TT-BKHCN", old=True),
    "transitions": _transitions(),
}

SPECS: dict[str, WorkflowSpec] = {"2025": WorkflowSpec(REGIME_2025), "2013": WorkflowSpec(REGIME_2013)}


def spec_for(regime: str) -> WorkflowSpec:
    return SPECS[regime]


def task_spec(task: Any) -> WorkflowSpec:
    return spec_for(task.regime)


TASK = WorkflowKind(
    model="research.task",
    audit_prefix="task",
    spec_of=task_spec,
    required_flags=TASK_FLAGS,
    required_transitions=("accept",),
    registers_in=("innohub.research.services",),
    wrong_state_message=gettext_lazy("This cannot be done now: the task is “%(state)s”."),
    guard_failed_message=gettext_lazy("The task cannot go on yet."),
)


def has_flag(task: Any, flag: str) -> bool:
    return task_spec(task).has_flag(task.state, flag)


def states_with(*flags: str) -> tuple[str, ...]:
    """The codes carrying any of the flags in either regime (for queries)."""
    return tuple(dict.fromkeys(code for spec in SPECS.values() for code in spec.states_with(*flags)))


def state_label(task: Any) -> str:
    return task_spec(task).label(task.state)


def state_help(task: Any) -> str:
    return task_spec(task).label(task.state, "help")


def timeline(task: Any) -> list[dict[str, Any]]:
    """The regime's states in order, each marked done, current or to come (terminal side
    branches are shown only when the task is in them)."""
    spec = task_spec(task)
    codes = list(spec.states)
    current = codes.index(task.state) if task.state in codes else -1
    out = []
    for i, code in enumerate(codes):
        if spec.is_terminal(code) and not spec.has_flag(code, "registered") and code != task.state:
            continue
        out.append({"code": code, "label": spec.label(code), "help": spec.label(code, "help"),
                    "done": i < current,
                    "current": code == task.state})
    return out
