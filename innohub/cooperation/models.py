"""International cooperation: partners (organisations of the directory), visits and meetings
with the people met on each side, the directions of cooperation agreed there, the actions
that carry each direction out (followed through a workflow to done or dropped, with progress
updates and evidence), agreements (MoUs, letters of intent…) and the files attached to them.

People are the directory's `Person`s; a participant keeps the title they had AT THE TIME as
text, so that a later change of title does not rewrite who was at a meeting. The department's
units (`Unit`) name their officers and their head: officers of the owning unit edit its
records, and the head is the "owner's manager" the overdue reminders escalate to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innohub.cooperation import workflows
from innohub.core.i18n import in_language
from innohub.core.models import TimeStampedModel
from innohub.core.uploads import generated_upload_path


class Unit(TimeStampedModel):
    """A unit of the department (a division, a centre) that owns directions and agreements."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    head = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("head of unit"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("officers"), blank=True,
                                     related_name="cooperation_units")

    class Meta:
        ordering = ["name"]
        verbose_name = _("department unit")
        verbose_name_plural = _("department units")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_en)


class Partner(TimeStampedModel):
    """A foreign or domestic partner: one organisation of the directory, at most once."""

    organisation = models.OneToOneField("directory.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
                                        related_name="cooperation_partner")
    country = models.CharField(_("country"), max_length=2, db_index=True, help_text=_("Two-letter ISO code, e.g. AU, SG."))
    contact_owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("contact owner"), on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="cooperation_partners")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.organisation.display_name(_current_language())


def _current_language() -> str:
    from innohub.core.i18n import current_language

    return current_language()


class Side(models.TextChoices):
    INCOMING = "incoming", _("Incoming (received in Ho Chi Minh City)")
    OUTGOING = "outgoing", _("Outgoing (a delegation or study tour abroad)")


class Visit(TimeStampedModel):
    """A longer trip (a delegation's visit, a study tour abroad) holding several meetings."""

    title = models.CharField(pgettext_lazy("cooperation", "title"), max_length=255)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    direction = models.CharField(_("incoming or outgoing"), max_length=10, choices=Side.choices)
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), related_name="visits")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    place = models.CharField(pgettext_lazy("cooperation", "place"), max_length=255, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="visits")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="coop_visit_dates")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.title, self.title_en)


class Meeting(TimeStampedModel):
    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="meetings")
    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="meetings")
    direction = models.CharField(_("incoming or outgoing"), max_length=10, choices=Side.choices)
    title = models.CharField(pgettext_lazy("cooperation", "title"), max_length=255)
    held_on = models.DateField(_("date"), db_index=True)
    place = models.CharField(pgettext_lazy("cooperation", "place"), max_length=255)
    unit = models.ForeignKey(Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="meetings")
    topics = models.CharField(_("topics"), max_length=500, blank=True)
    sectors = models.ManyToManyField("directory.Sector", verbose_name=_("sectors"), blank=True, related_name="+")
    leaders = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("department leaders present"), blank=True,
                                     related_name="+")
    minutes_vi = models.TextField(_("minutes (Vietnamese)"), blank=True)
    minutes_en = models.TextField(_("minutes (English)"), blank=True)
    confidential = models.BooleanField(_("confidential minutes"), default=False)
    readers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("staff who may read the minutes"),
                                     blank=True, related_name="+")
    news_url = models.URLField(_("published news item"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["partner", "held_on"], name="coop_meeting_partner")]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class Participant(TimeStampedModel):
    """A person of the directory at a meeting, with their organisation and title as they were."""

    class PartySide(models.TextChoices):
        PARTNER = "partner", _("Partner's delegation")
        DEPARTMENT = "department", _("Department's side")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting"))
    person = models.ForeignKey("directory.Person", on_delete=models.PROTECT, related_name="cooperation_meetings",
                               verbose_name=_("person"))
    side = models.CharField(_("side"), max_length=12, choices=PartySide.choices)
    title_at_time = models.CharField(_("title at the time"), max_length=200, blank=True)
    organisation_at_time = models.CharField(_("organisation at the time"), max_length=255, blank=True)

    class Meta:
        ordering = ["side", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="coop_participant_once")]

    def __str__(self) -> str:
        return f"{self.person} – {self.title_at_time}".strip(" –")


