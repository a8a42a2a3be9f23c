"""Staff two-factor authentication (TOTP with recovery codes, django-otp).

Every back-office role (officer, manager, administrator, reviewer) and every account that may
open Django's admin must prove a second factor after its password: a code from an
authenticator app (a TOTP device) or one of ten single-use recovery codes (a static device).
`TwoFactorMiddleware` sends such an account, once its password is accepted, to enrol (no
confirmed device yet) or to enter a code, before any other page — the admin included; the
API answers a session that has not passed the second factor with a 403 problem. API bearer
tokens are not sessions: an administrator issues them (`api_token_create`) and they stay valid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from innohub.core.roles import BACKOFFICE_ROLES

RECOVERY_CODES = 10
# URL names a signed-in account that has not passed the second factor may still open
OPEN_BEFORE_SECOND_FACTOR = frozenset({
    "accounts:two-factor-setup", "accounts:two-factor-verify", "accounts:logout", "set_language",
    "javascript-catalog",
})


def requires_two_factor(user: Any) -> bool:
    """Whether this account must pass a second factor: every back-office role, and anyone
    who may open Django's admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role in BACKOFFICE_ROLES or user.is_staff or user.is_superuser


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: keeps an account that needs a second factor, and has
    not given one in this session, on the enrolment or verification page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and requires_two_factor(user) and not is_verified(user) and not self._open(request):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"type": "about:blank", "status": 403,
                     "title": _("Staff accounts must confirm their log-in with a second factor first.")},
                    status=403, content_type="application/problem+json",
                )
            name = "accounts:two-factor-verify" if user_has_device(user) else "accounts:two-factor-setup"
            return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        if request.path_info.startswith(("/static/", "/favicon")):
            return True
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in OPEN_BEFORE_SECOND_FACTOR
