"""Remember the client IP of the current request so audit events can record it.

Services are called from views, the API, commands and tasks; threading a `request`
through all of them just for the IP would put web concerns in every signature, so the
IP lives in a context variable that is empty outside a request.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from innohub.core.client_ip import client_ip

current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
