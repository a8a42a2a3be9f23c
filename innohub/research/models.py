"""Research tasks and their results: the task (regime, host, partners, team, TRL, schedule),
its budget by source and year, councils on the review engine's rules (members, criteria,
grading bands, scores, minutes), periodic reports, contract changes, outputs with their IP,
and the technology marketplace: offers, needs, expressions of interest, transfer deals.

Money is integer đồng (`MoneyField`). The grading scale is data (`GradeBand` rows per
council), never code. A task's state is a code of its regime's workflow (`workflows`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from innohub.core.models import TimeStampedModel
from innohub.core.money import MoneyField
from innohub.core.uploads import generated_upload_path
from innohub.review.drafts import ReviewDraft

TRL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(9)]
TRL_CHOICES = [(n, str(n)) for n in range(1, 10)]


class Regime(models.TextChoices):
    LAW_2025 = "2025", _("Law 93/2025/QH15 and Decree 267/2025")
    LAW_2013 = "2013", _("2013 regime (Decree 08/2014, Circular 07/2014)")


class Task(TimeStampedModel):
    """A science and technology task the department orders."""

    class Selection(models.TextChoices):
        OPEN = "open", _("Open selection")
        DIRECT = "direct", _("Direct assignment")

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=500)
    regime = models.CharField(_("legal regime"), max_length=4, choices=Regime.choices, default=Regime.LAW_2025)
    state = models.CharField(_("state"), max_length=40, default="proposed", db_index=True)
    selection = models.CharField(_("way of selection"), max_length=10, choices=Selection.choices, blank=True)
    host = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="hosted_tasks", verbose_name=_("host organisation"))
    principal_investigator = models.CharField(_("principal investigator"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=120, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    promised_products = models.TextField(_("products promised"), blank=True)
    proposal = models.JSONField(_("proposal answers"), default=dict, blank=True)
    trl_start = models.PositiveSmallIntegerField(_("TRL at start"), choices=TRL_CHOICES, validators=TRL_VALIDATORS, null=True, blank=True)
    trl_target = models.PositiveSmallIntegerField(_("target TRL"), choices=TRL_CHOICES, validators=TRL_VALIDATORS, null=True, blank=True)
    approved_total = MoneyField(_("approved total budget"), null=True, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    ordered_on = models.DateField(_("ordered on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    origin_action = models.ForeignKey("cooperation.Action", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="research_tasks", verbose_name=_("from the cooperation action"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("research task")
        verbose_name_plural = _("research tasks")
        constraints = [
            models.CheckConstraint(condition=models.Q(trl_start__isnull=True) | models.Q(trl_start__gte=1, trl_start__lte=9), name="research_task_trl_start"),
            models.CheckConstraint(condition=models.Q(trl_target__isnull=True) | models.Q(trl_target__gte=1, trl_target__lte=9), name="research_task_trl_target"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    @property
    def state_label(self) -> str:
        from innohub.research.workflows import state_label

        return state_label(self)

    @property
    def budget_total(self) -> int:
        return sum(line.amount for line in self.budget_lines.all())


class TaskPartner(models.Model):
    class Kind(models.TextChoices):
        DOMESTIC = "domestic", _("Domestic partner")
        INTERNATIONAL = "international", _("International partner")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="research_partnerships",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "organisation"], name="research_partner_once")]

    def __str__(self) -> str:
        return str(self.organisation)


class TeamMember(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role in the team"), max_length=120, blank=True)
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(TimeStampedModel):
    class Source(models.TextChoices):
        STATE = "state", _("State budget")
        COUNTERPART = "counterpart", _("Counterpart funds")
        OTHER = "other", _("Other sources")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="budget_lines")
    source = models.CharField(_("source"), max_length=15, choices=Source.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = MoneyField(_("amount"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["year", "source", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="research_budget_amount_positive")]


class Council(TimeStampedModel):
    class Kind(models.TextChoices):
        SELECTION = "selection", _("Selection council")
        ACCEPTANCE = "acceptance", _("Acceptance council")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="councils")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    meeting_on = models.DateField(_("meeting on"), null=True, blank=True)
    minutes = models.FileField(_("minutes"), upload_to=generated_upload_path("research/minutes"), blank=True, max_length=200)
    minutes_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "kind"], name="research_one_council_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.task.code}"


class CouncilMember(ReviewDraft):
    """A member of a council; their half-done scores are kept as a draft (`review.drafts`)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="research_councils")
    role = models.CharField(_("role"), max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "user"], name="research_member_once")]

    def __str__(self) -> str:
        return str(self.user)


class ConflictDeclaration(TimeStampedModel):
    """An expert's declared conflict with an organisation (read by the review engine)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="research_conflicts")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)


class Criterion(models.Model):
    """A council's criterion (the review engine's `CriterionLike`)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("criterion"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    min_score = models.PositiveSmallIntegerField(default=0)
    max_score = models.PositiveSmallIntegerField(default=10)
    allow_not_applicable = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="research_criterion_once")]

    def __str__(self) -> str:
        return self.label


