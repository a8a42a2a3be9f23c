"""Answers as a reader is shown them: each field's label and each section's title in the
reader's language (the Vietnamese when the label has no translation), a choice by its
label, a checkbox as yes or no, anything else as typed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from innohub.core.i18n import labelled


def field_label(field: dict[str, Any]) -> str:
    return labelled(field.get("label") or {}) or str(field.get("key", ""))


def section_title(section: dict[str, Any]) -> str:
    title = section.get("title") or {}
    return labelled(title) if isinstance(title, dict) else str(title)


def _choice_label(label: Any) -> str:
    return labelled(label) if isinstance(label, dict) else str(label)


def answer_text(field: dict[str, Any], value: Any) -> str:
    """An answer as a reader is shown it: a choice by its label, a checkbox as yes or no, else as typed."""
    text = "" if value is None else str(value)
    if field.get("kind") == "choice" and text:
        for code, label in field.get("choices", []):
            if code == text:
                return _choice_label(label)
        return text  # a code the form no longer offers: shown as stored rather than hidden
    if field.get("kind") == "checkbox" and text:
        return _("Yes") if text == "True" else _("No")
    return text


def answers_display(schema: dict[str, Any], answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The answers section by section: [{"title", "rows": [{"key", "label", "value"}]}], files left out
    (their owner lists the stored files)."""
    out = []
    for section in (schema or {}).get("sections", []):
        rows = [
            {"key": f["key"], "label": field_label(f), "value": answer_text(f, answers.get(f["key"], ""))}
            for f in section.get("fields", []) if f.get("kind") != "file"
        ]
        out.append({"title": section_title(section), "rows": rows})
    return out
