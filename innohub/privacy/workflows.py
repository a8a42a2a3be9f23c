"""The workflow of a personal data request, as data on the shared engine (`innohub.workflow`):
awaiting the e-mail confirmation (a request sent without an account) → received (its
deadline runs) → done, or refused with the reason. Code asks for flags (``open``,
``unconfirmed``, ``closed``), never for a state code."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from innohub.workflow.registry import WorkflowKind
from innohub.workflow.spec import WorkflowSpec


def _l(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


DATA_REQUEST_WORKFLOW: dict[str, Any] = {
    "initial": "awaiting_confirmation",
    "states": [
        {"code": "awaiting_confirmation", "staff": _l("Chờ xác nhận e-mail", "Awaiting e-mail confirmation"), "flags": ["unconfirmed"]},
        {"code": "received", "staff": _l("Đã tiếp nhận", "Received"), "flags": ["open"]},
        {"code": "done", "staff": _l("Đã thực hiện", "Done"), "terminal": True, "flags": ["closed", "done"]},
        {"code": "refused", "staff": _l("Từ chối", "Refused"), "terminal": True, "flags": ["closed", "refused"]},
    ],
    "transitions": [
        {"code": "confirm", "source": ["awaiting_confirmation"], "target": "received", "roles": ["requester"],
         "effects": ["start_deadline"], "label": _l("Xác nhận yêu cầu", "Confirm the request")},
        {"code": "carry_out", "source": ["received"], "target": "done", "roles": ["administrators"],
         "guards": ["outcome_for_correction"], "effects": ["carry_out", "close"], "label": _l("Thực hiện", "Carry out")},
        {"code": "refuse", "source": ["awaiting_confirmation", "received"], "target": "refused", "roles": ["administrators"],
         "guards": ["reason"], "effects": ["close"], "label": _l("Từ chối (nêu lý do)", "Refuse (give the reason)")},
    ],
}
DATA_REQUEST_SPEC = WorkflowSpec(DATA_REQUEST_WORKFLOW)
DATA_REQUEST = WorkflowKind(
    model="privacy.datarequest",
    audit_prefix="data_request",
    spec_of=lambda request: DATA_REQUEST_SPEC,
    required_flags=("open", "unconfirmed", "closed"),
    required_transitions=("confirm", "carry_out", "refuse"),
    registers_in=("innohub.privacy.services",),
    wrong_state_message=gettext_lazy("This cannot be done now: the request is “%(state)s”."),
    fields=("state", "received_at", "due_at", "closed_at", "outcome", "export_file", "export_expires_at"),
    # the person who asked: the signed link sent to the address (or their account) is the proof,
    # checked by the view before the step is taken
    pseudo_roles={"requester": lambda actor, obj: True},
)


def states_with(*flags: str) -> tuple[str, ...]:
    return DATA_REQUEST_SPEC.states_with(*flags)


def state_label(state: str) -> str:
    return DATA_REQUEST_SPEC.label(state)
