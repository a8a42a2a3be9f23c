"""Forms of the directory's pages. They only parse input; services validate and decide."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from innohub.core.forms import DatePickerInput
from innohub.core.i18n import current_language
from innohub.directory.models import Organisation, Position, Relation, Sector
from innohub.directory.services import EDITABLE_FIELDS, clean_tax_code, tax_code_problem
from innohub.places.models import Commune, Province

APPLICANT_FIELDS = tuple(f for f in EDITABLE_FIELDS if f not in ("kind", "helix"))


class SectorChoiceField(forms.ModelMultipleChoiceField):
    """Sectors named in the page's language (the English name on /en/ when it has one)."""

    def label_from_instance(self, obj: Sector) -> str:
        return obj.display_name(current_language())


class OrganisationForm(forms.ModelForm):
    sectors = SectorChoiceField(
        label=_("Sectors"), queryset=Sector.objects.order_by("name"), to_field_name="code",
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https", max_length=200)
    logo_upload = forms.FileField(label=_("Logo (PNG, JPEG or WebP, at most 1 MB)"), required=False)

    class Meta:
        model = Organisation
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "founded_on": DatePickerInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5, "lang": "en"}),
        }

    def __init__(self, *args, applicant: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if applicant:
            for name in ("kind", "helix"):
                self.fields.pop(name, None)
        if current_language() == "en":
            cast(SectorChoiceField, self.fields["sectors"]).queryset = Sector.objects.order_by("name_en", "name")
        if self.instance.pk:
            self.fields["sectors"].initial = list(self.instance.sectors.values_list("code", flat=True))
        self.fields["stage"].help_text = _("Startups only.")
        self.fields["tax_code"].help_text = _("10 digits, or 10 digits-3 digits for a branch.")
        self.fields["country"].help_text = _("Two-letter code: VN, AU, SG…")
        # The communes of the home province (HCMC: 168) and the organisation's own; a province
        # elsewhere is kept without a commune rather than a list of 3,321.
        home = getattr(settings, "PLACES_HOME_PROVINCE", "79")
        communes = Commune.objects.filter(province__code=home)
        if self.instance.pk and self.instance.commune_id:
            communes = communes | Commune.objects.filter(code=self.instance.commune_id)
        commune_field = cast(forms.ModelChoiceField, self.fields["commune"])
        commune_field.queryset = communes.order_by("name")
        commune_field.help_text = _("Since 1 July 2025: phường, xã or đặc khu.")
        cast(forms.ModelChoiceField, self.fields["province"]).queryset = Province.objects.order_by("name")

    def clean_tax_code(self) -> str:
        # The service's own rule, asked here too so that a bad tax code is reported in the
        # same round as the other fields' problems rather than only once they are right.
        tax_code = self.cleaned_data.get("tax_code") or ""
        problem = tax_code_problem(clean_tax_code(tax_code), instance=self.instance)
        if problem:
            raise forms.ValidationError(problem)
        return tax_code

    def _post_clean(self):
        # Validation belongs to the service (the same rules for pages, API and imports).
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name in EDITABLE_FIELDS}

    def sector_codes(self) -> list[str]:
        return [s.code for s in self.cleaned_data.get("sectors") or []]

    def add_service_errors(self, errors: dict) -> None:
        for name, messages in errors.items():
            for message in messages if isinstance(messages, list) else [messages]:
                self.add_error(name if name in self.fields else None, str(message))


class MessageForm(forms.Form):
    message = forms.CharField(label=_("Message to the department (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note to the applicant"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV (UTF-8) or XLSX file"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
    dry_run = forms.BooleanField(label=_("Only check the file, write nothing"), required=False, initial=True)


class PositionForm(forms.Form):
    honorific = forms.CharField(label=_("Honorific"), required=False, max_length=20, help_text=_("Ông, Bà, TS.…"))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of role"), choices=Position.Kind.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=160)
    title_en = forms.CharField(label=_("Title (English)"), required=False, max_length=160,
                               widget=forms.TextInput(attrs={"lang": "en"}))
    started_on = forms.DateField(label=_("From"), required=False, widget=DatePickerInput())


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of relation"), choices=Relation.Kind.choices)
    target = forms.CharField(label=_("Related organisation (its address name, e.g. sihub)"), max_length=120)
    started_on = forms.DateField(label=_("From"), required=False, widget=DatePickerInput())
    ended_on = forms.DateField(label=_("Until"), required=False, widget=DatePickerInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
