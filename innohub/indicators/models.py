"""The ecosystem performance index in the database: frameworks (a versioned pipeline spec and
the indicator tree), units and their groups, values by unit, indicator and year (imported or
computed from the platform's records), and the runs of the engine with everything they produced:
scores and ranks at every level, the uncertainty of each unit's rank and the sensitivity of the
ranking to each uncertain choice.

A run keeps a snapshot of the spec and the framework it ran with, so its results can still be
traced after the framework changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innohub.core.i18n import in_language
from innohub.core.models import TimeStampedModel


class Framework(TimeStampedModel):
    """An index: its indicator tree, its pipeline spec and its uncertainty set-up, versioned."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    spec = models.JSONField(_("pipeline spec"), default=dict)
    uncertainty = models.JSONField(_("uncertainty analysis set-up"), default=dict, blank=True)
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return f"{self.display_name} (v{self.version})"

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)

    @property
    def display_description(self) -> str:
        return in_language(self.description, self.description_en)


class Aggregate(models.Model):
    """A node above the indicators: a pillar (level 2), sub-index, or the index (the top)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="aggregates")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    weight = models.FloatField(_("weight"), default=1.0)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "-level", "order", "code"]
        verbose_name = _("aggregate")
        verbose_name_plural = _("aggregates")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicators_aggregate_code_unique"),
            models.CheckConstraint(condition=Q(level__gte=2), name="indicators_aggregate_level_min_2"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="indicators_aggregate_weight_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.display_name}"

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)


class Indicator(models.Model):
    class Source(models.TextChoices):
        IMPORTED = "imported", _("Imported statistics")
        COMPUTED = "computed", _("Computed from the platform's records")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    parent = models.ForeignKey(Aggregate, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("pillar"))
    measure = models.CharField(_("unit of measure (Vietnamese)"), max_length=60, blank=True)
    measure_en = models.CharField(_("unit of measure (English)"), max_length=60, blank=True)
    direction = models.SmallIntegerField(_("direction"), default=1, help_text=_("1: higher is better; -1: lower is better"))
    additive = models.BooleanField(
        _("count or amount"), default=False,
        help_text=_("A count or an amount (papers, contracts, billion VND): a former district's figure is divided "
                    "among today's communes. A rate or score is given whole to each of them."),
    )
    weight = models.FloatField(_("weight"), default=1.0)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.IMPORTED)
    calculator = models.CharField(_("platform calculation"), max_length=60, blank=True)
    source_note = models.CharField(_("source of the data (Vietnamese)"), max_length=255, blank=True)
    source_note_en = models.CharField(_("source of the data (English)"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "parent__order", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicators_indicator_code_unique"),
            models.CheckConstraint(condition=Q(direction__in=[1, -1]), name="indicators_indicator_direction"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="indicators_indicator_weight_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.display_name}"

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)

    @property
    def display_measure(self) -> str:
        return in_language(self.measure, self.measure_en)

    @property
    def display_source_note(self) -> str:
        return in_language(self.source_note, self.source_note_en)


class Unit(TimeStampedModel):
    """A unit of comparison at any level: a commune of the city or a province since 1 July 2025,
    a former district (history, for years before), a peer city or a country. Commune units get
    the indicators computed from the platform's records (organisations are placed by commune)."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Ward or commune")
        PROVINCE = "province", _("Province")
        FORMER_DISTRICT = "former_district", _("Former district (before July 2025)")
        CITY = "city", _("City")
        COUNTRY = "country", _("Country")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMUNE)
    province = models.ForeignKey(
        "places.Province", to_field="code", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("province"),
    )
    commune = models.ForeignKey(
        "places.Commune", to_field="code", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ward or commune"),
        help_text=_("Where the platform's records (organisations, awards, questions) are counted for this unit."),
    )
    former_district = models.ForeignKey(
        "places.FormerDistrict", to_field="code", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("former district (before July 2025)"),
    )
    groups = models.JSONField(_("groups"), default=dict, blank=True, help_text=_('e.g. {"area": "urban"}'))

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)


class Value(TimeStampedModel):
    class Source(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        COMPUTED = "computed", _("Computed")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["indicator", "unit", "year"]
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator", "year"], name="indicators_value_unique"),
        ]
        indexes = [models.Index(fields=["indicator", "year"])]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_id}/{self.year} = {self.value}"


