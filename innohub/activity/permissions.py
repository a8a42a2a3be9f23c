"""Who may read the audit log, by role (`core.roles`)."""

from __future__ import annotations

from innohub.core.roles import STAFF_ROLES

VIEW_AUDIT_LOG = STAFF_ROLES
