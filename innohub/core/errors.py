"""Errors that services raise and that pages and the API turn into messages.

`ApplicationError` carries a user-facing (translated) message and optional
per-field details; the API renders it as an RFC 9457 problem with status 400,
409 for `ConflictError`, 429 for `RateLimitedError`.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: Any, *, extra: dict[str, Any] | None = None, code: str = ""):
        super().__init__(str(message))
        self.message = message
        self.extra = extra or {}
        if code:
            self.code = code


class ConflictError(ApplicationError):
    status = 409
    code = "conflict"


class RateLimitedError(ApplicationError):
    """Refused for flooding (too many questions or ratings from one address or account):
    429 on the API, as its throttle answers, and the page's error beside the form."""

    status = 429
    code = "rate_limited"


class PermissionError_(ApplicationError):  # noqa: N801 - avoid shadowing the builtin
    status = 403
    code = "forbidden"
