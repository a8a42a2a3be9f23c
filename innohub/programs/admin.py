"""Administration of programmes: stages and ceilings, calls, forms, rubrics, workflows, cohorts.

Applications, reviews, awards and payments change only through the services (audited, with
their rules), so the admin shows them read-only.
"""

from __future__ import annotations

from django.contrib import admin

from innohub.core.admin import AuditedModelAdmin
from innohub.programs import models


class CeilingInline(admin.TabularInline):
    model = models.StageCeiling
    extra = 0


@admin.register(models.Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = ["name", "stage", "order", "active"]
    inlines = [CeilingInline]


@admin.register(models.StageCeiling)
class StageCeilingAdmin(AuditedModelAdmin):
    list_display = ["programme", "year", "amount"]
    list_filter = ["programme"]


@admin.register(models.FormDefinition)
class FormDefinitionAdmin(AuditedModelAdmin):
    list_display = ["title", "code", "version", "created_at"]


class CriterionInline(admin.TabularInline):
    model = models.Criterion
    extra = 0


@admin.register(models.Rubric)
class RubricAdmin(AuditedModelAdmin):
    list_display = ["name", "created_at"]
    inlines = [CriterionInline]


@admin.register(models.Workflow)
class WorkflowAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "version"]


@admin.register(models.Call)
class CallAdmin(AuditedModelAdmin):
    list_display = ["title", "programme", "year", "opens_at", "closes_at", "budget", "awarded_total"]
    list_filter = ["programme", "year"]
    readonly_fields = ["awarded_total"]


@admin.register(models.ReviewerProfile)
class ReviewerProfileAdmin(AuditedModelAdmin):
    list_display = ["user", "capacity", "active"]
    filter_horizontal = ["sectors"]


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["reference", "organisation", "call", "state", "amount_requested", "score", "rank"]
    list_filter = ["state", "call"]
    search_fields = ["reference", "title", "organisation__name"]


@admin.register(models.Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["application", "reviewer", "state", "weighted_score"]
    list_filter = ["state"]


@admin.register(models.Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["application", "organisation", "stage", "amount", "disbursed_total"]


@admin.register(models.Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ["award", "amount", "paid_on", "key"]


class MentorInline(admin.TabularInline):
    model = models.CohortMentor
    extra = 0


class SessionInline(admin.TabularInline):
    model = models.CohortSession
    extra = 0


@admin.register(models.Cohort)
class CohortAdmin(AuditedModelAdmin):
    list_display = ["name", "hub", "stage", "starts_on", "ends_on"]
    filter_horizontal = ["startups"]
    inlines = [MentorInline, SessionInline]
