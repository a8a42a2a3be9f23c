"""Forms of the cooperation pages. They only shape input; the rules (due dates, files, the
directory, duplicates, who may edit) live in `services`, whose refusals the views show
beside the form, with everything typed kept."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innohub.cooperation import workflows
from innohub.cooperation.models import (
    Agreement,
    Attachment,
    Meeting,
    Participant,
    Partner,
    Side,
    Unit,
    Visit,
)
from innohub.core.forms import DatePickerInput
from innohub.core.roles import STAFF_ROLES
from innohub.directory.models import Sector
from innohub.directory.pickers import OrganisationPickerField, PersonPickerField


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation.name} ({obj.country})"


class PartnersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation.name} ({obj.country})"


def _staff() -> Any:
    return get_user_model().objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("full_name", "username")


def _partners() -> Any:
    return Partner.objects.select_related("organisation").order_by("organisation__name")


class PartnerEditForm(forms.Form):
    """What may change of a partner: its organisation stays (a different one is another partner)."""
    country = forms.CharField(label=_("Country (two-letter code)"), max_length=2, min_length=2,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "size": 3}))
    contact_owner = UserChoiceField(label=_("Contact owner in the department"), queryset=_staff(), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PartnerForm(PartnerEditForm):
    organisation = OrganisationPickerField(
        label=_("Organisation in the directory"), scope="live",
        help_text=_("A partner is an organisation of the directory: add it there first if it is missing."),
    )
    field_order = ["organisation", "country", "contact_owner", "note"]


class VisitForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("cooperation", "Title"), max_length=255)
    title_en = forms.CharField(label=_("Title in English"), max_length=255, required=False)
    direction = forms.ChoiceField(label=_("Incoming or outgoing"), choices=Side.choices, widget=forms.RadioSelect)
    partners = PartnersChoiceField(label=_("Partners"), queryset=_partners())
    starts_on = forms.DateField(label=_("From"), widget=DatePickerInput())
    ends_on = forms.DateField(label=_("Until"), widget=DatePickerInput())
    place = forms.CharField(label=pgettext_lazy("cooperation", "Place"), max_length=255, required=False)
    unit = forms.ModelChoiceField(label=_("Owning unit"), queryset=Unit.objects.all())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(forms.Form):
    partner = PartnerChoiceField(label=_("Partner"), queryset=_partners())
    title = forms.CharField(label=pgettext_lazy("cooperation", "Title"), max_length=255)
    direction = forms.ChoiceField(label=_("Incoming or outgoing"), choices=Side.choices, widget=forms.RadioSelect, initial=Side.INCOMING)
    held_on = forms.DateField(label=_("Date"), widget=DatePickerInput())
    place = forms.CharField(label=pgettext_lazy("cooperation", "Place"), max_length=255)
    visit = forms.ModelChoiceField(label=_("Part of the visit"), queryset=Visit.objects.all(), required=False)
    unit = forms.ModelChoiceField(label=_("Owning unit"), queryset=Unit.objects.all())
    topics = forms.CharField(label=_("Topics"), max_length=500, required=False)
    sectors = forms.ModelMultipleChoiceField(label=_("Sectors"), queryset=Sector.objects.all(), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    leaders = UsersChoiceField(label=_("Department leaders present"), queryset=_staff(), required=False,
                               widget=forms.CheckboxSelectMultiple)
    minutes_vi = forms.CharField(label=_("Minutes (Vietnamese)"), required=False, widget=forms.Textarea(attrs={"rows": 6, "lang": "vi"}))
    minutes_en = forms.CharField(label=_("Minutes (English)"), required=False, widget=forms.Textarea(attrs={"rows": 6, "lang": "en"}))
    confidential = forms.BooleanField(label=_("The minutes are confidential"), required=False,
                                      help_text=_("Only the staff named below (and you) may then read them."))
    readers = UsersChoiceField(label=_("Staff who may read confidential minutes"), queryset=_staff(), required=False,
                               widget=forms.CheckboxSelectMultiple)
    news_url = forms.URLField(label=_("Link to the published news item"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("Attachment or photo (PDF, DOCX, PNG, JPEG, at most 10 MB)"), required=False)


MEETING_FACTS = ["title", "direction", "held_on", "place", "visit", "topics", "sectors", "leaders"]


class MeetingEditForm(MeetingForm):
    """A meeting's facts, corrected after it was recorded: its partner and unit stay, its minutes
    and files have their own forms on the meeting's page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in MEETING_FACTS:
                del self.fields[name]


