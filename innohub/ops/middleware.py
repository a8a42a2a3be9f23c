"""The request id: taken from the client's (or the proxy's) `X-Request-ID` when it is a plausible id,
made up otherwise; kept for the request's log lines and returned in the response's header. One log
line per request (method, path without its query, status, duration), never its query string or
body, which may hold personal data."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from innohub.ops.logs import request_id

HEADER = "X-Request-ID"
VALID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
logger = logging.getLogger("innohub.request")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        rid = given if VALID.match(given) else uuid.uuid4().hex
        request.request_id = rid  # type: ignore[attr-defined]
        token = request_id.set(rid)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            logger.info("%s %s %s", request.method, request.path, response.status_code, extra={
                "method": request.method, "path": request.path, "status": response.status_code,
                "duration_ms": round((time.perf_counter() - start) * 1000, 1)})
            return response
        finally:
            request_id.reset(token)
