"""What every programme service shares: the audited fields of an application, accepted uploads, links and the people notified."""

from __future__ import annotations

from django.urls import reverse

from innohub.core.roles import Role
from innohub.programs.models import (
    Application,
)

APPLICATION_FIELDS = ["state", "title", "amount_requested", "submitted_at", "decided_at", "decision_reason", "score", "rank"]
ALLOWED_UPLOADS = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}
DEFAULT_MAX_UPLOAD_MB = 10


def _url(application: Application) -> str:
    return reverse("programs:application-detail", kwargs={"pk": application.pk})


def _members(organisation_id: int):
    from innohub.accounts.models import User

    return list(User.objects.filter(memberships__organisation_id=organisation_id, is_active=True))


def _officers():
    from innohub.accounts.models import User

    return list(User.objects.filter(role=Role.OFFICER, is_active=True)[:20])
