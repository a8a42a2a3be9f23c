"""The roles of innohub (see DESIGN.md) and the groups of them that checks use.

A user has one role. Codes are stable; labels are translated.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VISITOR = "visitor", _("Citizen")
    APPLICANT = "applicant", _("Applicant")
    REVIEWER = "reviewer", _("Reviewer")
    OFFICER = "officer", _("Officer")
    MANAGER = "manager", _("Manager")
    ADMINISTRATOR = "administrator", _("Administrator")


STAFF_ROLES = frozenset({Role.OFFICER, Role.MANAGER, Role.ADMINISTRATOR})
BACKOFFICE_ROLES = STAFF_ROLES | {Role.REVIEWER}
MANAGER_ROLES = frozenset({Role.MANAGER, Role.ADMINISTRATOR})
ADMIN_ROLES = frozenset({Role.ADMINISTRATOR})
ALL_ROLES = frozenset(Role)
