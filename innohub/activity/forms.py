"""The audit log's filter form.

The action is chosen by its label (the reader's language, sorted as read) and sent as its code;
the log keeps filtering on "starts with", so a code or a prefix typed in the URL
(``?action=award``) still works and shows as an option of its own.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from innohub.activity.labels import ACTION_LABELS, target_type_label
from innohub.core.forms import DatePickerInput
from innohub.core.text import search_key

AUDITED_APPS = ["accounts", "activity", "directory", "programs", "qa", "indicators", "cooperation", "research"]


def _target_type_label(content_type: ContentType) -> str:
    """'Danh bạ hệ sinh thái · Tổ chức': the app's name before the log's own label for the model."""
    if content_type.model_class() is None:
        return target_type_label(content_type)
    app_name = apps.get_app_config(content_type.app_label).verbose_name
    return f"{capfirst(str(app_name))} · {target_type_label(content_type)}"


def _target_type_choices() -> list[tuple[str, str]]:
    types = ContentType.objects.filter(app_label__in=AUDITED_APPS)
    labelled = [(f"{t.app_label}.{t.model}", _target_type_label(t)) for t in types]
    return [("", str(_("All kinds"))), *sorted(labelled, key=lambda choice: (search_key(choice[1]), choice[1]))]


def _action_choices(typed: str = "") -> list[tuple[str, str]]:
    labelled = sorted(((code, str(label)) for code, label in ACTION_LABELS.items()),
                      key=lambda choice: (search_key(choice[1]), choice[1]))
    extra = [(typed, typed)] if typed and typed not in ACTION_LABELS else []
    return [("", str(_("All actions"))), *extra, *labelled]


class EventFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=80, widget=forms.Select)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    target_type = forms.ChoiceField(label=_("Kind of object"), required=False)
    target_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=DatePickerInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DatePickerInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        typed = str(self.data.get("action", "")) if self.is_bound else ""
        self.fields["action"].widget.choices = _action_choices(typed)
        target_type = self.fields["target_type"]
        assert isinstance(target_type, forms.ChoiceField)
        target_type.choices = _target_type_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data
