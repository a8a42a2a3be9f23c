"""Forms of the Q&A pages. They only shape input; the rules live in services (the ask
form runs the services' checks of the text and the attachment, so that every problem is
reported in one round)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from innohub.core.errors import ApplicationError
from innohub.core.forms import DatePickerInput
from innohub.core.personal_data import CONSENTS
from innohub.core.roles import STAFF_ROLES
from innohub.qa import services, workflows
from innohub.qa.models import Collection, Topic, Unit


def _checked_by(check: Callable[[Any], object], value: Any) -> Any:
    """``value`` once the service's ``check`` has passed it; the ApplicationError it raises
    becomes the field's error."""
    if value:
        try:
            check(value)
        except ApplicationError as exc:
            raise forms.ValidationError(str(exc.message)) from exc
    return value


class AskForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(), empty_label=None)
    text = forms.CharField(
        label=_("Your question"),
        # the service gives the clear message for over-long text; this only bounds the request
        max_length=200_000,
        # no aria-describedby of our own: Django's names the help and the error; the
        # suggestions' count is announced by their status region (role="status")
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        help_text=_("Do not write ID numbers or other personal data: they are removed before publication anyway."),
    )
    asker_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    asker_email = forms.EmailField(
        label=_("Your e-mail address"), required=False, help_text=_("We write to you when the question is answered."),
        error_messages={"invalid": _("This e-mail address is not valid; check it, so we can tell you when your question is answered.")},
    )
    attachment = forms.FileField(label=_("Attachment (PDF, PNG, JPEG or DOCX, at most 5 MB)"), required=False)
    # consent is the legal basis for processing the asker's data (Decree 13/2023/NĐ-CP): a box
    # the asker ticks, never ticked for them; its version is recorded (core.personal_data)
    consent = forms.BooleanField(
        label=CONSENTS["qa.ask"].text, required=True,
        error_messages={"required": _("Tick the box to agree, so that we may process your question and contact details.")},
    )
    # honeypot: hidden from people with CSS and aria-hidden; bots fill it
    website = forms.CharField(label=_("Leave this field empty"), required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].label_from_instance = lambda t: t.label
        if user is not None and user.is_authenticated:
            self.fields["asker_email"].initial = user.email
            self.fields["asker_name"].initial = user.display_name
        else:
            # a visitor is known only by this address: the receipt and the answer go there
            email = self.fields["asker_email"]
            email.required = True
            email.error_messages["required"] = _("Enter a valid e-mail address, so we can tell you when it is answered.")


    # The service checks these again (the API asks through it alone); checked here too, a
    # question too short or a file that is not what it says is reported with the other
    # fields' problems in one round, not after the e-mail address has been put right.
    def clean_text(self) -> str:
        raw = self.cleaned_data.get("text", "")
        _text, problem = services.question_text_checked(raw)
        if problem:
            raise forms.ValidationError(problem)
        return raw

    def clean_attachment(self):
        return _checked_by(services.check_attachment, self.cleaned_data.get("attachment"))


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20)
    email = forms.EmailField(label=_("E-mail address used to ask"), required=False)


class FaqSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the answers"), required=False, max_length=300, widget=forms.TextInput(attrs={"type": "search"}))
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All topics"))] + [(t.code, t.label) for t in Topic.objects.all()]


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Code or words"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False, choices=[("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody"))])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    # set by a knowledge-base document's page: the questions whose answer cites it
    cites = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Open")), ("all", _("All"))] + [(c, workflows.staff_label(c)) for c in workflows.STATES]
        self.fields["topic"].choices = [("", _("All topics"))] + [(t.code, t.label) for t in Topic.objects.all()]
        self.fields["unit"].choices = [("", _("All units"))] + [(u.code, u.label) for u in Unit.objects.all()]


class KnowledgeFindForm(forms.Form):
    kb = forms.CharField(label=_("Find a passage in the knowledge base"), max_length=300, widget=forms.TextInput(attrs={"type": "search"}))


class SourceForm(forms.Form):
    passage = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Officer"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["assignee"].queryset = get_user_model().objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("full_name", "username")
        self.fields["assignee"].label_from_instance = lambda u: u.display_name


class FeedbackForm(forms.Form):
    """A reader's "did it help?": the buttons send `helpful`; the comment comes with "no"."""

    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes", widget=forms.HiddenInput,
        error_messages={"required": _("Say whether the answer helped you."), "invalid_choice": _("Say whether the answer helped you.")},
    )
    comment = forms.CharField(
        label=_("What was missing or unclear? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Officers read it to improve the answer. Do not write personal details: to ask about your own case, ask a question."),
    )

    def clean_comment(self) -> str:
        return _checked_by(lambda text: services.feedback_comment_checked(text), self.cleaned_data.get("comment", ""))


class RerouteForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), empty_label=None,
        help_text=_("The question goes to the unit answering that topic; its due date stays the one the asker was told."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("New note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to the asker)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What to change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Tracking code of the question to merge into"), max_length=20)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is no longer in force"),
        max_length=300,
        help_text=_("For example: replaced by Decision 15/2027/QĐ-UBND from 01/03/2027."),
    )


class AnswerEditForm(forms.Form):
    public_question = forms.CharField(
        label=_("The question as it will be published"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Phone numbers, e-mail addresses, ID numbers and the asker's name are removed on publication. "
            "Take out any other personal detail (an address, a relative's name) here."
        ),
    )
    text = forms.CharField(label=_("Answer"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args, language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if language:  # the question's: a screen reader and the spelling checker read the wording in it
            for field in self.fields.values():
                field.widget.attrs["lang"] = language


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=300)
    number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=200, required=False)
    issued_on = forms.DateField(label=_("Date issued"), required=False, widget=DatePickerInput())
    collection = forms.ChoiceField(
        label=_("Collection"), choices=Collection.choices, initial=Collection.LEGAL, required=False,  # not sent: the default, or the version's own
        help_text=_("Search weighs keywords and meaning differently for each kind of text, as learnt from the passages officers cite."),
    )
    file = forms.FileField(label=_("File (PDF, DOCX, HTML or TXT, at most 20 MB)"))

    def clean_file(self):
        return _checked_by(services.document_file_kind, self.cleaned_data.get("file"))


class StatsForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DatePickerInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DatePickerInput())


