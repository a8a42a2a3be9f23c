"""The kinds of form officers write in the back office's forms editor, declared by their owners.

A module whose model keeps form schemas (a code, a version, a title and a `schema` JSON field,
unique by code and version: `programs.FormDefinition`, `events.EventForm`) declares a `FormKind`
(`core.registry`, with `FormUse`: the AppConfigs import them before any model) in its AppConfig's `form_kinds`; the editor (`forms.views`) lists, shows and versions every
declared kind the same way, so a third module adds its forms without editing the editor.
`used_by` names the foreign keys that point at a version (what chose it, what answered it) to
show where each version is used.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from innohub.core import registry
from innohub.core.registry import FormKind, FormUse

__all__ = ["FormKind", "FormUse", "editor_link_help", "form_kind_get", "form_kinds"]


def form_kinds() -> tuple[FormKind, ...]:
    return tuple(sorted(registry.form_kinds(), key=lambda kind: kind.order))


def form_kind_get(code: str) -> FormKind:
    """The kind of that code, or 404 (it is read from an address)."""
    for kind in registry.form_kinds():
        if kind.code == code:
            return kind
    raise Http404(code)


def editor_link_help(kind_code: str) -> str:
    """The help under a form choice (a call's, an event's): where to write a new version."""
    url = f"{reverse('forms:list')}?kind={kind_code}"
    return format_html(_('Choose a version. To change a form, write a new version in the <a href="{url}">forms editor</a>.'), url=url)
