"""Absolute links to the site, for e-mails and anything read away from a page.

They are built from the configured ``settings.SITE_URL`` (django-environ reads it from the
environment), never from a request: a background task has none, and a request's Host
header is the client's to choose. A path is given the reader's language prefix
(``/en/…``), so that an English reader's link opens the English page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation


def localised_path(path: str, language: str) -> str:
    """``path`` (reversed in any language) as the page in ``language``; unchanged when it is
    not one of the site's translated pages (the API, an external address)."""
    if not path.startswith("/") or path.startswith("//"):
        return path
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                resolve(urlsplit(path).path)
            except Resolver404:
                continue
            return translate_url(path, language)
    return path


def absolute_url(path: str, *, language: str | None = None) -> str:
    """``https://site/path`` from ``SITE_URL``; with ``language``, the page in that language."""
    if not path:
        return settings.SITE_URL.rstrip("/") + "/"
    if urlsplit(path).scheme:
        return path
    if language:
        path = localised_path(path, language)
    return settings.SITE_URL.rstrip("/") + path
