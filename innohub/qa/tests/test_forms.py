"""The Q&A forms as they render and what they accept."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from innohub.qa import forms

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("form_class", "field"), [(forms.DocumentForm, "issued_on"), (forms.StatsForm, "date_from"), (forms.StatsForm, "date_to")])
def test_a_date_picker_holds_its_date_in_iso_form(form_class, field, language):
    # a browser date picker shows nothing (and posts nothing) for a value like 20/11/2026
    with translation.override(language):
        html = str(form_class(initial={field: dt.date(2026, 11, 20)})[field])
    assert re.search(r'type="date"', html) and 'value="2026-11-20"' in html
    # what is typed the Vietnamese way, without a picker, is still understood
    with translation.override(language):
        bound = form_class(data={field: "20/11/2026", "title": "Quy định"})
        bound.is_valid()
    assert bound.cleaned_data[field] == dt.date(2026, 11, 20)
