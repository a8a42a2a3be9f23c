"""The shape of a form schema and its validation: which kinds of field exist, which files
may be uploaded, and every problem of a schema listed at once with a clear message (the
admin refuses a schema with any, so a broken form never reaches an applicant)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innohub.core.uploads import SIGNATURES

FIELD_KINDS = frozenset({"text", "textarea", "number", "money", "date", "email", "url", "choice", "checkbox", "file"})
# the extensions a file field may accept: those whose content the platform can check
ALLOWED_UPLOADS = tuple(SIGNATURES)
DEFAULT_MAX_UPLOAD_MB = 10
DEFAULT_MAX_LENGTH = 10_000

# what each kind asks, for the people who write schemas (the forms editor shows it beside the schema)
FIELD_KIND_HELP = {
    "text": gettext_lazy("One line of text; \"max_length\" limits it (10000 characters by default)."),
    "textarea": gettext_lazy("Several lines of text; \"max_length\" limits it."),
    "number": gettext_lazy("A number, typed on a digits keypad."),
    "money": gettext_lazy("An amount in đồng, typed on a digits keypad."),
    "date": gettext_lazy("A date, chosen in the browser's date picker."),
    "email": gettext_lazy("An e-mail address."),
    "url": gettext_lazy("A web address."),
    "choice": gettext_lazy("One of a list: \"choices\" is a list of [code, {\"vi\": …, \"en\": …}] pairs, each code once."),
    "checkbox": gettext_lazy("A box to tick (yes or no)."),
    "file": gettext_lazy("A file uploaded on its own: \"accept\" lists the file types, \"max_size_mb\" the largest size."),
}


def schema_fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every field of every section, in order."""
    return [f for s in (schema or {}).get("sections", []) for f in s.get("fields", [])]


def file_field(schema: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The file field of that key, or None (also when the key names a field of another kind)."""
    return next((f for f in schema_fields(schema) if f.get("key") == key and f.get("kind") == "file"), None)


def _has_vietnamese(label: Any) -> bool:
    return isinstance(label, dict) and bool(label.get("vi"))


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _field_problems(field: dict[str, Any], key: str) -> list[str]:
    problems = []
    kind = field.get("kind")
    if kind not in FIELD_KINDS:
        problems.append(_("%(key)s: unknown kind “%(kind)s”.") % {"key": key, "kind": kind})
    if kind == "choice":
        choices = field.get("choices")
        if not choices:
            problems.append(_("%(key)s: a choice field needs choices.") % {"key": key})
        elif not isinstance(choices, list) or not all(
            isinstance(c, list | tuple) and len(c) == 2 and isinstance(c[0], str) and c[0] and (_has_vietnamese(c[1]) or (isinstance(c[1], str) and c[1]))
            for c in choices
        ):
            problems.append(_("%(key)s: each choice must be a pair of a code and a label with its Vietnamese text.") % {"key": key})
        elif len({c[0] for c in choices}) != len(choices):
            problems.append(_("%(key)s: two choices have the same code.") % {"key": key})
    if not _has_vietnamese(field.get("label")):
        problems.append(_("%(key)s: a Vietnamese label is required.") % {"key": key})
    if "help" in field and not isinstance(field["help"], dict):
        problems.append(_("%(key)s: the help text must be given as {\"vi\": …, \"en\": …}.") % {"key": key})
    if "max_length" in field and not (_positive(field["max_length"]) and isinstance(field["max_length"], int)):
        problems.append(_("%(key)s: the longest answer must be a whole number above zero.") % {"key": key})
    if kind == "file":
        accept = field.get("accept")
        if accept is not None:
            unknown = [a for a in accept if str(a).lower() not in ALLOWED_UPLOADS] if isinstance(accept, list) else [accept]
            if unknown:
                problems.append(_("%(key)s: files of type %(types)s cannot be accepted (allowed: %(allowed)s).") % {
                    "key": key, "types": ", ".join(map(str, unknown)), "allowed": ", ".join(ALLOWED_UPLOADS)})
        if "max_size_mb" in field and not _positive(field["max_size_mb"]):
            problems.append(_("%(key)s: the largest file size must be a number of MB above zero.") % {"key": key})
    return problems


def schema_problems(schema: Any) -> list[str]:
    """Every problem of a schema, each as a sentence naming the field (empty: valid).

    Unknown kinds, keys missing or used twice, choices missing or malformed, labels without
    their Vietnamese text, limits that are not positive numbers, file types the site never
    accepts, a section title without its Vietnamese text.
    """
    if not isinstance(schema, dict) or not isinstance(schema.get("sections"), list):
        return [_("The schema must be an object with a list of sections.")]
    problems: list[str] = []
    seen: set[str] = set()
    for number, section in enumerate(schema["sections"], start=1):
        if not isinstance(section, dict) or not isinstance(section.get("fields", []), list):
            problems.append(_("Section %(n)s must be an object with a list of fields.") % {"n": number})
            continue
        if "title" in section and not _has_vietnamese(section["title"]):
            problems.append(_("Section %(n)s: its title needs the Vietnamese text.") % {"n": number})
        for field in section.get("fields", []):
            if not isinstance(field, dict):
                problems.append(_("Section %(n)s: a field must be an object.") % {"n": number})
                continue
            key = field.get("key")
            if not key:
                problems.append(_("A field has no key."))
            elif key in seen:
                problems.append(_("The key “%(key)s” is used twice.") % {"key": key})
            else:
                seen.add(key)
            problems += _field_problems(field, str(key or "?"))
    return problems
