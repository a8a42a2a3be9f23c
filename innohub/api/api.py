"""`/api/v1/`: one NinjaAPI, one router per app, shared auth, throttling and error format.

Each app exposes `router` in its `api.py`; it is mounted here as its app arrives.
"""

from __future__ import annotations

from django.conf import settings
from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from innohub.api.auth import API_AUTH
from innohub.api.problems import install_problem_handlers

api = NinjaAPI(
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
