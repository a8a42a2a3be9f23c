"""Who may do what in the support programmes, by role (`core.roles`): the one place its
pages, API, selectors and services read it from. An application's own steps name their
roles in its workflow (`programs.workflows`), as data."""

from __future__ import annotations

from innohub.core.roles import BACKOFFICE_ROLES, MANAGER_ROLES, STAFF_ROLES, Role

MANAGE_PROGRAMMES = STAFF_ROLES  # officers run calls; managers decide; administrators configure
DECIDE = MANAGER_ROLES
REVIEW = frozenset({Role.REVIEWER})
SEE_REVIEW_LIST = BACKOFFICE_ROLES
