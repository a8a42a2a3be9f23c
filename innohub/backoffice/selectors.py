"""Figures for the back-office dashboard, limited to what the user's role may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from innohub.activity.models import Event
from innohub.core import registry
from innohub.core.permissions import user_has_role
from innohub.core.roles import STAFF_ROLES
from innohub.directory.models import Organisation


def dashboard_figures(*, user: Any) -> dict[str, Any]:
    figures: dict[str, Any] = {"is_staff_role": user_has_role(user, STAFF_ROLES)}
    if figures["is_staff_role"]:
        # the three counts in one query
        figures.update(
            **Organisation.objects.filter(archived_at__isnull=True).aggregate(
                organisations=Count("pk"),
                startups=Count("pk", filter=Q(kind=Organisation.Kind.STARTUP)),
                unverified=Count("pk", filter=Q(verified=False)),
            ),
            # what people did, and what the background did now and then; its routine
            # bookkeeping (`registry.quiet_actions`) stays in the audit log only
            recent_events=list(
                Event.objects.exclude(actor__isnull=True, action__in=registry.quiet_actions()).order_by("-created_at", "-id")[:8]
            ),
        )
    return figures
