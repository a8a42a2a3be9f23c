"""Support programmes: stages and their ceilings by year, calls, versioned forms, rubrics,
workflows as data, applications, reviews, awards, milestones, tranches, disbursements, cohorts.

Money is integer đồng (`MoneyField`). The rules that protect money are held twice: by the
services (clear errors) and by database constraints (so that no code path, and no race
between two approvals, can break them): an award is never above its ceiling, a call never
awards more than its budget, an award never pays out more than its amount, a tranche is
paid once and a disbursement key is recorded once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innohub.core.i18n import in_language
from innohub.core.models import TimeStampedModel
from innohub.core.money import MoneyField, format_vnd
from innohub.core.uploads import generated_upload_path
from innohub.forms.schema import schema_fields
from innohub.review.drafts import ReviewDraft


class Stage(models.TextChoices):
    PRE_INCUBATION = "pre_incubation", _("Pre-incubation")
    INCUBATION = "incubation", _("Incubation")
    ACCELERATION = "acceleration", _("Acceleration")


STAGE_ORDER: list[str] = [Stage.PRE_INCUBATION, Stage.INCUBATION, Stage.ACCELERATION]


def previous_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index - 1] if index > 0 else None


class Programme(TimeStampedModel):
    """A support programme for one stage; its ceiling per award is set per year."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)

    @property
    def display_description(self) -> str:
        return in_language(self.description, self.description_en)


