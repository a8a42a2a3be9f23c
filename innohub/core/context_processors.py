"""Context every template gets: the navigation for the current user and area."""

from __future__ import annotations

from django.http import HttpRequest

from innohub.core.navigation import nav_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        from innohub.activity.selectors import notification_unread_count

        unread = notification_unread_count(user=user)
    return {
        "public_nav": nav_for(user, "public"),
        "staff_nav": nav_for(user, "staff"),
        "unread_notifications": unread,
    }
