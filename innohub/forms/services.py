"""Writing a form's schema: every save is a NEW version (answers keep the version they used, so
no version is ever changed), refused whole with every problem of the schema listed, and audited."""

from __future__ import annotations

import json
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from innohub.activity.services import event_record
from innohub.core.errors import ApplicationError
from innohub.forms.kinds import FormKind
from innohub.forms.schema import schema_problems


def schema_parse(text: str) -> tuple[Any, list[str]]:
    """The schema typed as JSON text, and its problems (the JSON's own error, or the engine's)."""
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [_("The schema is not valid JSON (line %(line)s, column %(column)s): check the quotes, commas and brackets there.")
                      % {"line": exc.lineno, "column": exc.colno}]
    return schema, schema_problems(schema)


def _state(version: models.Model) -> dict[str, Any]:
    return {"code": version.code, "version": version.version, "title": version.title, "schema": version.schema}  # type: ignore[attr-defined]


@transaction.atomic
def form_version_write(*, kind: FormKind, code: str, title: str, schema_text: str, actor: Any,
                       base: models.Model | None = None) -> models.Model:
    """A new version of the form ``code`` (version 1 of a new code) with that title and schema.

    ``base`` is the version it was written from (kept unchanged, recorded as "before"). Raises
    ApplicationError with every problem in ``extra["schema"]`` and saves nothing when the schema
    has any, or when a new form's code is already taken."""
    model = kind.model_class()
    schema, problems = schema_parse(schema_text)
    title = title.strip()
    extra: dict[str, Any] = {}
    if problems:
        extra["schema"] = problems
    if not title:
        extra["title"] = [_("Give the form a title.")]
    # the rows of this code, locked, so two officers saving at once get versions n+1 and n+2
    latest = model.objects.select_for_update().filter(code=code).order_by("-version").first()  # type: ignore[attr-defined]
    if base is None and latest is not None:
        extra["code"] = [_("A form with the code “%(code)s” exists: open it and write a new version.") % {"code": code}]
    if extra:
        raise ApplicationError(_("The form is not saved: correct what is listed."), extra=extra)
    version = model.objects.create(code=code, version=(latest.version + 1) if latest else 1, title=title, schema=schema)  # type: ignore[attr-defined]
    event_record(actor=actor, action="form.version_written", target=version,
                 before=_state(base) if base is not None else None, after={"kind": kind.code, **_state(version)})
    return version
