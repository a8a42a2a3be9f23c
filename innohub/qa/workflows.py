"""The question workflow as data: stable state codes, labels for staff and for the
asker in both languages, and transitions naming the roles allowed.

`services.question_transition` is the one place a question changes state; it reads
this table, checks the actor's role and the source state, saves and logs. Logic
never keys on a label.
"""

from __future__ import annotations

from dataclasses import dataclass

from innohub.core.i18n import labelled

STAFF = ("officer", "manager", "administrator")
MANAGERS = ("manager", "administrator")


def _l(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


STATES: dict[str, dict] = {
    "received": {"staff": _l("Mới nhận", "Received"), "public": _l("Đã tiếp nhận", "Received")},
    "assigned": {"staff": _l("Đã phân công", "Assigned"), "public": _l("Đang xử lý", "Being answered")},
    "drafted": {"staff": _l("Đã có dự thảo", "Drafted"), "public": _l("Đang xử lý", "Being answered")},
    "awaiting_approval": {"staff": _l("Chờ phê duyệt", "Awaiting approval"), "public": _l("Đang xử lý", "Being answered")},
    # a manager may take a published answer down to correct it: "correct" below
    "published": {"staff": _l("Đã công bố", "Published"), "public": _l("Đã trả lời", "Answered")},
    "rejected_out_of_scope": {
        "staff": _l("Từ chối – ngoài phạm vi", "Rejected – out of scope"),
        "public": _l("Không thuộc phạm vi trả lời", "Outside the department's remit"),
        "terminal": True,
    },
    "merged": {"staff": _l("Đã gộp", "Merged"), "public": _l("Được trả lời cùng câu hỏi khác", "Answered with another question"), "terminal": True},
}
OPEN_STATES = ("received", "assigned", "drafted", "awaiting_approval")


@dataclass(frozen=True)
class Transition:
    code: str
    source: tuple[str, ...]
    target: str
    roles: tuple[str, ...]


TRANSITIONS: dict[str, Transition] = {
    t.code: t
    for t in [
        Transition("assign", ("received", "assigned", "drafted"), "assigned", STAFF),
        Transition("draft", ("received", "assigned", "drafted"), "drafted", STAFF),
        Transition("submit", ("drafted",), "awaiting_approval", STAFF),
        Transition("return", ("awaiting_approval",), "drafted", MANAGERS),
        Transition("publish", ("awaiting_approval",), "published", MANAGERS),
        Transition("correct", ("published",), "drafted", MANAGERS),
        Transition("reject", ("received", "assigned", "drafted"), "rejected_out_of_scope", STAFF),
        Transition("merge", ("received", "assigned", "drafted"), "merged", STAFF),
    ]
}


def staff_label(state: str) -> str:
    return labelled(STATES[state]["staff"]) if state in STATES else state


def public_label(state: str) -> str:
    return labelled(STATES[state]["public"]) if state in STATES else state


def state_choices() -> list[tuple[str, str]]:
    return [(code, labels["staff"]["en"]) for code, labels in STATES.items()]


def allowed(state: str, role: str | None) -> list[str]:
    """Codes of the transitions a role may take from a state."""
    return [t.code for t in TRANSITIONS.values() if state in t.source and role in t.roles]
