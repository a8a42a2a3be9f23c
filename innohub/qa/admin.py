"""Administration of the Q&A service's configuration (units, topics) and a
read-mostly view of questions and documents; edits are audited."""

from django.contrib import admin

from innohub.core.admin import AuditedModelAdmin
from innohub.qa.models import (
    Answer,
    KnowledgeDocument,
    Passage,
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
