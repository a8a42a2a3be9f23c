"""The shared form pieces."""

import datetime as dt

from django import forms
from django.utils import translation

from innohub.core.forms import DatePickerInput


class _Dated(forms.Form):
    on = forms.DateField(widget=DatePickerInput())


def test_a_date_picker_holds_its_date_in_iso_in_every_language():
    # a browser's date input discards 20/11/2026 and shows, then posts, an empty field
    for language in ("vi", "en"):
        with translation.override(language):
            html = str(_Dated(initial={"on": dt.date(2026, 11, 20)})["on"])
        assert 'type="date"' in html and 'value="2026-11-20"' in html
