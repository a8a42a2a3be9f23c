"""`/api/v1/`: one NinjaAPI, one router per app, shared auth, throttling and error format.

Each app exposes `router` in its `api.py`; it is mounted here as its app arrives.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from innohub.api.auth import API_AUTH
from innohub.api.problems import PROBLEM_CONTENT_TYPE, install_problem_handlers


class ProblemAPI(NinjaAPI):
    """A NinjaAPI whose description says errors are problem details.

    ninja's OpenAPI description declares every response as application/json, while errors are
    sent as application/problem+json; the description is corrected after it is built.
    """

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if int(status) >= 400 and content and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = ProblemAPI(
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
        AnonRateThrottle(f"{settings.API_RATE_LIMIT_PER_MINUTE // 2}/m"),
        AuthRateThrottle(f"{settings.API_RATE_LIMIT_PER_MINUTE}/m"),
    ],
    docs_url="/docs",
)
install_problem_handlers(api)

api.add_router("/", "innohub.api.routers.router")
api.add_router("/activity/", "innohub.activity.api.router")
api.add_router("/programs/", "innohub.programs.api.router")
api.add_router("/directory/", "innohub.directory.api.router")
api.add_router("/qa/", "innohub.qa.api.router")
api.add_router("/indicators/", "innohub.indicators.api.router")