class Run(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="runs")
    framework_version = models.PositiveIntegerField(_("framework version"))
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("to year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    spec = models.JSONField(_("spec snapshot"), default=dict)
    framework_snapshot = models.JSONField(_("framework snapshot"), default=dict)
    trace = models.JSONField(_("trace"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    # the same problems kept with their codes, so that each reader gets them in their language
    error_problems = models.JSONField(_("error, as problems"), default=list, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    uncertainty_status = models.CharField(
        _("uncertainty analysis"), max_length=20, choices=Status.choices, blank=True, default=""
    )
    uncertainty_setup = models.JSONField(_("uncertainty set-up"), default=dict, blank=True)
    uncertainty_error = models.TextField(_("uncertainty error"), blank=True)
    uncertainty_error_problems = models.JSONField(_("uncertainty error, as problems"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        constraints = [
            models.CheckConstraint(condition=Q(year_to__gte=models.F("year_from")), name="indicators_run_years_ordered"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.framework.code} {self.year_from}–{self.year_to}"

    @property
    def error_shown(self) -> str:
        """Why the run failed, in the reader's language (runs that failed before the problems
        were kept with their codes show their stored English text)."""
        return _problems_shown(self.error_problems, self.error)

    @property
    def uncertainty_error_shown(self) -> str:
        return _problems_shown(self.uncertainty_error_problems, self.uncertainty_error)


def _problems_shown(stored: list, text: str) -> str:
    from innohub.indicators.problems import problems_read

    return "\n".join(problems_read(stored)) if stored else text


class Result(models.Model):
    """A unit's score and rank for one code (indicator, pillar or index) in one year of a run."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="results")
    code = models.CharField(_("code"), max_length=40)
    level = models.PositiveSmallIntegerField(_("level"))
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.FloatField(_("score"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        ordering = ["run", "year", "code", "rank"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["run", "unit", "code", "year"], name="indicators_result_unique"),
        ]
        indexes = [models.Index(fields=["run", "year", "level"])]

    def __str__(self) -> str:
        return f"{self.code} {self.year}: {self.score} (#{self.rank})"


class UncertaintyResult(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="uncertainty_results")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    nominal_rank = models.PositiveIntegerField(_("nominal rank"))
    median_rank = models.FloatField(_("median rank"))
    rank_p5 = models.FloatField(_("5th percentile rank"))
    rank_p95 = models.FloatField(_("95th percentile rank"))

    class Meta:
        ordering = ["run", "nominal_rank"]
        verbose_name = _("uncertainty result")
        verbose_name_plural = _("uncertainty results")
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="indicators_uncertainty_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.median_rank} [{self.rank_p5}, {self.rank_p95}]"


class SensitivityIndex(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="sensitivity_indices")
    choice = models.CharField(_("uncertain choice"), max_length=40)
    first_order = models.FloatField(_("first-order index"), null=True)
    total = models.FloatField(_("total index"), null=True)
    # 95% bootstrap intervals, the runs behind them, and whether the estimate is too uncertain to read
    first_low = models.FloatField(null=True)
    first_high = models.FloatField(null=True)
    total_low = models.FloatField(null=True)
    total_high = models.FloatField(null=True)
    base_runs = models.PositiveIntegerField(null=True)
    runs = models.PositiveIntegerField(null=True)
    wide = models.BooleanField(default=False)

    class Meta:
        ordering = ["run", "-total"]
        verbose_name = _("sensitivity index")
        verbose_name_plural = _("sensitivity indices")
        constraints = [models.UniqueConstraint(fields=["run", "choice"], name="indicators_sensitivity_unique")]

    def __str__(self) -> str:
        return f"{self.choice}: {self.first_order} / {self.total}"


class RunChart(models.Model):
    """A chart of a run's pages drawn once (SVG), by a key naming the chart, its language and
    the drawing's version: every gunicorn worker reads it instead of drawing it again, and a new
    run (new data) has charts of its own, so nothing stale is shown."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="charts")
    key = models.CharField(max_length=200)
    svg = models.TextField()

    class Meta:
        verbose_name = _("chart of a run")
        verbose_name_plural = _("charts of runs")
        constraints = [models.UniqueConstraint(fields=["run", "key"], name="indicators_runchart_unique")]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.key}"
