"""Schemas shared by every router: problem details and pagination."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: Any | None = None


ERROR_RESPONSES: dict[int, type[Schema]] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 429: Problem}
