"""The Django form built from a schema: one form field per answer field (file fields apart:
their owner uploads each file on its own), grouped by section for the page, with the
site's widgets (the browser's date picker, a digits keypad for numbers and amounts)."""

from __future__ import annotations

from typing import Any

from django import forms

from innohub.core.forms import DatePickerInput
from innohub.core.i18n import labelled
from innohub.forms.display import field_label, section_title
from innohub.forms.schema import DEFAULT_MAX_LENGTH


def widget_for(kind: str) -> forms.Widget:
    return {
        "textarea": forms.Textarea(attrs={"rows": 5}),
        "date": DatePickerInput(),
        "number": forms.TextInput(attrs={"inputmode": "numeric"}),
        "money": forms.TextInput(attrs={"inputmode": "numeric"}),
        "email": forms.EmailInput(),
        "url": forms.URLInput(),
    }.get(kind, forms.TextInput())


def form_field(field: dict[str, Any], *, enforce_required: bool) -> forms.Field:
    """The Django field of one schema field. Without ``enforce_required`` a required field is
    only marked (aria-required, the page's star): a draft is saved as typed."""
    label = field_label(field)
    help_text = labelled(field["help"]) if isinstance(field.get("help"), dict) else ""
    required = bool(field.get("required")) and enforce_required
    kind = field.get("kind", "text")
    result: forms.Field
    if kind == "choice":
        choices = [("", "—")] + [(c[0], labelled(c[1]) if isinstance(c[1], dict) else c[1]) for c in field.get("choices", [])]
        result = forms.ChoiceField(label=label, choices=choices, required=required, help_text=help_text)
    elif kind == "checkbox":
        result = forms.BooleanField(label=label, required=required, help_text=help_text)
    else:
        result = forms.CharField(label=label, required=required, help_text=help_text, widget=widget_for(kind),
                                 max_length=field.get("max_length") or DEFAULT_MAX_LENGTH)
    if field.get("required"):
        result.widget.attrs["aria-required"] = "true"
    return result


class SchemaForm(forms.Form):
    """A form whose answer fields come from ``schema`` (named ``<prefix><key>``), after the
    fields the subclass declares. ``sections`` lists each section's title and bound fields;
    ``answers()`` gives the cleaned answers by key, ready for `answers_merge`."""

    prefix_answers = "answer_"

    def __init__(self, *args: Any, schema: dict[str, Any], enforce_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections: list[dict[str, Any]] = []
        for section in (schema or {}).get("sections", []):
            names = []
            for field in section.get("fields", []):
                if field.get("kind") == "file":
                    continue
                name = f"{self.prefix_answers}{field['key']}"
                self.fields[name] = form_field(field, enforce_required=enforce_required)
                names.append(name)
            self.sections.append({"title": section_title(section), "fields": [self[n] for n in names]})

    def answers(self) -> dict[str, Any]:
        return {name.removeprefix(self.prefix_answers): value for name, value in self.cleaned_data.items()
                if name.startswith(self.prefix_answers)}

    def answer_field_name(self, key: str) -> str | None:
        """The form field of an answer key, when the form has one (to place a service's error)."""
        name = f"{self.prefix_answers}{key}"
        return name if name in self.fields else None
