"""The API's language: what the client asks for with ``Accept-Language``.

The site's pages take their language from the URL (Vietnamese at ``/``, English under
``/en/``), and Django's ``LocaleMiddleware`` gives every unprefixed path, ``/api/v1/``
among them, the default language. An API client has no prefix to choose, so under
``/api/`` the language is the one ``Accept-Language`` (or the language cookie of a signed-in
browser) asks for, Vietnamese when it asks for none we speak. Problem details, validation
messages and the English names of topics, sectors and stages then read in that language, and
the response says which (``Content-Language``, ``Vary: Accept-Language``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"


class ApiLanguageMiddleware:
    """After ``LocaleMiddleware``: under ``/api/``, the language the client accepts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return response
