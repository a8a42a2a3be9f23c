"""Errors that services raise and that pages and the API turn into messages.

`ApplicationError` carries a user-facing (translated) message and optional
per-field details; the API renders it as an RFC 9457 problem with status 400,
or 409 for `ConflictError`.
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


class PermissionError_(ApplicationError):  # noqa: N801 - avoid shadowing the builtin
    status = 403
    code = "forbidden"
