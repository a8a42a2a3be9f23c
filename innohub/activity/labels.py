"""What the audit log shows a reader for what it stores.

Events keep their action as a stable code (`organisation.claimed`) and their object as a
content type; the pages show a translated label for each. An action nobody has named
yet reads as its code, so a new service's events are never hidden, only untranslated.
Each app labels the actions it records in its AppConfig's `action_labels`
(`innohub.core.registry`), workflow steps included (`application.submit`,
`question.publish`): their events are written as `<entity>.<step code>`.

An object's label is stored as text, in Vietnamese, as it read when the event was
written. An amount of đồng in it ("55.000.000 ₫", or "55,000,000 ₫" as awards once
wrote it) is shown in the reader's money format ("55,000,000 VND" on English pages).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.contrib.contenttypes.models import ContentType
from django.utils.functional import Promise
from django.utils.text import capfirst

from innohub.core.money import format_vnd
from innohub.core.registry import LazyActionLabels

# Each app names the actions it records in its AppConfig's `action_labels`.
ACTION_LABELS: Mapping[str, str | Promise] = LazyActionLabels()


def action_label(code: str) -> str:
    """The reader's label for an action code, or the code itself when it has none."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def target_type_label(content_type: ContentType | None) -> str:
    """The kind of object in the reader's language ("Tổ chức"), from the model's
    verbose_name; the stored `app.model` when the model no longer exists."""
    if content_type is None:
        return ""
    model = content_type.model_class()
    if model is None:
        return f"{content_type.app_label}.{content_type.model}"
    return capfirst(str(model._meta.verbose_name))


# Digits grouped by thousands with one kind of separator, or plain digits, before a ₫ sign.
_AMOUNT_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:([.,])\d{3})(?:\2\d{3})*|\d+)[ \u00a0]?₫")


def amounts_in_reader_format(text: str) -> str:
    """Every amount of đồng in a stored label, in the active language's money format."""
    if "₫" not in text:
        return text
    return _AMOUNT_RE.sub(lambda m: format_vnd(int(re.sub(r"[.,]", "", m.group(1)))), text)
