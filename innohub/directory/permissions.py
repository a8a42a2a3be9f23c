"""Who may do what in the directory, by role (`core.roles`): the one place its pages, API,
selectors and services read it from."""

from __future__ import annotations

from innohub.core.roles import STAFF_ROLES, Role

MANAGE_DIRECTORY = STAFF_ROLES
REGISTER_ORGANISATION = frozenset({Role.APPLICANT})
