"""Administration of the Q&A service's configuration (units, topics) and a
read-mostly view of questions and documents; edits are audited."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from innohub.core.admin import AuditedModelAdmin, ReadOnlyAdmin
from innohub.qa.models import (
    Answer,
    FusionEstimate,
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
    list_display = ("title", "number", "collection", "version", "status", "progress")
    list_filter = ("collection", "status")
    search_fields = ("title", "number")
    readonly_fields = ("version", "status", "progress", "error", "file", "file_kind")
    inlines = [PassageInline]


@admin.register(Answer)
class AnswerAdmin(AuditedModelAdmin):
    list_display = ("question", "generator", "flagged", "published_at")
    readonly_fields = ("question", "approved_by", "approved_at", "published_at")


@admin.register(FusionEstimate)
class FusionEstimateAdmin(ReadOnlyAdmin):
    """Each collection's fusion weight as the background task chose it from officers'
    citations, with its evidence; the newest of each collection is the one in use."""

    list_display = ("collection", "lexical_share", "dense", "rule", "pairs", "cv_mrr", "bm25_mrr", "fusion_mrr", "created_at")
    list_filter = ("collection", "rule")
    fields = (
        "collection", "lexical_share", "rule", "pairs", "cv_mrr", "cv_low", "cv_high",
        "bm25_mrr", "fusion_mrr", "tuned_share", "fold_table", "created_at",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(boolean=True, description=_("dense vectors used"))
    def dense(self, obj: FusionEstimate) -> bool:
        return obj.dense

    @admin.display(description=_("figures per fold"))
    def fold_table(self, obj: FusionEstimate) -> str:
        if not obj.folds:
            return "—"
        header = format_html_join(
            "", "<th scope=\"col\">{}</th>",
            ((label,) for label in (_("fold"), _("pairs"), _("BM25 share chosen on the other folds"), _("MRR@10"), _("BM25 alone"), _("default fusion"))),
        )  # fmt: skip
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((f["fold"], f["pairs"], f["share"], f["mrr"], f["bm25_mrr"], f["fusion_mrr"]) for f in obj.folds),
        )
        return format_html_join("", "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", [(header, rows)])
