"""Who may do what in research and technology transfer, by role (`core.roles`). A task's own
steps name their roles in its workflow (`research.workflows`), as data; a council member
scores only the councils they sit on (checked in the services)."""

from __future__ import annotations

from innohub.core.roles import ALL_ROLES, BACKOFFICE_ROLES, MANAGER_ROLES, STAFF_ROLES

MANAGE_TASKS = STAFF_ROLES  # officers propose, record, form councils; managers approve in the workflow
APPROVE_CHANGES = MANAGER_ROLES  # contract changes (extension, budget) are approved by managers
SIT_ON_COUNCILS = BACKOFFICE_ROLES  # experts and staff may be council members
MANAGE_MARKET = STAFF_ROLES  # publish offers and needs, record deals
TAKE_PART_IN_MARKET = ALL_ROLES  # any signed-in user may express interest or decline
