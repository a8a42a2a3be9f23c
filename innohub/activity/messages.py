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
(a workflow state's label, say). An unknown id, or parameters missing for the texts, raise
at once: a notification that cannot be written in every language is a programming error.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Mapping
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


def translated(value: Any) -> str:
    """A msgid given as a parameter, translated for the reader."""
    return gettext(str(value)) if value else ""
