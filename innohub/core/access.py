"""Who may open each page and call each API operation, read from the code itself.

Pages declare their rule on the view (`innohub.core.permissions`: `role_required(roles)`,
`login_required`, `public`); Django's own pages that check access themselves or are for
everyone are listed in `EXCEPTIONS`, each with its reason. API operations declare theirs in
Ninja: the API's authentication (a request without credentials gets 401; the selectors and
`ensure_role` narrow it to roles) or `auth=None` for public ones. `uncovered_pages` and
`uncovered_api_operations` name whatever declares nothing, so a new page cannot escape the
permission tests (`tests/test_url_coverage.py`, `tests/test_permissions.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from ninja.constants import NOT_SET

PUBLIC = "public"

# URL name, or namespace, → why no role rule is declared on the view.
EXCEPTIONS: dict[str, str] = {
    "admin": "Django's admin checks its own staff flag and sends everyone else to its login page",
    "api-1": "the API's operations are checked one by one from its OpenAPI description",
    "set_language": "the language switch is for everyone",
    "javascript-catalog": "the translations of the pages' scripts are for everyone",
    "accounts:login": "logging in is for everyone",
    "accounts:logout": "logging out is for everyone",
    "accounts:signup": "signing up is for everyone",
    "accounts:password-reset": "resetting a forgotten password is for everyone",
    "accounts:password-reset-done": "resetting a forgotten password is for everyone",
    "accounts:password-reset-confirm": "resetting a forgotten password is for everyone (the link holds the token)",
    "accounts:password-reset-complete": "resetting a forgotten password is for everyone",
}

LANGUAGES = ("vi", "en")  # Vietnamese unprefixed, English under /en/


@dataclass(frozen=True)
class Route:
    language: str
    path: str  # the pattern as written, with its language prefix ("/en/qa/inbox/<int:pk>/")
    name: str  # the namespaced URL name ("qa:question"), "" if it has none
    namespace: str  # "admin:" for Django admin's unnamed pages too
    callback: Callable[..., Any]

    @property
    def has_parameters(self) -> bool:
        return "<" in self.path or "(?P" in self.path or "^" in self.path

    def __str__(self) -> str:
        return f"{self.path} ({self.name or (self.namespace + ':' if self.namespace else '') + 'unnamed'})"


def view_access(callback: Callable[..., Any]) -> frozenset[str] | str | None:
    """The roles a view allows, `PUBLIC`, or None when it declares nothing. Decorators made
    with `functools.wraps` carry the declaration outwards; a class-based view may carry it on
    its class."""
    for holder in (callback, getattr(callback, "view_class", None)):
        if holder is None:
            continue
        if getattr(holder, "public", False) is True:
            return PUBLIC
        roles = getattr(holder, "allowed_roles", None)
        if roles is not None:
            return frozenset(roles)
    return None


def _walk(patterns: list[Any], prefix: str, namespace: str, language: str) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner or "", language)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield Route(language, prefix + str(entry.pattern), name, namespace, entry.callback)


def routes(urlconf: str | None = None) -> list[Route]:
    """Every route of the URLconf, nested includes too, once per language prefix."""
    found: list[Route] = []
    for language in LANGUAGES:
        with translation.override(language):
            found.extend(_walk(get_resolver(urlconf).url_patterns, "/", "", language))
    return found


def exception_for(route: Route, exceptions: dict[str, str] = EXCEPTIONS) -> str | None:
    """Why this route is exempt, if it is: its name or any of its namespaces is listed."""
    parts = (route.name or route.namespace).split(":")
    for length in range(len(parts), 0, -1):
        reason = exceptions.get(":".join(parts[:length]))
        if reason:
            return reason
    return None


def uncovered_pages(urlconf: str | None = None, exceptions: dict[str, str] = EXCEPTIONS) -> list[str]:
    """Every route whose view declares no role rule and is not a listed exception."""
    return sorted({
        str(route) for route in routes(urlconf)
        if view_access(route.callback) is None and exception_for(route, exceptions) is None
    })


def api_operations(api: Any, path_prefix: str | None = None) -> list[tuple[str, str, bool]]:
    """(method, path, public) of every operation of a Ninja API, from its OpenAPI description:
    an operation without `security` takes no credentials (declared `auth=None`). The paths
    start where the API is mounted, unless `path_prefix` is given (an API not in the URLconf)."""
    schema = api.get_openapi_schema(path_prefix=path_prefix)
    return [
        (method.upper(), path, not operation.get("security"))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def uncovered_api_operations(api: Any, path_prefix: str | None = None) -> list[str]:
    """Operations neither authenticated by the API nor declared public with `auth=None`.

    Ninja gives every operation the API's authentication unless it says `auth=None`, so an
    operation without credentials is a declared public one only when the API has an
    authentication; an API built without one leaves every such operation undeclared."""
    if api.auth not in (None, NOT_SET):
        return []
    return [f"{method} {path}" for method, path, public in api_operations(api, path_prefix) if public]
