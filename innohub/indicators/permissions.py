"""Who may do what with the ecosystem index, by role (`core.roles`): the one place its
pages, API and services read it from."""

from __future__ import annotations

from innohub.core.roles import MANAGER_ROLES, Role

IMPORT_ROLES = MANAGER_ROLES | {Role.OFFICER}  # import statistics, compute from the platform
MANAGE_ROLES = MANAGER_ROLES  # frameworks, runs, uncertainty analyses, publication
