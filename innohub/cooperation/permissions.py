"""Who may do what in international cooperation, by role (`core.roles`) and by unit: the one
place its pages, API, selectors and services read it from.

Every staff member reads partners, meetings, directions, actions and agreements; confidential
minutes only the staff named on the meeting. Officers of the owning unit (and the action's
owner) edit; managers (and administrators) edit everything and alone approve agreements.
"""

from __future__ import annotations

from typing import Any

from innohub.core.permissions import user_has_role
from innohub.core.roles import MANAGER_ROLES, STAFF_ROLES

VIEW_COOPERATION = STAFF_ROLES  # partners, meetings, the board, agreements, dashboards
RECORD_COOPERATION = STAFF_ROLES  # may record (then edits only what their unit owns)
APPROVE_AGREEMENTS = MANAGER_ROLES


def is_manager(user: Any) -> bool:
    return user_has_role(user, MANAGER_ROLES)


def in_unit(user: Any, unit: Any) -> bool:
    """An officer (or anyone of the staff) named among the unit's officers or as its head."""
    if unit is None or not user_has_role(user, STAFF_ROLES):
        return False
    return unit.head_id == user.pk or unit.members.filter(pk=user.pk).exists()


def may_edit_unit(user: Any, unit: Any) -> bool:
    """Managers edit everything; officers what their unit owns."""
    return is_manager(user) or in_unit(user, unit)


def may_edit_action(user: Any, action: Any) -> bool:
    return may_edit_unit(user, action.direction.unit) or (user_has_role(user, STAFF_ROLES) and action.owner_id == user.pk)


def may_read_minutes(user: Any, meeting: Any) -> bool:
    """Minutes that are not confidential: every staff member; confidential: only the staff named."""
    if not user_has_role(user, STAFF_ROLES):
        return False
    if not meeting.confidential:
        return True
    return meeting.readers.filter(pk=user.pk).exists()
