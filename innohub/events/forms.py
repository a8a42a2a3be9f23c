"""The events' page forms: registration (the attendee's fields, then the event's own form
from the forms engine), a delegation's members, the staff's event form, reasons, walk-ins."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innohub.core.i18n import current_language
from innohub.core.personal_data import consent_field
from innohub.directory.models import Organisation
from innohub.directory.pickers import OrganisationsPickerField, PeoplePickerField
from innohub.events.models import Event, Registration
from innohub.forms import SchemaForm
from innohub.forms.kinds import editor_link_help

FIRST_COUNTRIES = ("VN", "KR", "JP", "SG", "FR", "DE", "US", "AU", "NL", "FI", "IL", "TH", "CN", "TW", "IN")
DELEGATION_ROWS = 6


@lru_cache(maxsize=4)
def _countries(language: str) -> list[tuple[str, str]]:
    names: dict[str, str] = {str(k): str(v) for k, v in Locale.parse(language).territories.items()}
    codes = sorted((c for c in names if len(c) == 2 and c.isalpha() and c not in ("ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK")),
                   key=lambda c: names[c])
    first = [c for c in FIRST_COUNTRIES if c in names]
    return [(c, names[c]) for c in first] + [("", "──────────")] + [(c, names[c]) for c in codes if c not in first]


def country_choices() -> list[tuple[str, str]]:
    return _countries(current_language())


def country_name(code: str) -> str:
    return dict(country_choices()).get(code, code)


class AttendeeFieldsMixin(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-mail"), max_length=254, help_text=_("Your confirmation and QR code are sent here."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    organisation_name = forms.CharField(label=_("Organisation"), max_length=255, required=False,
                                        widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    participant_kind = forms.ChoiceField(label=_("You come as"), choices=Registration.ParticipantKind.choices,
                                         initial=Registration.ParticipantKind.INDIVIDUAL)
    country = forms.ChoiceField(label=_("Country"), initial="VN")
    consent_public = forms.BooleanField(label=_("Show my name and organisation on the event's public list of participants"), required=False)
    website = forms.CharField(label=_("Leave this empty"), required=False)  # honeypot

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


class RegistrationForm(AttendeeFieldsMixin, SchemaForm):
    """The attendee's fields, then the event's registration form (forms engine, required enforced)."""

    consent = consent_field("events.register")

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        schema = event.registration_form.schema if event.registration_form else {"sections": []}
        super().__init__(*args, schema=schema, enforce_required=True, **kwargs)


class DelegationForm(SchemaForm):
    """Who registers the delegation (the contact), then each member named with an e-mail."""

    contact_name = forms.CharField(label=_("Your full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_email = forms.EmailField(label=_("Your e-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                                     help_text=_("A copy of every confirmation is not sent to you; each member receives their own."))
    organisation_name = forms.CharField(label=_("Organisation"), max_length=255, widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    participant_kind = forms.ChoiceField(label=_("The delegation comes as"), choices=Registration.ParticipantKind.choices)
    country = forms.ChoiceField(label=_("Country"), initial="VN")
    consent_public = forms.BooleanField(label=_("Show the members' names and organisation on the public list of participants"), required=False)
    website = forms.CharField(label=_("Leave this empty"), required=False)
    consent = consent_field("events.register_group")

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        schema = event.registration_form.schema if event.registration_form else {"sections": []}
        super().__init__(*args, schema=schema, enforce_required=True, **kwargs)
        self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        for i in range(DELEGATION_ROWS):
            self.fields[f"member_{i}_name"] = forms.CharField(label=_("Member %(n)s: full name") % {"n": i + 1}, max_length=200, required=False)
            self.fields[f"member_{i}_email"] = forms.EmailField(label=_("Member %(n)s: e-mail") % {"n": i + 1}, max_length=254, required=False)

    def member_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"member_{i}_name"], self[f"member_{i}_email"]) for i in range(DELEGATION_ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        members = []
        for i in range(DELEGATION_ROWS):
            name, email = (data.get(f"member_{i}_name") or "").strip(), (data.get(f"member_{i}_email") or "").strip()
            if name and not email and f"member_{i}_email" not in self.errors:
                self.add_error(f"member_{i}_email", _("Give this member's e-mail: their QR code is sent there."))
            elif email and not name:
                self.add_error(f"member_{i}_name", _("Give this member's full name."))
            elif name and email:
                members.append((name, email))
        if not members and not self.errors:
            self.add_error("member_0_name", _("Name at least one member of the delegation."))
        data["members"] = members
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class EventForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    organisers = OrganisationsPickerField(label=_("Organisers"), required=False)
    partners = OrganisationsPickerField(label=_("Partners"), required=False)
    speakers = PeoplePickerField(label=_("Speakers"), required=False)

    class Meta:
        model = Event
        fields = [
            "kind", "series", "title", "title_en", "description", "description_en", "starts_at", "ends_at", "mode", "place",
            "address", "online_url", "language", "capacity", "moderated", "registration_form", "feedback_form",
            "issues_certificates", "required_share", "organisers", "partners", "speakers", "sectors",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "description_en": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("registration_form", "feedback_form"):
            self.fields[name].help_text = editor_link_help("event")
        if self.instance.pk:
            # an organiser archived or merged since stays chosen (and the event savable) until removed
            for name in ("organisers", "partners"):
                field = self.fields[name]
                kept = list(getattr(self.instance, name).values_list("pk", flat=True))
                field.queryset = field.queryset | Organisation.objects.filter(pk__in=kept)  # type: ignore[attr-defined]
        for name in ("starts_at", "ends_at"):
            if self.instance.pk and getattr(self.instance, name):
                self.initial[name] = timezone.localtime(getattr(self.instance, name)).strftime("%Y-%m-%dT%H:%M")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        return data


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title (Vietnamese)"), max_length=255)
    title_en = forms.CharField(label=_("Title (English)"), max_length=255, required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    speaker = forms.CharField(label=_("Speaker"), max_length=255, required=False)


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=255, required=False)
    participant_kind = forms.ChoiceField(label=_("Comes as"), choices=Registration.ParticipantKind.choices, initial=Registration.ParticipantKind.INDIVIDUAL)
    country = forms.ChoiceField(label=_("Country"), initial="VN")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=40, help_text=_("As printed on the certificate, e.g. SKHCN-2026-ABCD2345."))


class RegistrationSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, e-mail or organisation"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from innohub.events.workflows import state_choices

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All")), *state_choices()]  # type: ignore[attr-defined]
