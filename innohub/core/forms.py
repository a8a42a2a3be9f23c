"""Form pieces every app uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innohub.core.calendar import HOLIDAY_YEARS


class DatePickerInput(forms.DateInput):
    """A browser date picker. Its value is always ISO (2026-11-20), whatever the language's
    date format: a browser's date input discards a localised 20/11/2026, then shows, and
    posts, an empty field (a new version of a knowledge-base document lost its date so)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class HolidayYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=HOLIDAY_YEARS[0], max_value=HOLIDAY_YEARS[1])
