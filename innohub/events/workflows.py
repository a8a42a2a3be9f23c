"""The registration workflow as data (the engine's format, `innohub.workflow.spec`): state
codes with staff and attendee labels in both languages, the flags the code reads, and the
transitions with the roles allowed; and the registration's workflow kind.

Code never keys on a state code: it asks for a flag (`has_flag(registration.state,
"holds_seat")`, `states_with("waiting")` in queries, `state_with("confirmed")` for the state a
new registration enters). Pseudo-roles: "attendee" is the person registered or whoever
registered them; "link_holder" and "platform" serve internal steps only (the attendee's
signed link, checked by the service before it calls the engine; the automatic promotion
from the waiting list), which no page offers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from innohub.workflow.registry import WorkflowKind
from innohub.workflow.spec import WorkflowSpec

REGISTRATION_FLAGS = (
    "live",  # not cancelled nor refused: the e-mail may not register again
    "holds_seat",  # counts against the event's capacity
    "confirmed",  # expected at the event: may be checked in
    "waiting",  # on the waiting list, promoted in order when a seat frees
    "awaiting_approval",  # the organiser approves or refuses
    "attended",  # checked in
    "cancellable",  # the attendee may cancel
    "cancelled",
    "refused",
)


def _l(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


REGISTRATION_WORKFLOW: dict[str, Any] = {
    "initial": "confirmed",
    "states": [
        {"code": "confirmed", "staff": _l("Đã xác nhận", "Confirmed"), "attendee": _l("Đã đăng ký – được xác nhận", "Registered – confirmed"),
         "flags": ["live", "holds_seat", "confirmed", "cancellable"]},
        {"code": "waiting", "staff": _l("Danh sách chờ", "Waiting list"), "attendee": _l("Trong danh sách chờ", "On the waiting list"),
         "flags": ["live", "waiting", "cancellable"]},
        {"code": "awaiting_approval", "staff": _l("Chờ duyệt", "Awaiting approval"), "attendee": _l("Đang chờ ban tổ chức duyệt", "Waiting for the organiser's approval"),
         "flags": ["live", "holds_seat", "awaiting_approval", "cancellable"]},
        {"code": "attended", "staff": _l("Đã tham dự", "Attended"), "attendee": _l("Đã tham dự", "Attended"),
         "flags": ["live", "holds_seat", "attended"]},
        {"code": "cancelled", "staff": _l("Đã hủy", "Cancelled"), "attendee": _l("Đã hủy đăng ký", "Registration cancelled"),
         "terminal": True, "flags": ["cancelled"]},
        {"code": "refused", "staff": _l("Bị từ chối", "Refused"), "attendee": _l("Không được chấp nhận", "Not accepted"),
         "terminal": True, "flags": ["refused"]},
    ],
    "transitions": [
        {"code": "approve", "source": ["awaiting_approval"], "target": "confirmed", "roles": ["staff"], "label": _l("Duyệt", "Approve")},
        {"code": "refuse", "source": ["awaiting_approval", "waiting"], "target": "refused", "roles": ["staff"], "guards": ["reason"],
         "label": _l("Từ chối", "Refuse")},
        {"code": "cancel", "source": ["confirmed", "waiting", "awaiting_approval"], "target": "cancelled", "roles": ["staff", "attendee"],
         "label": _l("Hủy đăng ký", "Cancel the registration")},
        {"code": "cancel_by_link", "source": ["confirmed", "waiting", "awaiting_approval"], "target": "cancelled", "roles": ["link_holder"],
         "internal": True, "action": "cancel"},
        {"code": "promote", "source": ["waiting"], "target": "confirmed", "roles": ["platform"], "internal": True},
        {"code": "promote_to_approval", "source": ["waiting"], "target": "awaiting_approval", "roles": ["platform"], "internal": True,
         "action": "promote"},
        {"code": "check_in", "source": ["confirmed"], "target": "attended", "roles": ["staff"], "internal": True},
    ],
}
REGISTRATION_SPEC = WorkflowSpec(REGISTRATION_WORKFLOW)

REGISTRATION = WorkflowKind(
    model="events.registration",
    audit_prefix="registration",
    spec_of=lambda registration: REGISTRATION_SPEC,
    required_flags=REGISTRATION_FLAGS,
    required_transitions=("approve", "refuse", "cancel", "cancel_by_link", "promote", "promote_to_approval", "check_in"),
    registers_in=("innohub.events.services.registrations",),
    wrong_state_message=gettext_lazy("This cannot be done now: the registration is “%(state)s”."),
    fields=("state", "waiting_position", "reason", "checked_in_at"),
    select_related=("event",),
)


@REGISTRATION.pseudo_role("attendee")
def _attendee(actor: Any, registration: Any) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    return actor.pk in (registration.user_id, registration.registered_by_id)


@REGISTRATION.pseudo_role("link_holder")
def _link_holder(actor: Any, registration: Any) -> bool:
    return True  # internal step: the service has checked the signed link


@REGISTRATION.pseudo_role("platform")
def _platform(actor: Any, registration: Any) -> bool:
    return True  # internal step taken by the code (promotion from the waiting list)


def has_flag(state: str, flag: str) -> bool:
    return REGISTRATION_SPEC.has_flag(state, flag)


def states_with(*flags: str) -> tuple[str, ...]:
    return REGISTRATION_SPEC.states_with(*flags)


def state_with(flag: str) -> str:
    """The (first) state carrying the flag: the state a registration enters."""
    return states_with(flag)[0]


def staff_label(state: str) -> str:
    return REGISTRATION_SPEC.label(state, "staff")


def attendee_label(state: str) -> str:
    return REGISTRATION_SPEC.label(state, "attendee")


def state_choices() -> list[tuple[str, str]]:
    return [(code, REGISTRATION_SPEC.label(code, "staff")) for code in REGISTRATION_SPEC.states]
