"""The page form of the forms editor: a new form's code, the title and the schema as JSON text.
It only reads what was typed; the schema's problems are the service's (`forms.services`)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class FormVersionForm(forms.Form):
    code = forms.SlugField(label=_("Form code"), max_length=60,
                           help_text=_("Letters without accents, digits and hyphens, e.g. seed-application. It never changes."))
    title = forms.CharField(label=_("Form title"), max_length=200)
    schema = forms.CharField(label=_("Schema (JSON)"), strip=False, max_length=200_000,
                             widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "forms-schema"}),
                             help_text=_("Sections and their fields, as described beside."))

    def __init__(self, *args: Any, new: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not new:
            del self.fields["code"]

    @staticmethod
    def initial_for(version: Any) -> dict[str, Any]:
        return {"title": version.title, "schema": json.dumps(version.schema, ensure_ascii=False, indent=2)}
