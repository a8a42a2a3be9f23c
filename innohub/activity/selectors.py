"""Reads on the audit log and notifications, limited to what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from innohub.activity.models import Event, Notification
from innohub.core.db import filter_given
from innohub.core.permissions import user_has_role
from innohub.core.roles import STAFF_ROLES

VIEW_AUDIT_LOG = STAFF_ROLES


def event_list(
    *,
    user: Any,
    action: str = "",
    actor: str = "",
    target_type: str = "",
    target_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Event]:
    if not user_has_role(user, VIEW_AUDIT_LOG):
        raise PermissionDenied
    qs = Event.objects.select_related("target_type").order_by("-created_at", "-id")
    if target_type:
        app_label, _, model = target_type.partition(".")
        qs = qs.filter(target_type__app_label=app_label, target_type__model=model)
    return filter_given(
        qs,
        action__startswith=action,
        actor_label__icontains=actor,
        target_id=target_id,
        created_at__date__gte=date_from,
        created_at__date__lte=date_to,
    )


def notification_list(*, user: Any) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_unread_count(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
