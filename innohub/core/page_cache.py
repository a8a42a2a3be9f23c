"""The public page cache: an anonymous visitor's GET of a public page (or a public API search) is
answered from the shared cache until a write changes what the page showed.

What a page shows is known without declaring it: while a page is rendered for the cache, every SQL
statement it runs is seen (a database execute wrapper) and the apps whose tables it read are kept
with the page. Every INSERT, UPDATE or DELETE on an app's table, wherever it comes from (a service,
the admin, a bulk update, a task on another machine), gives that app a new random version in the
shared cache: at once, and again when its transaction commits. A cached page is served only while
every app it read still has the version it had *before* the page was rendered, so a write that
commits while a page renders leaves that page unused, and a version lost from the cache (evicted)
comes back as a new one, never an old one. A page rendered from an in-memory index older than the
database (a background rebuild under way, `core.refresh`) is not stored. Pages also expire after
`PAGE_CACHE_SECONDS`, which bounds what changes with the clock alone (a call's deadline passing).

Only what is the same for every anonymous visitor is cached: GET requests without a session,
messages or Authorization, answered 200 with no cookie set by the view. The page's CSRF token is
stored as a placeholder and each visitor gets their own. Which views are cached is declared by
each app's `AppConfig.cached_views` (URL names, e.g. ``"directory:list"``, ``"api-1:list_answers"``).

It needs a cache every process shares (Redis: `REDIS_URL`), so it is on when one is configured and
off otherwise (`PAGE_CACHE_ENABLED`); with the local-memory cache of `make run`, a background
worker's writes would not reach the web server's versions. Django's own `cache_page` is not used:
it keys on the Vary headers (CSRF makes every visitor different) and invalidates only by time.

The same cache answers a signed-in person's second look at their own pages (the back office's
landing page and work queues, the notifications list: `AppConfig.personal_cached_views`), under the
same versions. Such a page is kept for that person alone: its key holds every column of their user
row (a changed role, name or deactivation is another key, so the view's permission check runs again)
and today's date (what is due tomorrow changes at midnight). It is served only after the session,
the idle time-out and the second factor have let the request through, never with messages waiting
to be shown, and kept only when answered 200 without touching the session.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import (  # type: ignore[attr-defined]  # the token format is Django's
    _unmask_cipher_token,
    get_token,
)
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from innohub.core import registry

logger = logging.getLogger(__name__)

VERSION_PREFIX = "page-cache:version:"
ALL = "*"  # bumped by a statement whose tables cannot be told (TRUNCATE, DDL) and by `bump_all`
PAGE_PREFIX = "page-cache:page:"
VALUE_PREFIX = "page-cache:value:"
CSRF_PLACEHOLDER = "\x00csrf-token\x00"
HEADER = "X-Page-Cache"  # hit or miss, for operators and tests
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)
SCHEMA = re.compile(r"^\s*(?:TRUNCATE|ALTER|DROP|CREATE)\b", re.IGNORECASE)
READ = re.compile(r'\b(?:FROM|JOIN)\s+"([^"]+)"', re.IGNORECASE)
TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")
KEEP_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Vary")

_write_observers: list[Callable[[str, str], None]] = []
_reading: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("page_cache_reading", default=None)
_unstorable: contextvars.ContextVar[bool] = contextvars.ContextVar("page_cache_unstorable", default=False)
_tables: dict[str, str] = {}
T = TypeVar("T")


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_ENABLED", False))


def _label_of(table: str) -> str | None:
    if not _tables:
        for model in apps.get_models(include_auto_created=True):
            _tables[model._meta.db_table] = model._meta.app_label
    return _tables.get(table)


@functools.cache
def _labels() -> list[str]:
    return sorted({config.label for config in apps.get_app_configs()}) + [ALL]


# --- versions ---------------------------------------------------------------------------------

def _bump(labels: set[str]) -> None:
    cache.set_many({VERSION_PREFIX + label: secrets.token_hex(8) for label in labels}, None)


def bump_all() -> None:
    """Every cached page stale at once (after a restore, or SQL run outside the application)."""
    _bump({ALL})


def data_changed(label: str) -> None:
    """What the pages of app `label` show changed outside the database (files the app keeps beside
    it, e.g. the Q&A's saved passage vectors): its pages are stale, as after a write to its tables."""
    if enabled():
        _changed({label})


def observe_writes(observer: Callable[[str, str], None]) -> None:
    """Call ``observer(table, sql)`` after each INSERT, UPDATE or DELETE seen while the cache is on:
    an in-memory index tells the writes it can follow from those it cannot (the directory's search
    index cannot follow a bulk ``.update()`` that leaves ``updated_at`` alone, nor a DELETE)."""
    if observer not in _write_observers:
        _write_observers.append(observer)


def versions(labels: list[str]) -> dict[str, str]:
    """The current version of each label (apps, `ALL`, or a label given to `data_changed`); {}
    when the cache is off. An in-memory index keeps them to know when to look again."""
    return _versions(labels) if enabled() else {}


def on_setting_changed(**kwargs: Any) -> None:
    """A setting changed while running (the tests' override_settings): a page may show it."""
    if enabled():
        bump_all()


def _versions(labels: list[str]) -> dict[str, str]:
    keys = [VERSION_PREFIX + label for label in labels]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:  # never seen, or evicted: a new version, so no page stored under an old one matches
        for key in missing:
            cache.add(key, secrets.token_hex(8), None)
        found.update(cache.get_many(missing))
    return {key.removeprefix(VERSION_PREFIX): value for key, value in found.items()}


def _entry_and_versions(key: str) -> tuple[Any, dict[str, str]]:
    """What is stored under `key`, and every app's current version, in one round trip to the cache."""
    labels = _labels()
    found = cache.get_many([key, *(VERSION_PREFIX + label for label in labels)])
    entry = found.pop(key, None)
    if len(found) < len(labels):  # a version never seen, or evicted: `_versions` gives it a new one
        return entry, _versions(labels)
    return entry, {name.removeprefix(VERSION_PREFIX): value for name, value in found.items()}


def _current(entry: Any, versions: dict[str, str]) -> bool:
    return entry is not None and all(versions.get(label) == version for label, version in entry["versions"].items())


def _changed(labels: set[str]) -> None:
    _bump(labels)
    if connection.in_atomic_block:
        connection.page_cache_uncommitted = True  # type: ignore[attr-defined]  # see `_uncommitted`
        # again once committed: a page rendered between the first bump and the commit read the
        # data from before and was stored under the new version
        transaction.on_commit(lambda: _bump(labels), robust=True)


def _watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    reading = _reading.get()
    if reading is not None:
        reading.update(filter(None, map(_label_of, READ.findall(sql))))
    result = execute(sql, params, many, context)
    if sql[:6].upper() != "SELECT":
        if match := WRITE.match(sql):
            if label := _label_of(match.group(1)):
                _changed({label})
            for observer in _write_observers:
                observer(match.group(1), sql)
        elif SCHEMA.match(sql):
            _changed({ALL})
    return result


def watch(conn: BaseDatabaseWrapper) -> None:
    """See this connection's statements (once per connection object; new connections: `ready`)."""
    if _watch not in conn.execute_wrappers:
        conn.execute_wrappers.insert(0, _watch)


def on_connection_created(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if enabled():
        watch(connection)


def not_storable() -> None:
    """The page being rendered shows something older than the database: answer it, do not keep it."""
    if _reading.get() is not None:
        _unstorable.set(True)


# --- values -----------------------------------------------------------------------------------

def _uncommitted() -> bool:
    """Whether this connection wrote in the transaction still open: a value read now could hold rows
    a rollback takes back, and no version would change to say so."""
    if not connection.in_atomic_block:
        connection.page_cache_uncommitted = False  # type: ignore[attr-defined]
        return False
    return getattr(connection, "page_cache_uncommitted", False)


def remember(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the shared cache under `name` and the versions of the apps whose tables
    it read, as a page is: the same value until a write to one of them (or `PAGE_CACHE_SECONDS`).
    For what a page not kept whole computes on every request (a person's work-queue counts), so
    that a write elsewhere does not make it ask again. Inside a page being rendered for the cache,
    the page depends on what the value read, whether computed or remembered. Without the cache
    (`enabled()` false) it is computed every time; after a write in a transaction still open, it is
    computed and not kept."""
    if not enabled():
        return compute()
    key = VALUE_PREFIX + hashlib.sha256(name.encode()).hexdigest()
    outer = _reading.get()
    entry, before = _entry_and_versions(key)
    if _current(entry, before):
        if outer is not None:
            outer.update(entry["versions"])
        return entry["value"]
    read: set[str] = set()
    reading, unstorable = _reading.set(read), _unstorable.set(False)
    try:
        value = compute()
        older_than_database = _unstorable.get()
    finally:
        _reading.reset(reading)
        _unstorable.reset(unstorable)
    if outer is not None:
        outer.update(read)
        if older_than_database:
            not_storable()
    if not (older_than_database or _uncommitted()):
        cache.set(key, {"versions": {label: before[label] for label in (*read, ALL)}, "value": value}, settings.PAGE_CACHE_SECONDS)
    return value


# --- the middleware ---------------------------------------------------------------------------

def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.user.is_authenticated
    )


def _personal_request(request: HttpRequest) -> bool:
    """A signed-in person's GET, with no message waiting to be shown (a page showing one is not kept)."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return (
        request.method == "GET"
        and user is not None and user.is_authenticated
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.COOKIES.get("messages")  # (a browser drops the emptied cookie; the test client sends it)
        and session is not None and "_messages" not in session
    )


def person(user: Any) -> str:
    """Whose page or value this is: every column of the user row, the second factor given, today's date."""
    columns = [str(getattr(user, field.attname)) for field in user._meta.concrete_fields]
    device = getattr(user, "otp_device", None)
    return "\x1e".join([*columns, str(getattr(device, "persistent_id", "")), timezone.localdate().isoformat()])


def _page_key(request: HttpRequest, person: str = "") -> str:
    parts = [request.get_host(), getattr(request, "LANGUAGE_CODE", ""), request.get_full_path(),
             request.headers.get("HX-Request", ""), request.headers.get("HX-Target", "")]
    if person:
        parts.append(person)
    return PAGE_PREFIX + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _with_placeholder(content: bytes, request: HttpRequest) -> bytes:
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content
    text = content.decode()
    return TOKEN.sub(lambda m: CSRF_PLACEHOLDER if _unmask_cipher_token(m.group(0)) == secret else m.group(0), text).encode()


class PublicPageCacheMiddleware:
    """Last in MIDDLEWARE: the request's language, user and CSRF cookie are known, the session's
    idle time-out and second factor are checked, and the CSRF middleware sets the cookie of a
    token given from a cached page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            return self.get_response(request)
        public = _cacheable_request(request)
        if not (public or _personal_request(request)):
            return self.get_response(request)
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            return self.get_response(request)
        if view_name not in (registry.cached_views() if public else registry.personal_cached_views()):
            return self.get_response(request)
        key = _page_key(request) if public else _page_key(request, person(request.user))
        entry, versions = _entry_and_versions(key)
        if _current(entry, versions):
            return self._answer(request, entry)
        return self._render(request, key, versions)

    def _answer(self, request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
        content: bytes = entry["content"]
        if CSRF_PLACEHOLDER.encode() in content:
            content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
        response = HttpResponse(content, status=200, headers=entry["headers"])
        response[HEADER] = "hit"
        patch_vary_headers(response, ("Cookie",))
        return response

    def _render(self, request: HttpRequest, key: str, before: dict[str, str]) -> HttpResponse:
        read: set[str] = set()
        reading, unstorable = _reading.set(read), _unstorable.set(False)
        try:
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()  # the template's queries are part of what the page read
            storable = not _unstorable.get()
        finally:
            _reading.reset(reading)
            _unstorable.reset(unstorable)
        response[HEADER] = "miss"
        patch_vary_headers(response, ("Cookie",))
        session = getattr(request, "session", None)
        if (storable and response.status_code == 200 and not response.cookies and not getattr(response, "streaming", False)
                and not (session is not None and session.modified)):
            versions = {label: before[label] for label in (*read, ALL)}
            headers = {name: response[name] for name in KEEP_HEADERS if name in response}
            cache.set(key, {"versions": versions, "headers": headers, "content": _with_placeholder(response.content, request)},
                      settings.PAGE_CACHE_SECONDS)
        return response