class GradeBand(models.Model):
    """A grade of the council's scale: a weighted score (0–100) from ``min_score`` earns it."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="grades")
    label = models.CharField(_("grade"), max_length=60)
    min_score = models.DecimalField(_("from score"), max_digits=5, decimal_places=2)
    passing = models.BooleanField(_("passing"), default=True)

    class Meta:
        ordering = ["-min_score"]

    def __str__(self) -> str:
        return self.label


class CouncilScore(TimeStampedModel):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scores = models.JSONField(default=dict)
    total = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=2, null=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "member"], name="research_score_once")]


class Report(TimeStampedModel):
    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Periodic report")
        INSPECTION = "inspection", _("Inspection")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERIODIC)
    dated = models.DateField(_("dated"))
    summary = models.TextField(_("summary"))
    evidence = models.FileField(_("evidence"), upload_to=generated_upload_path("research/reports"), blank=True, max_length=200)
    evidence_name = models.CharField(max_length=200, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-dated", "-id"]


class ContractChange(TimeStampedModel):
    class Kind(models.TextChoices):
        EXTENSION = "extension", _("Extension")
        BUDGET = "budget", _("Budget change")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    new_end = models.DateField(_("new end date"), null=True, blank=True)
    new_total = MoneyField(_("new approved total"), null=True, blank=True)
    approved = models.BooleanField(_("approved"), default=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Output(TimeStampedModel):
    class Kind(models.TextChoices):
        PRODUCT = "product", _("Product")
        PROTOTYPE = "prototype", _("Prototype")
        PROCESS = "process", _("Process")
        PATENT = "patent", _("Patent or other IP")
        PUBLICATION = "publication", _("Publication")
        SOFTWARE = "software", _("Software")
        DATA = "data", _("Data")

    class IpStatus(models.TextChoices):
        NONE = "none", _("No IP filed")
        FILED = "filed", _("Filed")
        GRANTED = "granted", _("Granted")
        EXPIRED = "expired", _("Expired")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    trl = models.PositiveSmallIntegerField(_("TRL"), choices=TRL_CHOICES, validators=TRL_VALIDATORS, null=True, blank=True)
    ip_status = models.CharField(_("IP status"), max_length=10, choices=IpStatus.choices, default=IpStatus.NONE)
    ip_number = models.CharField(_("IP number"), max_length=60, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    granted_on = models.DateField(_("granted on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Offer(TimeStampedModel):
    """A technology offered on the marketplace (a task's output, or an institute's own)."""

    title = models.CharField(_("title"), max_length=400)
    summary = models.TextField(_("non-confidential summary"))
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="technology_offers",
                                     verbose_name=_("offered by"))
    output = models.ForeignKey(Output, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers")
    trl = models.PositiveSmallIntegerField(_("TRL"), choices=TRL_CHOICES, validators=TRL_VALIDATORS, null=True, blank=True)
    ip_status = models.CharField(_("IP status"), max_length=10, choices=Output.IpStatus.choices, default=Output.IpStatus.NONE)
    licence_terms = models.TextField(_("licence terms"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    published = models.BooleanField(_("published"), default=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Need(TimeStampedModel):
    """A technology an enterprise is looking for: published by staff, or posted by a member of
    the enterprise and public only once an officer has approved it (``moderation``)."""

    class Moderation(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not published")

    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"))
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="technology_needs",
                                     verbose_name=_("enterprise"))
    published = models.BooleanField(_("published"), default=True, db_index=True)
    field = models.CharField(_("field"), max_length=120, blank=True)
    min_trl = models.PositiveSmallIntegerField(_("lowest TRL wanted"), choices=TRL_CHOICES, validators=TRL_VALIDATORS, null=True, blank=True)
    budget = MoneyField(_("budget it can spend"), null=True, blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    moderation = models.CharField(_("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.APPROVED, db_index=True)
    moderation_note = models.CharField(_("reason"), max_length=500, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("posted by"))

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Interest(TimeStampedModel):
    class State(models.TextChoices):
        EXPRESSED = "expressed", _("Interested")
        DECLINED = "declined", _("Declined")

    class DeclineReason(models.TextChoices):
        TOO_EARLY = "too_early", _("Too early")
        BENEFIT_UNCLEAR = "benefit_unclear", _("Benefit unclear")
        ROUTE_UNCLEAR = "route_unclear", _("Route to market unclear")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="research_interests")
    need = models.ForeignKey(Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="interests")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.EXPRESSED)
    message = models.TextField(_("message"), blank=True)
    decline_reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["offer", "user"], name="research_interest_once")]


class TransferDeal(TimeStampedModel):
    class Kind(models.TextChoices):
        LICENCE = "licence", _("Licence")
        ASSIGNMENT = "assignment", _("Assignment")
        JOINT_VENTURE = "joint_venture", _("Joint venture")
        SPIN_OFF = "spin_off", _("Spin-off")

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="deals")
    buyer = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT, related_name="technology_deals",
                              verbose_name=_("buyer or licensee"))
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    signed_on = models.DateField(_("signed on"))
    value = MoneyField(_("value"), default=0)
    royalty_percent = models.DecimalField(_("royalty (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    paid = MoneyField(_("paid so far"), default=0)
    spin_off = models.ForeignKey("directory.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="spun_off_from", verbose_name=_("spin-off company"))
    in_production = models.BooleanField(_("in production"), default=False)
    revenue = MoneyField(_("revenue from it"), default=0)
    jobs = models.PositiveIntegerField(_("jobs created"), default=0)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
