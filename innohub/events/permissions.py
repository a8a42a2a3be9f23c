"""Who may do what with events (role sets checked by views, the API and services)."""

from innohub.core.roles import MANAGER_ROLES, STAFF_ROLES

MANAGE_EVENTS = STAFF_ROLES  # create and edit events, see every registration, export, reports
MODERATE_REGISTRATIONS = STAFF_ROLES  # approve, refuse, cancel a registration
CHECK_IN = STAFF_ROLES  # scan codes, find by name, register walk-ins
ISSUE_CERTIFICATES = STAFF_ROLES
REVOKE_CERTIFICATES = MANAGER_ROLES
