"""Error pages in the visitor's language, with the site's look (403, 404, 500)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return defaults.permission_denied(request, exception or Exception(), template_name="403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return defaults.page_not_found(request, exception or Exception(), template_name="404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the 500 page must render even when the database is down.
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request": request}), status=500)
