"""The person's request form and the administrators' forms to carry out or refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innohub.privacy.models import DataRequest


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=DataRequest.Kind.choices, widget=forms.RadioSelect)
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                             help_text=_("The address your data is kept under. Without an account using it, we send a link there to confirm the request is yours."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    name = forms.CharField(label=_("Your name"), max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    details = forms.CharField(label=_("Details"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("For a correction: what is wrong and what it should be."))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["email"].initial = user.email
            self.fields["name"].initial = user.display_name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == DataRequest.Kind.CORRECTION and not (data.get("details") or "").strip():
            self.add_error("details", _("Say what should be corrected."))
        return data


class CarryOutForm(forms.Form):
    outcome = forms.CharField(label=_("What was done (the person is told)"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for refusing (the person is told)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
