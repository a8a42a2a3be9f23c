"""API authentication: bearer tokens for integrations, the session (with CSRF) for the site."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from innohub.accounts.selectors import user_for_api_key


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_key(key=token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The site's session, with CSRF checked on unsafe methods — but only when there is a
    logged-in user to protect. ninja checks CSRF before it looks at the session, so a request
    with no credentials at all would hear "CSRF check Failed" (403, English) where it should
    hear that authentication is required (401)."""

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("The CSRF check failed. Reload the page and try again."))
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


token_auth = TokenAuth()
session_auth = ActiveSessionAuth()
API_AUTH = [token_auth, session_auth]
