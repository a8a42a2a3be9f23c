"""Administration of frameworks, units and values; runs and their results are read-only here."""

from __future__ import annotations

from django.contrib import admin

from innohub.core.admin import AuditedModelAdmin
from innohub.indicators.models import Aggregate, Framework, Indicator, Run, Unit, Value


class AggregateInline(admin.TabularInline):
    model = Aggregate
    extra = 0
    fk_name = "framework"


@admin.register(Framework)
class FrameworkAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "version", "is_published")
    search_fields = ("code", "name", "name_en")
    inlines = [AggregateInline]


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "framework", "parent", "source", "weight", "direction")
    list_filter = ("framework", "source")
    search_fields = ("code", "name", "name_en")


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "province", "commune")
    raw_id_fields = ("province", "commune", "former_district")
    search_fields = ("code", "name", "name_en")


@admin.register(Value)
class ValueAdmin(AuditedModelAdmin):
    list_display = ("indicator", "unit", "year", "value", "source")
    list_filter = ("source", "year", "indicator__framework")
    list_select_related = ("indicator", "unit")


@admin.register(Run)
class RunAdmin(AuditedModelAdmin):
    list_display = ("id", "framework", "year_from", "year_to", "status", "uncertainty_status", "created_at")
    list_filter = ("status", "framework")
    readonly_fields = [f.name for f in Run._meta.fields]

    def has_add_permission(self, request):
        return False
