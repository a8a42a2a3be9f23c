"""Context every template gets: the navigation for the current user and area."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from innohub.core.navigation import nav_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        from innohub.activity.selectors import notification_unread_count

        unread = notification_unread_count(user=user)
    return {
        "language_links": _language_links(request),
        "public_nav": nav_for(user, "public"),
        # read only where a page shows it (the back office's sidebar): its counts cost queries
        "staff_nav": SimpleLazyObject(lambda: nav_for(user, "staff")),
        "unread_notifications": unread,
        "source_code_url": settings.SOURCE_CODE_URL,
    }


def _language_links(request: HttpRequest) -> list[dict]:
    """The current page in each other language, translated while this page's language is active.

    Django's `set_language` translates `next` under the cookie's language, which fails
    for unprefixed Vietnamese URLs; translating here, at render time, always works.
    """
    current = translation.get_language()
    path = request.get_full_path()
    return [
        {"code": code, "name": "Tiếng Việt" if code == "vi" else "English", "next": translate_url(path, code)}
        for code, _name in settings.LANGUAGES
        if code != current
    ]
