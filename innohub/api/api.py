"""`/api/v1/`: one NinjaAPI, one router per app, shared auth, throttling and error format.

Each app declares its router as `api_router` on its AppConfig (`innohub.core.registry`);
every declared router is mounted here.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from innohub.api.auth import API_AUTH
from innohub.api.problems import (
    PROBLEM_CONTENT_TYPE,
    BodyNotAnObject,
    install_problem_handlers,
    problem_response,
)
from innohub.core import registry
from innohub.core.client_ip import client_ip


class ProblemAPI(NinjaAPI):
    """A NinjaAPI whose every error is a problem detail, and whose description says so.

    ninja answers a method a path does not have with a text/html 405 ("Method not allowed")
    and leaves unknown paths to Django's HTML 404; here both are problems. Its OpenAPI
    description declares every response as application/json, while errors are sent as
    application/problem+json; the description is corrected after it is built.
    """

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = self._problem_for_not_allowed(pattern.callback)
        urls.append(re_path(r"^.*$", csrf_exempt(self._not_found), name="api-not-found"))
        return urls

    def _problem_for_not_allowed(self, view: Any) -> Any:
        @functools.wraps(view)  # keeps csrf_exempt: ninja checks CSRF itself, for sessions only
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseNotAllowed):
                problem = problem_response(self, request, status=405, title=_("This method is not allowed here."))
                problem["Allow"] = response["Allow"]
                return problem
            return response

        return wrapped

    def _not_found(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return problem_response(self, request, status=404, title=_("Not found."))

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if int(status) >= 400 and content and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


class ClientAnonRateThrottle(AnonRateThrottle):
    """ninja's throttles key on the whole X-Forwarded-For when one is sent, which any client can
    write (a new address for every request): ours key on the proxy-aware address instead."""

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_ip(request)


class ClientAuthRateThrottle(AuthRateThrottle):
    def get_ident(self, request: HttpRequest) -> str | None:
        return client_ip(request)


class ObjectBodyParser(Parser):
    """Every JSON body the API takes is an object. ninja's schemas also read their fields from
    any other value's attributes (for ORM objects), so a list or a string would pass as an
    empty body — an empty PATCH answered 200; here it is refused as unreadable."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise BodyNotAnObject("the request body is not a JSON object")
        return data


api = ProblemAPI(
    parser=ObjectBodyParser(),
    title="innohub API",
    version="1",
    description=(
        "The innovation and startup ecosystem platform of the Department of Science and Technology. "
        "Authenticate with `Authorization: Bearer <token>` (tokens are issued by an administrator) "
        "or with the site's session. Errors are RFC 9457 problem details."
    ),
    urls_namespace="api-1",
    auth=API_AUTH,
    throttle=[
        ClientAnonRateThrottle(f"{settings.API_RATE_LIMIT_PER_MINUTE // 2}/m"),
        ClientAuthRateThrottle(f"{settings.API_RATE_LIMIT_PER_MINUTE}/m"),
    ],
    docs_url="/docs",
)
install_problem_handlers(api)

for declared in registry.api_routers():
    api.add_router(declared.prefix, declared.router)
