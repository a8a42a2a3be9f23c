"""The audit log's filter form."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from innohub.core.forms import DatePickerInput


def _target_type_choices() -> list[tuple[str, object]]:
    types = ContentType.objects.filter(app_label__in=[
        "accounts", "activity", "directory", "programs", "qa", "indicators", "cooperation", "research",
    ]).order_by("app_label", "model")
    return [("", _("All kinds"))] + [(f"{t.app_label}.{t.model}", f"{t.app_label} · {t.name}") for t in types]


class EventFilterForm(forms.Form):
    action = forms.CharField(label=_("Action code starts with"), required=False, max_length=80)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    target_type = forms.ChoiceField(label=_("Kind of object"), required=False)
    target_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=DatePickerInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DatePickerInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = _target_type_choices()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data
