"""Idle time-out of sessions (OWASP ASVS 3.3.2).

A signed-in session that has made no request for ``SESSION_IDLE_TIMEOUT_STAFF_MINUTES`` (staff:
every back-office role and anyone who may open the admin; default 30) or
``SESSION_IDLE_TIMEOUT_PUBLIC_MINUTES`` (everyone else; default 120) is logged out on its next
request: a page goes to the log-in page, which says why (``?idle=1``) and returns to the page
afterwards; an API call gets a 401 problem. The absolute limit stays ``SESSION_COOKIE_AGE``
(12 h). The last request's time is written to the session at most once a minute, so a busy
session does not write on every request. Bearer tokens are not sessions and are not affected.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from innohub.accounts.two_factor import requires_two_factor

LAST_SEEN_KEY = "last_seen"
WRITE_EVERY_SECONDS = 60


def idle_limit_seconds(user) -> int:
    minutes = settings.SESSION_IDLE_TIMEOUT_STAFF_MINUTES if requires_two_factor(user) else settings.SESSION_IDLE_TIMEOUT_PUBLIC_MINUTES
    return int(minutes * 60)


class IdleTimeoutMiddleware:
    """After AuthenticationMiddleware: logs out a session idle past its limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            if isinstance(last, int) and now - last > idle_limit_seconds(user):
                logout(request)
                if request.path_info.startswith("/api/"):
                    return JsonResponse(
                        {"type": "about:blank", "status": 401, "code": "session_idle",
                         "title": _("Your session ended after a time without activity. Log in again.")},
                        status=401, content_type="application/problem+json")
                target = request.get_full_path() if request.method == "GET" else request.path
                return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target, 'idle': '1'})}")
            if not isinstance(last, int) or now - last >= WRITE_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def on_login(sender: object, request: HttpRequest | None, user: object, **kwargs: object) -> None:
    """A log-in is activity (``user_logged_in``, connected in apps.py): the session starts with
    its time, so that its first request writes nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())
