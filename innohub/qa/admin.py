"""Administration of the Q&A service's configuration (units, topics, holidays) and a
read-mostly view of questions and documents; edits are audited."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innohub.core.admin import AuditedModelAdmin
from innohub.core.errors import ApplicationError
from innohub.qa import forms, selectors, services
from innohub.qa.models import (
    Answer,
    KnowledgeDocument,
    Passage,
    PublicHoliday,
    Question,
    Topic,
    Unit,
)


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_en", "email")
    search_fields = ("code", "name", "name_en")


@admin.register(Topic)
class TopicAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "name_en", "unit", "answer_working_days", "order")
    list_editable = ("order",)


@admin.register(PublicHoliday)
class PublicHolidayAdmin(AuditedModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"

    def get_urls(self):
        fill = path("fill/", self.admin_site.admin_view(self.fill_view), name="qa_publicholiday_fill")
        return [fill, *super().get_urls()]

    def fill_view(self, request: HttpRequest) -> HttpResponse:
        """A year's statutory holidays, shown first (those not yet configured) and added on
        confirmation: the administrator then corrects what the city decides otherwise."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        default_year = next(iter(selectors.years_without_holidays(today=today)), today.year + 1)
        form = forms.HolidayYearForm(request.POST or request.GET or {"year": default_year})
        missing: list[PublicHoliday] = []
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                if request.method == "POST":
                    added = services.public_holidays_fill(year=year, actor=request.user)
                    if added:
                        messages.success(request, ngettext(
                            "%(count)d public holiday of %(year)s added.", "%(count)d public holidays of %(year)s added.", len(added),
                        ) % {"count": len(added), "year": year})
                    else:
                        messages.info(request, _("Every statutory public holiday of %(year)s is already configured.") % {"year": year})
                    return redirect(f"{reverse('admin:qa_publicholiday_changelist')}?date__year={year}")
                missing = services.public_holidays_fill(year=year, actor=request.user, dry_run=True)
            except ApplicationError as exc:
                form.add_error("year", str(exc.message))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Add a year's statutory public holidays"),
            "form": form,
            "missing": missing,
        }
        return TemplateResponse(request, "admin/qa/publicholiday/fill.html", context)


@admin.register(Question)
class QuestionAdmin(AuditedModelAdmin):
    list_display = ("tracking_code", "topic", "state", "due_date", "assignee", "created_at")
    list_filter = ("state", "topic")
    search_fields = ("tracking_code", "asker_email", "text")
    readonly_fields = ("tracking_code", "state", "asker", "asker_email", "text", "attachment", "attachment_name", "submitted_ip", "closed_at", "answer_emailed_at")


class PassageInline(admin.TabularInline):
    model = Passage
    extra = 0
    fields = ("order", "article", "clause", "page", "text")
    readonly_fields = fields
    can_delete = False


@admin.register(KnowledgeDocument)
class KnowledgeDocumentAdmin(AuditedModelAdmin):
    list_display = ("title", "number", "version", "status", "progress")
    search_fields = ("title", "number")
    readonly_fields = ("version", "status", "progress", "error", "file", "file_kind")
    inlines = [PassageInline]


@admin.register(Answer)
class AnswerAdmin(AuditedModelAdmin):
    list_display = ("question", "generator", "flagged", "published_at")
    readonly_fields = ("question", "approved_by", "approved_at", "published_at")
