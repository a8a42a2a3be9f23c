"""The base model every innohub model extends (timestamps, nothing else), and the one
model every module shares: the public holidays its working-day deadlines skip."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PublicHoliday(TimeStampedModel):
    """A day off by law or by the city's decision; deadlines in working days skip it
    (`core.calendar`). Administrators keep the list in /admin/."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
