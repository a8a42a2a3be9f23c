"""API authentication: bearer tokens for integrations, the session (with CSRF) for the site."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from innohub.accounts.selectors import user_for_api_key


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_key(key=token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The site's session, with CSRF checked on unsafe methods (ninja's SessionAuth does)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


token_auth = TokenAuth()
session_auth = ActiveSessionAuth()
API_AUTH = [token_auth, session_auth]