class StageCeiling(models.Model):
    """The most one award may be in a programme, from a year on (until a later row)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="ceilings", verbose_name=_("programme"))
    year = models.PositiveSmallIntegerField(_("year"))
    amount = MoneyField(_("ceiling per award"))

    class Meta:
        ordering = ["programme", "-year"]
        verbose_name = _("ceiling")
        verbose_name_plural = _("ceilings")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="uniq_programme_ceiling_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="programme_ceiling_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"


class FormDefinition(TimeStampedModel):
    """An application form as data, versioned: an application keeps the version it started on.

    `schema` is a form schema of the forms engine (`innohub.forms`, which documents its
    format, validates it, builds the page's form and shows the answers).
    """

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    schema = models.JSONField(_("sections and fields"), default=dict)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("application form")
        verbose_name_plural = _("application forms")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="uniq_form_code_version")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def fields(self) -> list[dict]:
        return schema_fields(self.schema)


class Rubric(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One scored criterion. "Not applicable" (when allowed) is left out of the weighted mean."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric"))
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label (Vietnamese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    help_text = models.TextField(_("guidance"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    min_score = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=10)
    allow_not_applicable = models.BooleanField(_("may be marked not applicable"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["rubric", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="uniq_criterion_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gt=F("min_score")), name="criterion_range_valid"),
        ]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return in_language(self.label, self.label_en)


class Workflow(TimeStampedModel):
    """States and transitions as data (see `workflows.py` for the format and the guards)."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    definition = models.JSONField(_("states and transitions"), default=dict)

    class Meta:
        verbose_name = _("workflow")
        verbose_name_plural = _("workflows")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="uniq_workflow_code_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Call(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls", verbose_name=_("programme"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    budget = MoneyField(_("total budget"))
    awarded_total = MoneyField(_("awarded so far"), default=0, editable=False)
    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="calls", verbose_name=_("application form"))
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="calls", verbose_name=_("rubric"))
    workflow = models.ForeignKey(Workflow, on_delete=models.PROTECT, related_name="calls", verbose_name=_("workflow"))
    reviewers_per_application = models.PositiveSmallIntegerField(_("reviewers per application"), default=3)
    require_previous_stage = models.BooleanField(_("previous stage must be completed"), default=False)
    require_verified_profile = models.BooleanField(_("profile must be verified"), default=False)
    share_scores_after_review = models.BooleanField(
        _("reviewers see the other scores once they have submitted theirs"), default=False
    )
    # what the public call page lists (issue 27): written by officers in the back office
    eligibility = models.TextField(_("eligibility criteria"), blank=True, help_text=_("One criterion per line."))
    required_documents = models.TextField(_("required documents"), blank=True, help_text=_("One document per line."))
    reviews_due_on = models.DateField(_("reviews due on"), null=True, blank=True)
    # a call authored in the back office is a draft, seen only by staff, until it is published
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, default=timezone.now)
    # below it nothing is above the funding line, whatever the budget left (issue 27)
    min_score = models.DecimalField(
        _("minimum score for funding"), max_digits=5, decimal_places=2, default=Decimal("70"),
        help_text=_("An application scoring below this (out of 100) is never above the funding line."),
    )

    class Meta:
        ordering = ["-opens_at", "id"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_opening"),
            models.CheckConstraint(condition=Q(budget__gte=0) & Q(awarded_total__gte=0), name="call_amounts_non_negative"),
            models.CheckConstraint(condition=Q(awarded_total__lte=F("budget")), name="call_awards_within_budget"),
            models.CheckConstraint(condition=Q(reviewers_per_application__gte=1), name="call_at_least_one_reviewer"),
            models.CheckConstraint(condition=Q(min_score__gte=0) & Q(min_score__lte=100), name="call_min_score_0_100"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return in_language(self.title, self.title_en)

    @property
    def remaining_budget(self) -> int:
        return self.budget - self.awarded_total

    @property
    def stage(self) -> str:
        return self.programme.stage

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def min_score_text(self) -> str:
        """The minimum score as the page's language writes it, without trailing zeros (70, 69,5)."""
        from django.utils.formats import number_format

        value = Decimal(self.min_score)
        places = next(p for p in (0, 1, 2) if value == round(value, p))
        return number_format(round(value, places), places)

    @property
    def eligibility_lines(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.eligibility.splitlines() if line.strip(" -•\t")]

    @property
    def required_document_lines(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.required_documents.splitlines() if line.strip(" -•\t")]


class Application(TimeStampedModel):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="applications", verbose_name=_("startup")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="+", verbose_name=_("form version"))
    state = models.CharField(_("state"), max_length=30, default="draft", db_index=True)
    title = models.CharField(_("project title"), max_length=255, blank=True)
    amount_requested = MoneyField(_("amount requested"), default=0)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    declared_at = models.DateTimeField(_("declaration confirmed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    score = models.DecimalField(_("weighted score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    above_funding_line = models.BooleanField(_("above the funding line"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"], condition=~Q(state="withdrawn"), name="uniq_live_application_per_call"
            ),
            models.CheckConstraint(condition=Q(amount_requested__gte=0), name="application_amount_non_negative"),
        ]
        indexes = [
            models.Index(fields=["call", "state"], name="programs_app_call_state"),
            models.Index(fields=["organisation", "state"], name="programs_app_org_state"),
            models.Index(fields=["call", "rank"], name="programs_app_call_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title or self.organisation}"

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = "HS-" + uuid.uuid4().hex[:10].upper()
        super().save(*args, **kwargs)


def attachment_path(instance: Attachment, filename: str) -> str:
    """Generated names under a private folder: the applicant's file name is kept only in the row."""
    return generated_upload_path("programs", "application_id")(instance, filename)


class Attachment(TimeStampedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    field_key = models.CharField(_("form field"), max_length=60)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["field_key", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Message(TimeStampedModel):
    """A message on an application: a request for information, the applicant's answer, a decision."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Request for information")
        REPLY = "reply", _("Applicant's answer")
        DECISION = "decision", _("Decision")
        NOTE = "note", _("Message")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NOTE)
    body = models.TextField(_("message"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ReviewerProfile(models.Model):
    """How many open reviews an expert takes at once and which sectors they review (none: any)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    capacity = models.PositiveIntegerField(_("capacity (open reviews)"), default=20)
    sectors = models.ManyToManyField("directory.Sector", blank=True, related_name="+", verbose_name=_("sectors"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")

    def __str__(self) -> str:
        return str(self.user)


class ConflictDeclaration(TimeStampedModel):
    """A reviewer's declared conflict of interest with an organisation: never assigned to it."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts_declared")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["reviewer", "organisation"], name="uniq_conflict_declaration")]

    def __str__(self) -> str:
        return f"{self.reviewer} ≠ {self.organisation}"


class Review(TimeStampedModel, ReviewDraft):
    """An application given to a reviewer; a half-done review is kept as a draft (`review.drafts`)."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("To do")
        SUBMITTED = "submitted", _("Submitted")
        CONFLICT = "conflict", _("Conflict declared")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.ASSIGNED)
    scores = models.JSONField(_("scores"), default=dict, blank=True)  # {criterion code: int, or None = not applicable}
    comment = models.TextField(_("comment"), blank=True)
    conflict_reason = models.TextField(_("conflict of interest"), blank=True)
    weighted_score = models.DecimalField(_("weighted score"), max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="uniq_review_per_reviewer"),
            models.CheckConstraint(
                condition=Q(weighted_score__isnull=True) | (Q(weighted_score__gte=0) & Q(weighted_score__lte=100)),
                name="review_score_0_100",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "state"], name="programs_review_reviewer_state")]

    def __str__(self) -> str:
        return f"{self.application.reference} · {self.reviewer}"


class Award(TimeStampedModel):
    """Non-refundable support granted to one application; one award per startup and stage."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="awards")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="awards")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    amount = MoneyField(_("amount awarded"))
    ceiling = MoneyField(_("ceiling when awarded"))
    disbursed_total = MoneyField(_("disbursed so far"), default=0)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"))

    class Meta:
        ordering = ["-approved_at", "-id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "stage"], name="uniq_award_per_startup_and_stage"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive"),
            models.CheckConstraint(condition=Q(amount__lte=F("ceiling")), name="award_within_ceiling"),
            models.CheckConstraint(
                condition=Q(disbursed_total__gte=0) & Q(disbursed_total__lte=F("amount")), name="award_disbursed_within_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} · {format_vnd(self.amount)}"


class Milestone(TimeStampedModel):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        REPORTED = "reported", _("Reported, awaiting check")
        MET = "met", _("Met")
        MISSED = "missed", _("Not met")

    # What a reader is told of a pending milestone depends on its due date: "pending" alone
    # cannot say whether it is late. These codes split it; the other states keep their own.
    UPCOMING = "upcoming"
    OVERDUE = "overdue"
    STATUS_LABELS = {UPCOMING: _("Not yet due"), OVERDUE: _("Overdue")}

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=255)
    due_on = models.DateField(_("due on"), db_index=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING, db_index=True)
    report = models.TextField(_("report"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)

    class Meta:
        ordering = ["award", "order", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    def status(self, today: dt.date | None = None) -> str:
        """The state as shown: a pending milestone is overdue once its due date has passed (as the reminders count it), else upcoming."""
        if self.state == self.State.PENDING:
            return self.OVERDUE if self.due_on < (today or timezone.localdate()) else self.UPCOMING
        return self.state

    @property
    def status_code(self) -> str:
        return self.status()

    @property
    def status_label(self) -> str:
        code = self.status()
        return str(self.STATUS_LABELS[code]) if code in self.STATUS_LABELS else str(self.get_state_display())


def evidence_path(instance: MilestoneEvidence, filename: str) -> str:
    return generated_upload_path("programs/milestones", "milestone_id")(instance, filename)


class MilestoneEvidence(TimeStampedModel):
    """A file sent with a milestone report (minutes, invoices, photos of the prototype)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["milestone", "id"]
        verbose_name = _("milestone evidence")
        verbose_name_plural = _("milestone evidence")

    def __str__(self) -> str:
        return self.original_name


def record_path(instance: DecisionRecord, filename: str) -> str:
    return generated_upload_path("programs/decisions", "application_id")(instance, filename)


class DecisionRecord(TimeStampedModel):
    """The signed paper behind a step: a decision (approval, rejection, termination) or the
    contract, with its number, date, signer and the scanned signed file."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("Approval decision")
        REJECTION = "rejection", _("Rejection decision")
        TERMINATION = "termination", _("Termination decision")
        CONTRACT = "contract", _("Contract")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    transition = models.CharField(_("step"), max_length=40)
    number = models.CharField(_("number"), max_length=80)
    signed_on = models.DateField(_("signed on"))
    signer = models.CharField(_("signed by"), max_length=200)
    amount = MoneyField(_("amount"), null=True, blank=True)
    file = models.FileField(_("signed file"), upload_to=record_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application", "signed_on", "id"]
        verbose_name = _("decision record")
        verbose_name_plural = _("decision records")
        indexes = [models.Index(fields=["application", "kind"], name="programs_record_app_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Tranche(models.Model):
    """A part of the award, paid once its milestone is met."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="tranches")
    milestone = models.OneToOneField(Milestone, on_delete=models.PROTECT, related_name="tranche")
    amount = MoneyField(_("amount"))

    class Meta:
        ordering = ["award", "milestone__order"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive")]

    def __str__(self) -> str:
        return f"{self.milestone} · {format_vnd(self.amount)}"


class Disbursement(TimeStampedModel):
    """A payment of one tranche. The key makes recording it twice a no-op."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="disbursements")
    tranche = models.OneToOneField(Tranche, on_delete=models.PROTECT, related_name="disbursement")
    amount = MoneyField(_("amount"))
    key = models.CharField(_("idempotency key"), max_length=80, unique=True)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive")]

    def __str__(self) -> str:
        return f"{self.award} · {format_vnd(self.amount)}"


class Cohort(TimeStampedModel):
    """A hub's incubation or acceleration cohort."""

    hub = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="cohorts_run", verbose_name=_("hub"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    startups = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="cohorts", verbose_name=_("startups")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="cohort_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class CohortMentor(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="mentors")
    name = models.CharField(_("name"), max_length=200)
    expertise = models.CharField(_("expertise"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")

    def __str__(self) -> str:
        return self.name


class CohortSession(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    mentor = models.ForeignKey(CohortMentor, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title
