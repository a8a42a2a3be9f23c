"""Audit log and notifications over the API, with the same checks as the pages."""


import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from innohub.activity import selectors, services
from innohub.activity.models import Notification
from innohub.api.pagination import PagePagination
from innohub.api.schemas import ERROR_RESPONSES, IsoDate

router = Router(tags=["activity"])


class EventOut(Schema):
    id: int
    created_at: dt.datetime
    actor: str = Field(alias="actor_label")
    action: str
    target_type: str | None = None
    target_id: str
    target_label: str
    before: dict | list | None = None
    after: dict | list | None = None
    ip_address: str | None = None

    @staticmethod
    def resolve_target_type(obj) -> str | None:
        return f"{obj.target_type.app_label}.{obj.target_type.model}" if obj.target_type_id else None


class EventFilters(Schema):
    action: str = Field("", max_length=80)
    actor: str = Field("", max_length=150)
    target_type: str = Field("", max_length=100)
    target_id: str = Field("", max_length=64)
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


@router.get("/events", response={200: list[EventOut], **ERROR_RESPONSES}, summary="Audit events, newest first")
@paginate(PagePagination)
def list_events(request: HttpRequest, filters: Query[EventFilters]):
    return selectors.event_list(user=request.auth, **filters.dict())


class NotificationOut(Schema):
    id: int
    message: str = Field(description="The message id (`programs.payment_received`); empty on notifications older than message ids")
    params: dict[str, Any] = Field(description="The message's parameters as stored")
    subject: str = Field(description="In the language the request asks for")
    body: str = Field(description="In the language the request asks for")
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_subject(obj: Notification) -> str:
        return obj.shown_subject

    @staticmethod
    def resolve_body(obj: Notification) -> str:
        return obj.shown_body


class NotificationPages(PagePagination):
    """Pages of notifications whose texts are rendered together, the rows they name read once
    for the page (`selectors.notifications_rendered`)."""

    def paginate_queryset(self, queryset: Any, pagination: Any, *args: Any, **params: Any) -> dict[str, Any]:  # type: ignore[override]
        page = super().paginate_queryset(queryset, pagination, *args, **params)
        page["items"] = selectors.notifications_rendered(page["items"])
        return page


@router.get("/notifications", response={200: list[NotificationOut], **ERROR_RESPONSES}, summary="My notifications")
@paginate(NotificationPages)
def list_notifications(request: HttpRequest):
    return selectors.notification_list(user=request.auth)


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **ERROR_RESPONSES}, summary="Mark one notification read")
def read_notification(request: HttpRequest, notification_id: int):
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.auth)
    return services.notification_mark_read(notification=notification, user=request.auth)
