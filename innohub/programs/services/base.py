"""What every programme service shares: the audited fields of an application, accepted uploads, links and the people notified."""

from __future__ import annotations

from django.urls import reverse

from innohub.core.roles import Role
from innohub.forms.schema import ALLOWED_UPLOADS, DEFAULT_MAX_UPLOAD_MB  # noqa: F401 - re-exported by the package
from innohub.programs.models import (
    Application,
)

APPLICATION_FIELDS = ["state", "title", "amount_requested", "submitted_at", "declared_at", "decided_at", "decision_reason", "score", "rank"]


def _url(application: Application) -> str:
    return reverse("programs:application-detail", kwargs={"pk": application.pk})


def _members(organisation_id: int):
    from innohub.accounts.models import User

    return list(User.objects.filter(memberships__organisation_id=organisation_id, is_active=True))


def _officers():
    from innohub.accounts.models import User

    return list(User.objects.filter(role=Role.OFFICER, is_active=True)[:20])


def _managers():
    """Those who decide on applications (`permissions.DECIDE`) and are active."""
    from innohub.accounts.models import User
    from innohub.programs.permissions import DECIDE

    return list(User.objects.filter(role__in=DECIDE, is_active=True)[:50])