class Direction(TimeStampedModel):
    """A direction of cooperation agreed at a meeting, owned by a unit of the department."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="directions", verbose_name=_("meeting"))
    text = models.CharField(pgettext_lazy("cooperation", "direction"), max_length=500)
    text_en = models.CharField(_("direction in English"), max_length=500, blank=True)
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), related_name="directions")
    unit = models.ForeignKey(Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="directions")
    agreement = models.ForeignKey("Agreement", verbose_name=_("under the agreement"), on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="directions")

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("direction of cooperation")
        verbose_name_plural = _("directions of cooperation")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.text, self.text_en)


class Action(TimeStampedModel):
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="actions", verbose_name=pgettext_lazy("cooperation", "direction"))
    what = models.CharField(pgettext_lazy("cooperation", "action"), max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("cooperation", "owner"), on_delete=models.PROTECT,
                              related_name="cooperation_actions")
    due_date = models.DateField(pgettext_lazy("cooperation", "due date"), db_index=True)
    due_working_days = models.PositiveSmallIntegerField(_("working days after the meeting"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, default=workflows.ACTION_SPEC.initial, db_index=True)
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    review_meeting = models.ForeignKey(Meeting, verbose_name=_("reviewed at the meeting"), on_delete=models.SET_NULL,
                                       null=True, blank=True, related_name="reviewed_actions")
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reminder_stage = models.CharField(_("last reminder"), max_length=12, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = pgettext_lazy("cooperation", "action")
        verbose_name_plural = pgettext_lazy("cooperation", "actions")
        indexes = [models.Index(fields=["state", "due_date"], name="coop_action_board")]

    def __str__(self) -> str:
        return self.what[:120]

    @property
    def state_label(self) -> str:
        return workflows.ACTION_SPEC.label(self.state)

    @property
    def is_open(self) -> bool:
        return workflows.ACTION_SPEC.has_flag(self.state, "open")

    @property
    def is_done(self) -> bool:
        return workflows.ACTION_SPEC.has_flag(self.state, "done")

    @property
    def meeting(self) -> Meeting:
        return self.direction.meeting


class ActionUpdate(TimeStampedModel):
    """A step of progress on an action, in the owner's words, with evidence files attached."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates", verbose_name=pgettext_lazy("cooperation", "action"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    text = models.TextField(_("progress"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return self.text[:80]


class Agreement(TimeStampedModel):
    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        COOPERATION = "cooperation", _("Cooperation agreement")
        LETTER_OF_INTENT = "loi", _("Letter of intent")
        PROGRAMME = "programme", _("Programme agreement")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(pgettext_lazy("cooperation", "title"), max_length=255)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    partners = models.ManyToManyField(Partner, verbose_name=_("parties"), related_name="agreements")
    unit = models.ForeignKey(Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="agreements")
    signed_on = models.DateField(_("signature date"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    term_note = models.CharField(_("term and renewal"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=20, default=workflows.AGREEMENT_SPEC.initial, db_index=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    expiry_reminded_on = models.DateField(_("expiry reminder sent on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__isnull=True) | Q(signed_on__isnull=True)
                                   | Q(expires_on__gt=models.F("signed_on")), name="coop_agreement_term"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.title, self.title_en)

    @property
    def state_label(self) -> str:
        return workflows.AGREEMENT_SPEC.label(self.state)


def attachment_path(instance: models.Model, filename: str) -> str:
    """Kept for the initial migration, which names it; the field now uses the shared helper."""
    return generated_upload_path("cooperation")(instance, filename)


class Attachment(TimeStampedModel):
    """A file (minutes, photos, a signed agreement, evidence of progress), checked by its bytes."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        PHOTO = "photo", _("Photo")
        SIGNED = "signed", _("Signed copy")
        EVIDENCE = "evidence", _("Evidence")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    update = models.ForeignKey(ActionUpdate, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DOCUMENT)
    file = models.FileField(_("file"), upload_to=generated_upload_path("cooperation"), max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(meeting__isnull=False, agreement__isnull=True, update__isnull=True)
                           | Q(meeting__isnull=True, agreement__isnull=False, update__isnull=True)
                           | Q(meeting__isnull=True, agreement__isnull=True, update__isnull=False)),
                name="coop_attachment_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name
