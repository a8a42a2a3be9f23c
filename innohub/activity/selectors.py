"""Reads on the audit log and notifications, limited to what the user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse

from innohub.activity.models import Event, Notification
from innohub.activity.permissions import VIEW_AUDIT_LOG
from innohub.core.db import filter_given, latest_and_count
from innohub.core.permissions import user_has_role


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


HISTORY_SHOWN = 10


@dataclass(frozen=True)
class History:
    """An object's latest audit events, newest first, and the audit log's page of all of them."""

    events: list[Event]
    total: int
    log_url: str

    @property
    def more(self) -> bool:
        return self.total > len(self.events)


def event_history(*, user: Any, target: models.Model, shown: int = HISTORY_SHOWN) -> History:
    """What happened to one object, for the side of its staff page.

    The page shows the latest `shown` events; the whole history is the audit log filtered
    to the object (paginated there), which `log_url` opens.
    """
    content_type = ContentType.objects.get_for_model(target)
    key = f"{content_type.app_label}.{content_type.model}"
    events = event_list(user=user, target_type=key, target_id=str(target.pk)).select_related("actor")
    latest, total = latest_and_count(events, shown)
    log_url = f"{reverse('activity:log')}?{urlencode({'target_type': key, 'target_id': target.pk})}"
    return History(events=latest, total=total, log_url=log_url)


def notification_list(*, user: Any) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notifications_rendered(notifications: Iterable[Notification]) -> list[Notification]:
    """A page of notifications with their texts rendered in the active language, the rows their
    parameters name read once for the page (`messages.preloaded`), not once a notification."""
    from innohub.activity.messages import preloaded

    rows = list(notifications)
    with preloaded(rows):
        for notification in rows:
            notification.rendered()
    return rows


def notification_unread_count(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
