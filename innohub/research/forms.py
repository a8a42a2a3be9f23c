"""The forms of research and technology transfer's pages (shape only; the rules are in the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from innohub.accounts.models import User
from innohub.core.money import parse_vnd
from innohub.core.roles import BACKOFFICE_ROLES
from innohub.directory.models import Organisation
from innohub.directory.pickers import OrganisationPickerField
from innohub.research.models import (
    BudgetLine,
    ContractChange,
    Council,
    Interest,
    Output,
    Regime,
    Report,
    TaskPartner,
    TransferDeal,
)

DATE = forms.DateInput(attrs={"type": "date"})
TRL = [("", "—"), *[(str(n), str(n)) for n in range(1, 10)]]


class MoneyInput(forms.CharField):
    """An amount in đồng typed as people write it ("40.000.000", "40 triệu")."""

    def clean(self, value):  # type: ignore[override]
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            return parse_vnd(value)
        except ValueError as exc:
            raise forms.ValidationError(_("Write an amount in đồng, e.g. 40.000.000.")) from exc


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


class TaskFilterForm(SearchForm):
    regime = forms.ChoiceField(label=_("Legal regime"), required=False, choices=[("", _("All")), *Regime.choices])


class TaskProposeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=500)
    regime = forms.ChoiceField(label=_("Legal regime"), choices=Regime.choices)
    host = OrganisationPickerField(label=_("Host organisation"), required=False, scope="current")
    principal_investigator = forms.CharField(label=_("Principal investigator"), max_length=200, required=False)
    field = forms.CharField(label=_("Field"), max_length=120, required=False)
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    promised_products = forms.CharField(label=_("Products promised"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    trl_start = forms.TypedChoiceField(label=_("TRL at start"), choices=TRL, coerce=int, empty_value=None, required=False)
    trl_target = forms.TypedChoiceField(label=_("Target TRL"), choices=TRL, coerce=int, empty_value=None, required=False)
    urgency = forms.CharField(label=_("Why it is needed"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class BudgetLineForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=BudgetLine.Source.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = MoneyInput(label=_("Amount (đồng)"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ApprovedTotalForm(forms.Form):
    total = MoneyInput(label=_("Approved total (đồng)"))


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=60)
    start = forms.DateField(label=_("Contract start"), widget=DATE)
    end = forms.DateField(label=_("Contract end"), widget=DATE)


class CouncilForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of council"), choices=Council.Kind.choices)
    meeting_on = forms.DateField(label=_("Meeting on"), widget=DATE, required=False)


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Member"), queryset=User.objects.filter(role__in=[str(r) for r in BACKOFFICE_ROLES], is_active=True).order_by("full_name", "username"))
    role = forms.CharField(label=_("Role on the council"), max_length=60, required=False)


class MinutesForm(forms.Form):
    minutes = forms.FileField(label=_("Minutes (PDF or DOCX)"))
    meeting_on = forms.DateField(label=_("Meeting on"), widget=DATE, required=False)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Report.Kind.choices)
    dated = forms.DateField(label=_("Dated"), widget=DATE)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000)
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False)


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of change"), choices=ContractChange.Kind.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    new_end = forms.DateField(label=_("New end date"), widget=DATE, required=False)
    new_total = MoneyInput(label=_("New approved total (đồng)"), required=False)


class OutputForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of output"), choices=Output.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=400)
    trl = forms.TypedChoiceField(label=_("TRL"), choices=TRL, coerce=int, empty_value=None, required=False)
    ip_status = forms.ChoiceField(label=_("IP status"), choices=Output.IpStatus.choices)
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE, required=False)
    granted_on = forms.DateField(label=_("Granted on"), widget=DATE, required=False)


class OfferForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=400)
    summary = forms.CharField(label=_("Non-confidential summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000)
    licence_terms = forms.CharField(label=_("Licence terms"), max_length=2000, required=False)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)


class ScoreForm(forms.Form):
    """One number field per criterion of the council; a ``draft`` may leave some empty."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=8000)

    def __init__(self, *args, criteria=(), draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for c in criteria:
            self.fields[f"score_{c.code}"] = forms.IntegerField(
                label=f"{c.label} ({c.min_score}–{c.max_score}, ×{c.weight})", min_value=c.min_score, max_value=c.max_score,
                required=not draft)
        self.order_fields([f"score_{c.code}" for c in criteria] + ["comment"])

    def scores(self) -> dict[str, int]:
        return {k.removeprefix("score_"): v for k, v in self.cleaned_data.items() if k.startswith("score_") and v is not None}


class InterestForm(forms.Form):
    message = forms.CharField(label=_("Your message to the offer's owner"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False)


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why it does not suit you"), choices=Interest.DeclineReason.choices, widget=forms.RadioSelect)
    message = forms.CharField(label=_("Anything to add"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False)


class DealForm(forms.Form):
    buyer = OrganisationPickerField(label=_("Buyer or licensee"), scope="current")
    kind = forms.ChoiceField(label=_("Kind of deal"), choices=TransferDeal.Kind.choices)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    value = MoneyInput(label=_("Value (đồng)"), required=False)
    spin_off = OrganisationPickerField(label=_("Spin-off company"), required=False, scope="startups")


class StandaloneOfferForm(OfferForm):
    """An offer of an institute or university of its own (not from a task's output)."""

    organisation = OrganisationPickerField(label=_("Offered by"), scope="current")
    trl = forms.TypedChoiceField(label=_("TRL"), choices=TRL, coerce=int, empty_value=None, required=False)
    ip_status = forms.ChoiceField(label=_("IP status"), choices=Output.IpStatus.choices)
    field_order = ["organisation", "title", "summary", "trl", "ip_status", "licence_terms", "contact"]


class NeedForm(forms.Form):
    organisation = OrganisationPickerField(label=_("Enterprise"), scope="current")
    title = forms.CharField(label=_("Title"), max_length=400)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)


class FollowUpForm(forms.Form):
    in_production = forms.BooleanField(label=_("In production"), required=False)
    revenue = MoneyInput(label=_("Revenue from it (đồng)"), required=False)
    jobs = forms.IntegerField(label=_("Jobs created"), min_value=0, required=False)
    paid = MoneyInput(label=_("Paid so far (đồng)"), required=False)


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role in the team"), max_length=120, required=False)
    organisation = OrganisationPickerField(label=_("Organisation"), required=False, scope="current")


class TaskPartnerForm(forms.Form):
    organisation = OrganisationPickerField(label=_("Partner (directory)"), scope="current")
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskPartner.Kind.choices)
    role = forms.CharField(label=_("Role"), max_length=300, required=False)


class NeedPostForm(forms.Form):
    """A need posted by a member of the enterprise itself (shown to the public once approved)."""

    organisation = forms.ModelChoiceField(label=_("Enterprise"), queryset=Organisation.objects.none(), empty_label=None)
    title = forms.CharField(label=_("What technology are you looking for?"), max_length=400)
    description = forms.CharField(label=_("The problem it should solve"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000,
                                  help_text=_("What you make, what goes wrong today, what a solution must achieve. Nothing confidential: it will be public."))
    field = forms.CharField(label=_("Field"), max_length=120, required=False)
    min_trl = forms.TypedChoiceField(label=_("Lowest technology readiness level you can use"), choices=TRL, coerce=int, empty_value=None,
                                     required=False, help_text=_("1: basic principles observed … 9: proven in operation."))
    budget = MoneyInput(label=_("Budget you can spend (đồng)"), required=False)
    needed_by = forms.DateField(label=_("Needed by"), widget=DATE, required=False)
    contact = forms.CharField(label=_("Contact for offers (name, e-mail or phone)"), max_length=200, required=False,
                              help_text=_("Published with the need: give a work contact (a department, a work e-mail or switchboard)."))

    def __init__(self, *args, enterprises=(), **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in enterprises]).order_by("name")  # type: ignore[attr-defined]


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Publish")), ("reject", _("Do not publish"))],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("Reason (required when not published; the enterprise reads it)"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
