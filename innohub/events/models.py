"""Events and training: series (WHISE), events and courses with their timetable, the
registration forms (forms engine schemas), registrations with their workflow state and
waiting-list position, check-ins (per session for courses) and certificates.

A registration's state is a code of the registration workflow (`events.workflows`): code
reads its flags, never the codes, except the database constraint on live registrations.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innohub.core.i18n import in_language
from innohub.core.models import TimeStampedModel

# Terminal states a new registration with the same e-mail may follow (database constraint only).
_ENDED_STATES = ["cancelled", "refused"]


class Series(TimeStampedModel):
    """A series of events under one name (WHISE 2026 and its side events)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return in_language(self.title, self.title_en)

    @property
    def display_description(self) -> str:
        return in_language(self.description, self.description_en)


class EventForm(TimeStampedModel):
    """A registration or feedback form as data (a schema of the forms engine, `innohub.forms`),
    versioned as a call's `programs.FormDefinition` is: answers keep the version they used."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    schema = models.JSONField(_("sections and fields"), default=dict)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("event form")
        verbose_name_plural = _("event forms")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="uniq_event_form_code_version")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Event(TimeStampedModel):
    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        WORKSHOP = "workshop", _("Workshop")
        FORUM = "forum", _("Forum")
        COURSE = "course", _("Training course")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        MIXED = "mixed", _("In person and online")

    class Language(models.TextChoices):
        VI = "vi", _("Vietnamese")
        EN = "en", _("English")
        BOTH = "vi_en", _("Vietnamese and English")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    series = models.ForeignKey(Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="events", verbose_name=_("series"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EVENT)
    title = models.CharField(_("title (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("attendance"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("place"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, default=Language.VI)
    organisers = models.ManyToManyField("directory.Organisation", blank=True, related_name="events_organised", verbose_name=_("organisers"))
    partners = models.ManyToManyField("directory.Organisation", blank=True, related_name="events_partnered", verbose_name=_("partners"))
    speakers = models.ManyToManyField("directory.Person", blank=True, related_name="events_spoken", verbose_name=_("speakers"))
    sectors = models.ManyToManyField("directory.Sector", blank=True, related_name="events", verbose_name=_("sectors"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    moderated = models.BooleanField(_("registrations approved by the organiser"), default=False)
    registration_form = models.ForeignKey(EventForm, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("registration form"))
    feedback_form = models.ForeignKey(EventForm, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("feedback form"))
    issues_certificates = models.BooleanField(_("issues certificates"), default=False)
    required_share = models.PositiveSmallIntegerField(
        _("share of sessions required for a certificate (%)"), default=80,
        help_text=_("For a course with sessions: the share of its sessions an attendee must attend."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCalendar SEQUENCE: bumped on each change
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["status", "starts_at"], name="event_public_by_start")]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return in_language(self.title, self.title_en)

    @property
    def display_description(self) -> str:
        return in_language(self.description, self.description_en)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def is_multi_day(self) -> bool:
        return timezone.localtime(self.starts_at).date() != timezone.localtime(self.ends_at).date()

    @property
    def is_online(self) -> bool:
        return self.mode == self.Mode.ONLINE


class Session(TimeStampedModel):
    """One slot of an event's timetable (a course's lesson): attendance is kept per session."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event"))
    title = models.CharField(_("title (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    speaker = models.CharField(_("speaker"), max_length=255, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return in_language(self.title, self.title_en)


def new_code() -> str:
    return secrets.token_urlsafe(9)


class Registration(TimeStampedModel):
    class ParticipantKind(models.TextChoices):
        STARTUP = "startup", _("Startup")
        ACADEMIA = "academia", _("University or institute")
        ENTERPRISE = "enterprise", _("Enterprise")
        GOVERNMENT = "government", _("Government")
        PARTNER = "partner", _("Foreign partner")
        INDIVIDUAL = "individual", _("Individual")

    class Source(models.TextChoices):
        ONLINE = "online", _("Registered online")
        ON_BEHALF = "on_behalf", _("Registered by someone else")
        WALK_IN = "walk_in", _("Walk-in")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event"))
    state = models.CharField(_("state"), max_length=40, default="confirmed", db_index=True)
    name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    email_key = models.CharField(max_length=254, editable=False)  # lower-cased, for the duplicate check
    organisation_name = models.CharField(_("organisation"), max_length=255, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="event_registrations",
        verbose_name=_("organisation in the directory"),
    )
    participant_kind = models.CharField(_("kind of participant"), max_length=20, choices=ParticipantKind.choices, default=ParticipantKind.INDIVIDUAL)
    country = models.CharField(_("country"), max_length=2, default="VN")
    language = models.CharField(_("language"), max_length=5, default="vi")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    form = models.ForeignKey(EventForm, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    consent_public = models.BooleanField(_("agrees to appear on the public list of participants"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="event_registrations")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    registered_by_name = models.CharField(_("registered by"), max_length=200, blank=True)
    group = models.UUIDField(_("delegation"), null=True, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.ONLINE)
    waiting_position = models.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)
    code = models.CharField(max_length=20, default=new_code, unique=True, editable=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    emailed = models.JSONField(default=dict, blank=True, editable=False)  # message id -> when e-mailed (sent once)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "email_key"], condition=~Q(state__in=_ENDED_STATES), name="uniq_live_registration_email"),
        ]
        indexes = [models.Index(fields=["event", "state"], name="registration_event_state")]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"

    def save(self, *args, **kwargs):
        self.email_key = (self.email or "").strip().lower()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "email_key"}
        super().save(*args, **kwargs)


class CheckIn(models.Model):
    """An attendee's presence: at the event (no session) or at one session of a course."""

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        MANUAL = "manual", _("Found by name")
        WALK_IN = "walk_in", _("Walk-in")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="checkins")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, null=True, blank=True, related_name="checkins")
    checked_at = models.DateTimeField(_("checked in at"), default=timezone.now)
    recorded_at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    method = models.CharField(_("how"), max_length=20, choices=Method.choices, default=Method.QR)

    class Meta:
        ordering = ["checked_at", "id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="uniq_checkin_per_session"),
            models.UniqueConstraint(fields=["registration"], condition=Q(session__isnull=True), name="uniq_checkin_event"),
        ]

    def __str__(self) -> str:
        return f"{self.registration.name} @ {self.checked_at:%Y-%m-%d %H:%M}"


class Certificate(TimeStampedModel):
    """A certificate of attendance; its number is printed with a QR code to its public page."""

    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("number"), max_length=40, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sessions_attended = models.PositiveIntegerField(default=0)
    sessions_total = models.PositiveIntegerField(default=0)
    revoked = models.BooleanField(_("revoked"), default=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at", "id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number


class FeedbackResponse(TimeStampedModel):
    """One attendee's answers to the event's feedback form (forms engine)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    form = models.ForeignKey(EventForm, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
