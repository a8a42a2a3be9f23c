"""Forms of the programmes pages. The application form is built from its versioned definition."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innohub.core.forms import DatePickerInput
from innohub.forms import SchemaForm
from innohub.forms.kinds import editor_link_help
from innohub.programs.models import Call, FormDefinition, Programme, Rubric, Stage, Workflow

# grouped as the page's language writes amounts, as the boxes show them (40.000.000 in Vietnamese)
AMOUNT_HELP = _("For example 40,000,000 or 40 million.")


def form_error_rows(form: forms.Form, *, each_error: bool = False) -> list[dict[str, str]]:
    """A refused form's problems as error-summary rows (partials/error_summary.html): its own,
    then its fields', each linked to its field; a row a field, or with ``each_error`` a row an
    error (the application form's heading counts them)."""
    rows = [{"anchor": "", "label": "", "message": str(e)} for e in form.non_field_errors()]
    for field in form:
        messages = [str(error) for error in field.errors] if each_error else [" ".join(str(e) for e in field.errors)] if field.errors else []
        rows += [{"anchor": field.id_for_label, "label": str(field.label), "message": message} for message in messages]
    return rows


class ApplicationForm(SchemaForm):
    """Title and amount, then the fields of the application's form version (files apart).

    Nothing is required here: drafts are saved as typed; what is missing shows as an
    eligibility problem before submitting.
    """

    title = forms.CharField(label=_("Project title"), max_length=255, required=False)
    amount_requested = forms.CharField(
        label=_("Amount of support asked (VND)"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=AMOUNT_HELP,
    )

    def __init__(self, *args, definition, **kwargs):
        super().__init__(*args, schema=definition.schema, **kwargs)

    def error_summary(self) -> list[dict[str, str]]:
        """Every problem once, in the order of the form, with the id of the field it links to.

        (Django itself marks a field in error aria-invalid and points its aria-describedby at
        "<id>_helptext" and "<id>_error", the ids the page gives its help and its errors.)"""
        return form_error_rows(self, each_error=True)


class UploadForm(forms.Form):
    field_key = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("File"))


class TransitionForm(forms.Form):
    transition = forms.CharField(widget=forms.HiddenInput, max_length=40)
    message = forms.CharField(label=_("Message or reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.CharField(label=_("Amount awarded (VND)"), required=False, max_length=40)
    confirm = forms.BooleanField(required=False)  # ticked to confirm a step that cannot be undone


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Why you have a conflict of interest"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             error_messages={"required": _("Say briefly why you have a conflict of interest.")})  # the service's words


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=255)
    due_on = forms.DateField(label=_("Due on"), widget=DatePickerInput())
    amount = forms.CharField(label=_("Tranche paid when met (VND)"), max_length=40, help_text=AMOUNT_HELP,
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))  # digits keypad on phones


class MilestoneCheckForm(forms.Form):
    """The officer's check of one milestone: met or not met (the latter with a note, checked by the service)."""

    met = forms.ChoiceField(choices=[("1", _("Met")), ("0", _("Not met"))])
    note = forms.CharField(label=_("Note to the startup"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class MilestoneReportForm(forms.Form):
    report = forms.CharField(label=_("Your report"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)


class DisbursementForm(forms.Form):
    key = forms.CharField(label=_("Payment order number"), max_length=80)
    paid_on = forms.DateField(label=_("Paid on"), widget=DatePickerInput())
    reference = forms.CharField(label=_("Bank reference"), max_length=80, required=False)


class StaffFilterForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.none(), required=False, empty_label=_("All calls"))
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices])
    state = forms.ChoiceField(label=_("State"), required=False)
    q = forms.CharField(label=_("Reference, title or startup"), required=False, max_length=100)

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.select_related("programme").order_by("-opens_at")
        self.fields["state"].choices = [("", _("All states")), *states]


class DateTimePickerInput(forms.DateTimeInput):
    """A browser date-and-time picker; its value is ISO (2026-11-20T08:00), as the browser posts it."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class FormDefinitionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} (v{obj.version})"


class CallForm(forms.Form):
    """A call as an officer writes it (issue 27). The form only reads the values; the rules
    (dates in order, budget, programme) are `services.call_create` / `call_update`'s, whose
    problems come back under their fields."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none(), empty_label=None)
    title = forms.CharField(label=_("Title (Vietnamese)"), max_length=255)
    # in context: the directory's "Title (English)" is a person's job title, which Django found first
    title_en = forms.CharField(label=pgettext_lazy("a call's name", "Title (English)"), max_length=255, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)
    eligibility = forms.CharField(label=_("Eligibility criteria"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                  max_length=10_000, help_text=_("One criterion per line; the public page lists them."))
    required_documents = forms.CharField(label=_("Required documents"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                         max_length=10_000, help_text=_("One document per line; the public page lists them."))
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DateTimePickerInput())
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DateTimePickerInput())
    budget = forms.CharField(label=_("Total budget (VND)"), max_length=40, help_text=AMOUNT_HELP,
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    form = FormDefinitionChoice(label=_("Application form"), queryset=FormDefinition.objects.none(), empty_label=None)
    rubric = forms.ModelChoiceField(label=_("Rubric (scoring criteria)"), queryset=Rubric.objects.none(), empty_label=None)
    workflow = forms.ModelChoiceField(label=_("Workflow"), queryset=Workflow.objects.none(), empty_label=None)
    reviewers_per_application = forms.IntegerField(label=_("Reviewers per application"), min_value=1, max_value=10, initial=3)
    reviews_due_on = forms.DateField(label=_("Reviews due on"), required=False, widget=DatePickerInput(),
                                     help_text=_("Shown to reviewers with each review assigned to them."))
    # the ranking's floor: below it an application is never proposed for funding, whatever the budget left
    min_score = forms.DecimalField(
        label=_("Minimum score for funding (out of 100)"), initial=Decimal("70"), min_value=0, max_value=100, max_digits=5, decimal_places=2,
        help_text=_("Applications scoring below it are not proposed for funding, even with budget left. From 0 to 100."),
        error_messages={"required": _("Enter the minimum score, from 0 to 100."), "invalid": _("Enter the minimum score as a number from 0 to 100."),
                        "min_value": _("The minimum score is out of 100: enter a number from 0 to 100."),
                        "max_value": _("The minimum score is out of 100: enter a number from 0 to 100."),
                        "max_digits": _("Enter the minimum score as a number from 0 to 100."),
                        "max_whole_digits": _("Enter the minimum score as a number from 0 to 100."),
                        "max_decimal_places": _("The minimum score has at most two decimals, for example 69.5.")},
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )
    require_previous_stage = forms.BooleanField(label=_("The startup must have completed the previous stage"), required=False)
    require_verified_profile = forms.BooleanField(label=_("The startup's profile must be verified"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(active=True).order_by("order", "id")
        self.fields["form"].queryset = FormDefinition.objects.order_by("code", "-version")
        self.fields["form"].help_text = editor_link_help("application")
        self.fields["rubric"].queryset = Rubric.objects.order_by("name", "id")
        self.fields["workflow"].queryset = Workflow.objects.order_by("code", "-version")

    def clean_budget(self):
        from innohub.core.money import parse_vnd

        try:
            return parse_vnd(self.cleaned_data["budget"])
        except ValueError:
            raise forms.ValidationError(_("Enter the budget as a positive whole number of đồng, for example 1,200,000,000.")) from None

    @staticmethod
    def initial_for(call) -> dict:
        from django.utils import timezone

        from innohub.core.money import format_vnd

        initial = {name: getattr(call, name) for name in (
            "programme", "title", "title_en", "description", "eligibility", "required_documents", "form", "rubric", "workflow",
            "reviewers_per_application", "reviews_due_on", "require_previous_stage", "require_verified_profile", "min_score")}
        initial["opens_at"] = timezone.localtime(call.opens_at)
        initial["closes_at"] = timezone.localtime(call.closes_at)
        initial["budget"] = format_vnd(call.budget).rsplit("\u00a0", 1)[0]
        return initial


class DecisionForm(forms.Form):
    """The signed record of a decision or a contract, and what the step itself needs (the amount
    awarded, the reason), with the confirmation that it is final. Checked again by the service."""

    number = forms.CharField(label=_("Number of the signed document"), max_length=80,
                             help_text=_("For example 1234/QĐ-SKHCN or 15/2026/HĐ-SKHCN."))
    signed_on = forms.DateField(label=_("Signed on"), widget=DatePickerInput())
    signer = forms.CharField(label=_("Signed by (name and position)"), max_length=200)
    file = forms.FileField(label=_("Scan of the signed document (PDF or image, up to 20 MB)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
    amount = forms.CharField(label=_("Amount awarded (VND)"), max_length=40, required=False, help_text=AMOUNT_HELP,
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    message = forms.CharField(label=_("Reason (sent to the applicant)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=5000)
    confirm = forms.BooleanField(label=_("I confirm this decision: it is recorded as final and the applicant is told."),
                                 error_messages={"required": _("Tick the box to confirm; nothing was changed.")})

    def __init__(self, *args, needs_amount: bool, needs_reason: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_amount:
            self.fields["amount"].required = True
            self.fields["amount"].error_messages["required"] = _("Enter the amount awarded, as written on the signed decision.")
        else:
            del self.fields["amount"]
        if needs_reason:
            self.fields["message"].required = True
            self.fields["message"].error_messages["required"] = _("Give the reason; it is sent to the applicant.")
        else:
            del self.fields["message"]

    def record(self) -> dict:
        data = self.cleaned_data
        return {"number": data["number"], "signed_on": data["signed_on"], "signer": data["signer"], "file": data["file"]}


class DisbursementFilterForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.none(), required=False, empty_label=_("All calls"))
    state = forms.ChoiceField(label=_("State of the application"), required=False)
    date_from = forms.DateField(label=_("Paid from"), required=False, widget=DatePickerInput())
    date_to = forms.DateField(label=_("Paid until"), required=False, widget=DatePickerInput())

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.select_related("programme").order_by("-opens_at")
        self.fields["state"].choices = [("", _("All states")), *states]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data
