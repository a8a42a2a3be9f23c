"""The forms engine: a form kept as data, for any model that needs one.

A schema is a versioned, bilingual description of sections and fields (its owner — a
call's `programs.FormDefinition`, later an event's registration or a task's proposal —
stores it as JSON with a code and a version). The engine validates a schema (every problem
at once, in the reader's language: the admin refuses a broken one), builds the Django form
from it, cleans the answers a form or an API gives and merges them into the stored JSON,
checks the files its file fields name, tells which required answers are missing, and shows
answers as a reader reads them (labels in their language, the Vietnamese when a label has
no translation, through `core.i18n.labelled`). It takes a schema and a dict of answers,
never a model: storing the answers and the files is the owner's business.

    schema = {"sections": [{"key", "title": {"vi", "en"}, "fields": [{"key", "kind",
      "label": {"vi", "en"}, "help": {"vi", "en"}, "required", "choices": [[value, {"vi", "en"}]],
      "max_length": 10000, "accept": [".pdf"], "max_size_mb": 10}]}]}

The engine is also an app (`innohub.forms`, its editor in the back office): its names below are
imported on first use, so that loading the app imports no model before the app registry is ready.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from innohub.forms.answers import answers_merge, answers_missing, upload_check
    from innohub.forms.display import answer_text, answers_display, field_label, section_title
    from innohub.forms.django_form import SchemaForm
    from innohub.forms.schema import (
        ALLOWED_UPLOADS,
        DEFAULT_MAX_LENGTH,
        DEFAULT_MAX_UPLOAD_MB,
        FIELD_KIND_HELP,
        FIELD_KINDS,
        file_field,
        schema_fields,
        schema_problems,
    )

_WHERE = {
    "ALLOWED_UPLOADS": "innohub.forms.schema",
    "DEFAULT_MAX_LENGTH": "innohub.forms.schema",
    "DEFAULT_MAX_UPLOAD_MB": "innohub.forms.schema",
    "FIELD_KINDS": "innohub.forms.schema",
    "FIELD_KIND_HELP": "innohub.forms.schema",
    "SchemaForm": "innohub.forms.django_form",
    "answer_text": "innohub.forms.display",
    "answers_display": "innohub.forms.display",
    "answers_merge": "innohub.forms.answers",
    "answers_missing": "innohub.forms.answers",
    "field_label": "innohub.forms.display",
    "file_field": "innohub.forms.schema",
    "schema_fields": "innohub.forms.schema",
    "schema_problems": "innohub.forms.schema",
    "section_title": "innohub.forms.display",
    "upload_check": "innohub.forms.answers",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ALLOWED_UPLOADS",
    "DEFAULT_MAX_LENGTH",
    "DEFAULT_MAX_UPLOAD_MB",
    "FIELD_KINDS",
    "FIELD_KIND_HELP",
    "SchemaForm",
    "answer_text",
    "answers_display",
    "answers_merge",
    "answers_missing",
    "field_label",
    "file_field",
    "schema_fields",
    "schema_problems",
    "section_title",
    "upload_check",
]
