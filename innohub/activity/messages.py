"""The registry of notification messages, and their rendering in a reader's language.

A notification is a message id (``programs.payment_received``) and JSON-safe parameters;
its words are rendered only when someone reads it, in the reader's language: the in-app
list and the API in the language of the page or request, the e-mail in the recipient's
(``user.language``). Each app declares its own messages with `message(...)` in its
``notifications`` module, found the first time a message is looked up (as the admin finds
``admin.py``), so a new module edits no central list. A message's subject and body are
English gettext msgids with named placeholders (marked with ``gettext_noop`` so that they
are extracted); a parameter is shown as it is unless the message names a renderer for it:
`amount` (``40.000.000 ₫`` / ``40,000,000 VND``), `date` (``22/11/2026``), `choice` (a model
field's choice label) or any function of the stored value, called in the reader's language
(a workflow state's label, say). A parameter that names a row (an event, a question, a
workflow: stored by its id) is rendered by a `Lookup`, which reads the rows of a whole page of
notifications in one query (`preloaded`) instead of one query a notification. An unknown id,
or parameters missing for the texts, raise at once: a notification that cannot be written in
every language is a programming error.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext

from innohub.core.dates import format_date
from innohub.core.money import format_vnd

Renderer = Callable[[Any], str]

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


class UnknownMessage(LookupError):
    """No app declares a message with this id."""


class MessageParamsError(ValueError):
    """The parameters do not fill the message's texts."""


@dataclass(frozen=True)
class Message:
    id: str
    subject: str
    body: str = ""
    renderers: Mapping[str, Renderer] = field(default_factory=dict)

    @property
    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER.findall(self.subject)) | set(_PLACEHOLDER.findall(self.body))

    def check(self, params: Mapping[str, Any]) -> None:
        missing = sorted((self.placeholders | set(self.renderers)) - set(params))
        if missing:
            raise MessageParamsError(f"Message {self.id!r} needs the parameters {', '.join(missing)}.")

    def render(self, params: Mapping[str, Any], *, language: str | None = None) -> tuple[str, str]:
        """(subject, body) in ``language`` (the active one when None)."""
        self.check(params)
        with translation.override(language or translation.get_language()):
            shown = {name: self.renderers[name](value) if name in self.renderers else value for name, value in params.items()}
            subject = gettext(self.subject) % shown
            body = gettext(self.body) % shown if self.body else ""
        return subject, body


_REGISTRY: dict[str, Message] = {}
_discovered = False
_lock = threading.Lock()


def message(id: str, *, subject: str, body: str = "", params: Mapping[str, Renderer] | None = None) -> Message:
    """Declare a message (at import time of an app's ``notifications`` module).

    ``subject`` and ``body`` are msgids marked with ``gettext_noop``; a body that is only a
    text people wrote (``"%(reason)s"``) needs no mark. ``params`` names the renderer of
    each parameter that is not shown as it is."""
    if id in _REGISTRY and _REGISTRY[id].subject != subject:
        raise ValueError(f"Two notification messages are declared with the id {id!r}.")
    declared = _REGISTRY[id] = Message(id=id, subject=subject, body=body, renderers=dict(params or {}))
    return declared


def _discover() -> None:
    global _discovered
    if not _discovered:
        with _lock:
            if not _discovered:
                autodiscover_modules("notifications")
                _discovered = True


def message_get(id: str) -> Message:
    _discover()
    try:
        return _REGISTRY[id]
    except KeyError:
        raise UnknownMessage(f"No notification message is declared with the id {id!r}.") from None


def messages_all() -> dict[str, Message]:
    """Every declared message by id (for tests and documentation)."""
    _discover()
    return dict(_REGISTRY)


def one_line(text: str) -> str:
    """A subject on one line (an e-mail header holds no line break), keeping the no-break
    spaces of amounts."""
    return re.sub(r"[\r\n]+\s*", " ", text).strip()


# --- parameter renderers ---------------------------------------------------------------------


def amount(value: Any) -> str:
    """An amount of đồng in the reader's format."""
    return format_vnd(int(value))


def date(value: Any) -> str:
    """A date (stored as ISO text) as ``22/11/2026``."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return format_date(value)


def choice(model: Any, field_name: str) -> Renderer:
    """A renderer showing a stored choice by its label in the reader's language."""

    def render(value: Any) -> str:
        labels = dict(model._meta.get_field(field_name).flatchoices)
        return str(labels.get(value, value))

    return render


def row_id(value: Any) -> Any:
    """A stored id as the database gives it back (JSON may hold "12" as well as 12)."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


# load function → (the keys read, {key: row}), for the notifications being rendered (`preloaded`)
_PRELOADED: contextvars.ContextVar[dict[Callable, tuple[set[Any], Mapping[Any, Any]]] | None] = contextvars.ContextVar(
    "preloaded_rows", default=None)


@dataclass(frozen=True)
class Lookup:
    """The renderer of a parameter that names a row.

    ``load(keys)`` reads the rows of many keys at once ({key: row}; a key without a row is
    left out); ``show(row, value)`` writes one in the reader's language; ``missing(value)``
    stands for a row that is gone; ``key(value)`` is the row's key in the stored value. Two
    lookups with the same ``load`` (an event's title and its dates) share its one read.
    """

    load: Callable[[set[Any]], Mapping[Any, Any]]
    show: Callable[[Any, Any], str]
    missing: Callable[[Any], str] = lambda value: "—"
    key: Callable[[Any], Any] = row_id

    def __call__(self, value: Any) -> str:
        key = self.key(value)
        keys, rows = (_PRELOADED.get() or {}).get(self.load, (set(), {}))
        if key not in keys:
            rows = self.load({key})
        row = rows.get(key)
        return self.show(row, value) if row is not None else self.missing(value)


@contextlib.contextmanager
def preloaded(notifications: Iterable[Any]) -> Iterator[None]:
    """Render these notifications with each `Lookup`'s rows read once for all of them."""
    wanted: dict[Callable, set[Any]] = defaultdict(set)
    for notification in notifications:
        try:
            declared = message_get(notification.message) if notification.message else None
        except UnknownMessage:
            continue
        for name, renderer in (declared.renderers.items() if declared else ()):
            if isinstance(renderer, Lookup) and notification.params.get(name) not in (None, ""):
                wanted[renderer.load].add(renderer.key(notification.params[name]))
    token = _PRELOADED.set({load: (keys, load(keys)) for load, keys in wanted.items()})
    try:
        yield
    finally:
        _PRELOADED.reset(token)


def translated(value: Any) -> str:
    """A msgid given as a parameter, translated for the reader."""
    return gettext(str(value)) if value else ""
