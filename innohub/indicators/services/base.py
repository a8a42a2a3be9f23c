"""Who may import values and manage the index, and the sizes the runs keep."""

from __future__ import annotations

from innohub.core.roles import MANAGER_ROLES, Role

IMPORT_ROLES = MANAGER_ROLES | {Role.OFFICER}
MANAGE_ROLES = MANAGER_ROLES
TRACE_ROWS = 200  # rows kept per table in a run's trace; the count says how many there were
DEFAULT_MONTE_CARLO_RUNS = 500
