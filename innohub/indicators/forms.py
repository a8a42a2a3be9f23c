"""Forms of the staff pages: a file to import, the years of a run, the Monte Carlo runs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("Columns: unit (code or name), indicator (code), year, value, and an optional note."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class RunForm(forms.Form):
    year_from = forms.IntegerField(label=_("From year"), min_value=1990, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), min_value=1990, max_value=2100)
    monte_carlo_runs = forms.IntegerField(
        label=_("Monte Carlo runs (0: none)"), min_value=0, max_value=20_000, required=False, initial=500
    )


class UncertaintyForm(forms.Form):
    runs = forms.IntegerField(label=_("Monte Carlo runs"), min_value=10, max_value=20_000, initial=500)
