"""Reads of personal data requests: only administrators see them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from innohub.core.permissions import ensure_role
from innohub.core.roles import ADMIN_ROLES
from innohub.privacy.models import DataRequest
from innohub.privacy.workflows import states_with


def request_list(*, user: Any, state: str = "") -> QuerySet[DataRequest]:
    ensure_role(user, ADMIN_ROLES)
    items = DataRequest.objects.select_related("user")
    if state:
        items = items.filter(state=state)
    return items.order_by("due_at", "-created_at", "id")


def requests_open(*, user: Any) -> QuerySet[DataRequest]:
    """Received requests still to carry out, the earliest deadline first (the work queue)."""
    return request_list(user=user).filter(state__in=states_with("open"))


def request_get(*, user: Any, pk: int) -> DataRequest:
    return get_object_or_404(request_list(user=user), pk=pk)
