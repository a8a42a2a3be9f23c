"""Administrative units as reference data (loaded from the pinned package by `reference.py`).

Since 1 July 2025 Vietnam has two levels of local government: 34 provinces (``Province``) and
3,321 communes (``Commune``: phường, xã, đặc khu). Every statistic and address before that date
uses the three-level map of 63 provinces, their districts (quận, huyện, thị xã, thành phố thuộc
tỉnh) and wards (phường, xã, thị trấn); they are kept as ``FormerProvince``, ``FormerDistrict``
and ``FormerWard`` with the new units each became. Codes are the General Statistics Office's;
old and new codes overlap (HCMC is 79 before and after), hence separate tables.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """A province or centrally-run city since 1 July 2025."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=80)
    short_name = models.CharField(_("short name"), max_length=60)
    folded = models.CharField(max_length=80, editable=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune-level unit since 1 July 2025 (phường, xã or đặc khu). ``former_province`` and
    ``former_district`` are where most of its former wards lay: the "former area" that groups
    communes of a merged province (HCMC with Bình Dương and Bà Rịa–Vũng Tàu)."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province"))
    name = models.CharField(_("name"), max_length=80)
    short_name = models.CharField(_("short name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20)
    folded = models.CharField(max_length=80, editable=False, db_index=True)
    former_province = models.ForeignKey(
        "FormerProvince", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("former province")
    )
    former_district = models.ForeignKey(
        "FormerDistrict", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("former district")
    )

    class Meta:
        ordering = ["province__code", "name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name


class FormerProvince(models.Model):
    """One of the 63 provinces before 1 July 2025 and the province it is part of now."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=80)
    short_name = models.CharField(_("short name"), max_length=60)
    folded = models.CharField(max_length=80, editable=False, db_index=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="former_provinces", verbose_name=_("now part of"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("former province")
        verbose_name_plural = _("former provinces")

    def __str__(self) -> str:
        return self.name


class FormerDistrict(models.Model):
    """A district-level unit abolished on 1 July 2025 and the communes its area now lies in."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    former_province = models.ForeignKey(FormerProvince, on_delete=models.PROTECT, related_name="districts", verbose_name=_("former province"))
    name = models.CharField(_("name"), max_length=80)
    short_name = models.CharField(_("short name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20)
    folded = models.CharField(max_length=80, editable=False, db_index=True)
    communes = models.ManyToManyField(Commune, related_name="former_districts", verbose_name=_("now in"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("former district")
        verbose_name_plural = _("former districts")

    def __str__(self) -> str:
        return self.name


class FormerWard(models.Model):
    """A ward-level unit before 1 July 2025. Most became part of one commune; a few were divided
    between several, one of which the official mapping names the default."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    district = models.ForeignKey(FormerDistrict, on_delete=models.PROTECT, related_name="wards", verbose_name=_("former district"))
    name = models.CharField(_("name"), max_length=80)
    short_name = models.CharField(_("short name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20)
    folded = models.CharField(max_length=80, editable=False, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="former_wards", verbose_name=_("now (mainly) in"))
    divided = models.BooleanField(_("divided between several communes"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("former ward")
        verbose_name_plural = _("former wards")

    def __str__(self) -> str:
        return self.name
