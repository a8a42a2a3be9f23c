"""Administration of programmes: stages and ceilings, calls, forms, rubrics, workflows, cohorts.

Applications, reviews, awards and payments change only through the services (audited, with
their rules), so the admin shows them read-only.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from innohub.core.admin import AuditedModelAdmin, ReadOnlyAdmin
from innohub.forms import schema_problems
from innohub.forms.kinds import form_kind_get
from innohub.forms.services import form_version_write
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


# the engine's validation, under the name the admin and its tests know
form_schema_problems = schema_problems


class FormDefinitionForm(forms.ModelForm):
    class Meta:
        model = models.FormDefinition
        fields = ["code", "version", "title", "schema"]

    def clean_schema(self):
        schema = self.cleaned_data["schema"]
        problems = form_schema_problems(schema)
        if problems:
            raise forms.ValidationError(problems)
        return schema


class FrozenWhenUsedAdmin(AuditedModelAdmin):
    """A versioned definition that an application uses is shown read-only (every field of its form).

    ``used_by`` is the Application lookup that reaches the definition."""

    used_by: str

    def in_use(self, obj) -> bool:
        return models.Application.objects.filter(**{self.used_by: obj}).exists()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and self.in_use(obj):
            return list(self.form._meta.fields)
        return []


@admin.register(models.FormDefinition)
class FormDefinitionAdmin(FrozenWhenUsedAdmin):
    """A version used by an application is frozen; "new version" copies it to edit."""

    form = FormDefinitionForm
    list_display = ["title", "code", "version", "created_at"]
    actions = ["new_version"]
    used_by = "form"

    @admin.action(description=_("Create a new version to edit"))
    def new_version(self, request, queryset):
        # the forms editor's one way of writing a version: next number under a lock, audited
        kind = form_kind_get("application")
        for definition in queryset:
            form_version_write(kind=kind, code=definition.code, title=definition.title, base=definition, actor=request.user,
                               schema_text=json.dumps(definition.schema, ensure_ascii=False))


class CriterionInline(admin.TabularInline):
    model = models.Criterion
    extra = 0


@admin.register(models.Rubric)
class RubricAdmin(AuditedModelAdmin):
    list_display = ["name", "created_at"]
    inlines = [CriterionInline]


class WorkflowForm(forms.ModelForm):
    class Meta:
        model = models.Workflow
        fields = ["code", "version", "name", "definition"]

    def clean_definition(self):
        from innohub.programs.workflows import workflow_problems

        definition = self.cleaned_data["definition"]
        problems = workflow_problems(definition)
        if problems:
            raise forms.ValidationError(problems)
        return definition


@admin.register(models.Workflow)
class WorkflowAdmin(FrozenWhenUsedAdmin):
    form = WorkflowForm
    list_display = ["name", "code", "version"]
    used_by = "call__workflow"


@admin.register(models.Call)
class CallAdmin(AuditedModelAdmin):
    list_display = ["title", "programme", "year", "opens_at", "closes_at", "budget", "awarded_total"]
    list_filter = ["programme", "year"]
    readonly_fields = ["awarded_total"]


@admin.register(models.ReviewerProfile)
class ReviewerProfileAdmin(AuditedModelAdmin):
    list_display = ["user", "capacity", "active"]
    filter_horizontal = ["sectors"]


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
