"""Answers as stored data: cleaning what a form or the API gives and merging it into the
stored JSON (a draft keeps what was typed, so only each answer's shape is checked), the
required answers still missing, and the check of an uploaded file against the file field
that names it (type by extension and by content, size)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from innohub.core.errors import ApplicationError
from innohub.core.money import parse_vnd
from innohub.core.uploads import content_matches, extension_of
from innohub.forms.schema import (
    DEFAULT_MAX_LENGTH,
    DEFAULT_MAX_UPLOAD_MB,
    schema_fields,
)


def answers_merge(*, schema: dict[str, Any], stored: dict[str, Any], given: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """The stored answers with the given ones written over them, and the problems by key.

    Keys the schema does not have and file fields are ignored; an answer with a problem is
    not written (the others are). Every answer is kept as text; one longer than the field's
    limit is a problem, never cut (a cut answer would be submitted half-said).
    """
    fields = {f["key"]: f for f in schema_fields(schema) if f.get("kind") != "file"}
    merged = dict(stored or {})
    errors: dict[str, str] = {}
    for key, value in (given or {}).items():
        field = fields.get(key)
        if field is None:
            continue
        text = "" if value is None else str(value)
        limit = field.get("max_length") or DEFAULT_MAX_LENGTH
        if len(text) > limit:
            errors[key] = _("At most %(limit)s characters (this answer has %(count)s).") % {
                "limit": f"{limit:,}".replace(",", "."), "count": f"{len(text):,}".replace(",", ".")}
            continue
        if field.get("kind") in ("number", "money") and text.strip():
            try:
                parse_vnd(text)
            except ValueError:
                errors[key] = _("Enter a whole number.")
                continue
        if field.get("kind") == "choice" and text and text not in {c[0] for c in field.get("choices", [])}:
            errors[key] = _("Choose one of the options.")
            continue
        merged[key] = text
    return merged, errors


def answers_missing(*, schema: dict[str, Any], answers: dict[str, Any], files: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """The required fields without an answer (a file field: without a stored file of its key;
    an unticked checkbox counts as missing)."""
    missing = []
    for field in schema_fields(schema):
        if not field.get("required"):
            continue
        key = field["key"]
        present = key in files if field.get("kind") == "file" else str((answers or {}).get(key, "")).strip() not in ("", "False")
        if not present:
            missing.append(field)
    return missing


def upload_check(*, field: dict[str, Any], upload: Any) -> None:
    """Refuse a file its field does not accept (by extension and content) or of the wrong size.

    Raises `ApplicationError` with the reason, and ``extra`` {field key: "type" | "size"}.
    """
    key = field["key"]
    name = upload.name or "file"
    extension = extension_of(name)
    accept = [a.lower() for a in field.get("accept") or [".pdf"]]
    if extension not in accept or not content_matches(upload, extension):
        raise ApplicationError(_("This kind of file is not accepted here. Accepted: %(types)s.") % {"types": ", ".join(accept)},
                               extra={key: "type"})
    max_mb = field.get("max_size_mb") or DEFAULT_MAX_UPLOAD_MB
    if upload.size > max_mb * 1024 * 1024:
        raise ApplicationError(_("The file is larger than %(mb)s MB.") % {"mb": max_mb}, extra={key: "size"})
    if upload.size == 0:
        raise ApplicationError(_("The file is empty."), extra={key: "size"})
