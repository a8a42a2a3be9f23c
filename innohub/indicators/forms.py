"""Forms of the staff pages: a file to import, the years of a run or of the platform's indicators,
the Monte Carlo runs."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("Columns: unit (code or name), indicator (code), year, value, and an optional note."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ComputeForm(forms.Form):
    """The years to compute the platform's indicators for; ``RunForm`` adds the Monte Carlo runs."""

    year_from = forms.IntegerField(label=_("From year"), min_value=1990, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), min_value=1990, max_value=2100)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            self.add_error("year_to", _("The last year must not be before the first year (%(year)d).") % {"year": year_from})
        return cleaned


class RunForm(ComputeForm):
    monte_carlo_runs = forms.IntegerField(
        label=_("Monte Carlo runs (0: none)"), min_value=0, max_value=20_000, required=False, initial=500
    )

    def clean_monte_carlo_runs(self) -> int:
        runs = self.cleaned_data.get("monte_carlo_runs") or 0
        if 0 < runs < 10:
            raise forms.ValidationError(_("Give 0 for no analysis, or between 10 and 20,000 runs."))
        return runs


class UncertaintyForm(forms.Form):
    runs = forms.IntegerField(label=_("Monte Carlo runs"), min_value=10, max_value=20_000, initial=500)


class SpecForm(forms.Form):
    spec = forms.CharField(
        label=_("Pipeline spec (JSON)"), widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=_("Steps in order: denominate, impute, screen, treat, normalise, aggregate, each with its method."),
    )
    uncertainty = forms.CharField(
        label=_("Monte Carlo set-up (JSON)"), widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        required=False,
    )

    def _json(self, name: str) -> Any:
        text = self.cleaned_data.get(name) or ""
        if not text.strip():
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc}) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Give a JSON object ({...})."))
        return value

    def clean_spec(self) -> Any:
        value = self._json("spec")
        if value is None:
            raise forms.ValidationError(_("The spec is required."))
        return value

    def clean_uncertainty(self) -> Any:
        return self._json("uncertainty")
