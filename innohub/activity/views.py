"""Staff page of the audit log; everyone's page of their notifications."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from innohub.activity import permissions, selectors, services
from innohub.activity.forms import EventFilterForm
from innohub.activity.models import Notification
from innohub.core.pagination import paginate
from innohub.core.permissions import login_required, role_required


@role_required(permissions.VIEW_AUDIT_LOG)
def event_log(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = selectors.event_list(user=request.user, **{k: v for k, v in filters.items() if v})
    page = paginate(request, events, per_page=50)
    return TemplateResponse(request, "activity/event_list.html", {"form": form, "page": page})


@login_required
def notification_inbox(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.notification_list(user=request.user))
    page.object_list = selectors.notifications_rendered(page.object_list)
    return TemplateResponse(request, "activity/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(notification=notification, user=request.user)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("activity:notifications")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notification_mark_all_read(user=request.user)
    return redirect("activity:notifications")