class MinutesForm(forms.Form):
    minutes_vi = forms.CharField(label=_("Minutes (Vietnamese)"), required=False, widget=forms.Textarea(attrs={"rows": 6, "lang": "vi"}))
    minutes_en = forms.CharField(label=_("Minutes (English)"), required=False, widget=forms.Textarea(attrs={"rows": 6, "lang": "en"}))
    confidential = forms.BooleanField(label=_("The minutes are confidential"), required=False)
    readers = UsersChoiceField(label=_("Staff who may read confidential minutes"), queryset=_staff(), required=False,
                               widget=forms.CheckboxSelectMultiple)
    news_url = forms.URLField(label=_("Link to the published news item"), required=False, assume_scheme="https")


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(Attachment.Kind.DOCUMENT, _("Document")), (Attachment.Kind.PHOTO, _("Photo"))])
    file = forms.FileField(label=_("File (PDF, DOCX, XLSX, PPTX, PNG, JPEG, at most 10 MB)"))


NOT_IN_DIRECTORY = _("This person is not in the directory: add them to the directory first, then to the meeting.")


class ParticipantForm(forms.Form):
    person = PersonPickerField(label=_("Person (from the directory)"), error_messages={"invalid_choice": NOT_IN_DIRECTORY})
    side = forms.ChoiceField(label=_("Side"), choices=Participant.PartySide.choices)
    title_at_time = forms.CharField(label=_("Title at the time"), max_length=200, required=False,
                                    help_text=_("Leave empty to take the title the directory gives on the meeting's day."))


class DirectionForm(forms.Form):
    text = forms.CharField(label=_("Direction agreed"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(label=_("In English"), max_length=500, required=False)
    unit = forms.ModelChoiceField(label=_("Owning unit"), queryset=Unit.objects.all())
    partners = PartnersChoiceField(label=_("Other partners of this direction"), queryset=_partners(), required=False)

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            cast(forms.ModelMultipleChoiceField, self.fields["partners"]).queryset = _partners().exclude(pk=meeting.partner_id)
            self.fields["unit"].initial = meeting.unit_id


class ActionForm(forms.Form):
    what = forms.CharField(label=pgettext_lazy("cooperation", "Action"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    owner = UserChoiceField(label=pgettext_lazy("cooperation", "Owner"), queryset=_staff())
    due_date = forms.DateField(label=pgettext_lazy("cooperation", "Due date"), required=False, widget=DatePickerInput())
    due_working_days = forms.IntegerField(label=_("…or due this many working days after the meeting"), required=False, min_value=1,
                                          max_value=1000)


class TransitionForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress made"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Evidence (PDF, DOCX, XLSX, PPTX, PNG, JPEG, at most 10 MB)"), required=False)


class TaskLinkForm(forms.Form):
    code = forms.CharField(label=_("Code of the research task"), max_length=40,
                           help_text=_("The research task this action led to, by its code (e.g. NV-2026-01)."))


class ReviewMeetingForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Reviewed at the meeting"), queryset=Meeting.objects.none(), required=False)

    def __init__(self, *args: Any, meetings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meetings is not None:
            cast(forms.ModelChoiceField, self.fields["meeting"]).queryset = meetings


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    title = forms.CharField(label=pgettext_lazy("cooperation", "Title"), max_length=255)
    title_en = forms.CharField(label=_("Title in English"), max_length=255, required=False)
    partners = PartnersChoiceField(label=_("Partner parties"), queryset=_partners())
    unit = forms.ModelChoiceField(label=_("Owning unit"), queryset=Unit.objects.all())
    signed_on = forms.DateField(label=_("Signature date"), required=False, widget=DatePickerInput())
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DatePickerInput())
    term_note = forms.CharField(label=_("Term and renewal"), max_length=255, required=False)
    file = forms.FileField(label=_("Signed copy (PDF, DOCX, PNG, JPEG, at most 10 MB)"), required=False)


class SignedFileForm(forms.Form):
    file = forms.FileField(label=_("Signed copy (PDF, DOCX, PNG, JPEG, at most 10 MB)"))


BOARD_STATES = [("", _("Any state")), ("open", _("Open")), ("overdue", _("Overdue"))]


class BoardFilterForm(forms.Form):
    partner = PartnerChoiceField(label=_("Partner"), queryset=_partners(), required=False)
    country = forms.CharField(label=_("Country"), max_length=2, required=False)
    owner = UserChoiceField(label=pgettext_lazy("cooperation", "Owner"), queryset=_staff(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all(), required=False)
    due_after = forms.DateField(label=_("Due from"), required=False, widget=DatePickerInput())
    due_before = forms.DateField(label=_("Due until"), required=False, widget=DatePickerInput())
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state"]).choices = [*BOARD_STATES, *workflows.action_state_choices()]


class PartnerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    country = forms.CharField(label=_("Country"), max_length=2, required=False)
