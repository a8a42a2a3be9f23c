"""Ecosystem actors: organisations of the triple helix and the sectors they work in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from innohub.core.models import TimeStampedModel
from innohub.core.text import search_key


class Sector(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        STARTUP = "startup", _("Startup")
        ACADEMIA = "academia", _("University or institute")
        ENTERPRISE = "enterprise", _("Enterprise")
        INVESTOR = "investor", _("Investor")
        GOVERNMENT = "government", _("Government body")
        SUPPORT = "support", _("Support organisation")
        PARTNER = "partner", _("International partner")

    class Helix(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")
        ACADEMIA = "academia", _("Academia")

    class Stage(models.TextChoices):
        IDEA = "idea", _("Idea")
        PRE_INCUBATION = "pre_incubation", _("Pre-incubation")
        INCUBATION = "incubation", _("Incubation")
        ACCELERATION = "acceleration", _("Acceleration")
        GROWTH = "growth", _("Growth")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    helix = models.CharField(_("triple-helix side"), max_length=10, choices=Helix.choices)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    district = models.CharField(_("district"), max_length=80, blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    country = models.CharField(_("country"), max_length=2, default="VN", db_index=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="organisations", verbose_name=_("sectors"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True, db_index=True)
    team_size = models.PositiveIntegerField(_("team size"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=~Q(tax_code=""), name="uniq_org_tax_code_when_present"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_search_text(self) -> None:
        """Folded, lower-case name forms that search matches against (see core.text)."""
        self.search_text = " ".join(
            search_key(part) for part in (self.name, self.name_en, self.short_name) if part
        )
