"""Forms of the programmes pages. The application form is built from its versioned definition."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from innohub.core.forms import DatePickerInput
from innohub.forms import SchemaForm
from innohub.programs.models import Call, Stage

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
