"""The Content-Security-Policy every response carries (django-csp), and the one exception;
the Permissions-Policy beside it.

Pages run scripts and styles only from the site's own static files: no inline ``<script>``,
no ``on…=""`` handler, no ``style=""`` attribute, no ``eval`` (``CONTENT_SECURITY_POLICY`` in
config/settings/base.py). The API's Swagger UI (``/api/v1/docs``) is a React page that
writes ``style`` attributes and shows ``data:`` icons; it alone gets ``style-src
'unsafe-inline'`` and ``img-src data:`` — its scripts still come only from our static files.
"""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponseBase

# the Swagger UI pages (ninja's docs view); the OpenAPI JSON needs nothing more
API_DOCS_PATHS = ("/api/v1/docs",)
API_DOCS_POLICY = {"style-src": [UNSAFE_INLINE], "img-src": ["data:"]}
# no page uses the camera, microphone, location or payment request; nothing embedded may either
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.path_info.startswith(API_DOCS_PATHS) and not hasattr(response, "_csp_update"):
            response._csp_update = API_DOCS_POLICY  # type: ignore[attr-defined]
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return super().process_response(request, response)
