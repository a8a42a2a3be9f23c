"""Citizens' questions and answers: pages under /qa/, its API, demo data, and the daily reminder
of questions due soon or late."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.registry import ApiRouter, Demo, Reminder, UrlMount
from innohub.core.roles import STAFF_ROLES


class QaConfig(AppConfig):
    name = "innohub.qa"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Questions and answers")
    urls = UrlMount("innohub.qa.urls", prefix="qa/")
    api_router = ApiRouter("/qa/", "innohub.qa.api.router")
    nav_items = (
        NavItem("qa:faq", _("Questions & answers"), order=40),
        NavItem("qa:inbox", _("Question inbox"), roles=STAFF_ROLES, area="staff", order=50),
    )
    demo = Demo("innohub.qa.demo.seed", order=30, after=("accounts",))
    cached_views = ("qa:faq", "api-1:list_answers")  # innohub/core/page_cache.py
    reminders = (Reminder("question", "innohub.qa.tasks.remind_due_questions"),)
    action_labels = {
        "knowledge_document.uploaded": _("Document uploaded"),
        "knowledge_document.new_version": _("New version of a document uploaded"),
        "knowledge_document.file_replaced": _("Document's file replaced before it was read"),
        "knowledge_document.superseded": _("Document replaced by its new version"),
        "knowledge_document.ingested": _("Document added to the knowledge base"),
        "knowledge_document.failed": _("Document could not be read"),
        "knowledge_document.resplit": _("Document split into passages again"),
        "knowledge_document.withdrawn": _("Document withdrawn"),
        "knowledge_document.reinstated": _("Document reinstated"),
        "question.received": _("Question received"),
        "question.assign": _("Question assigned"),
        "question.reassigned": _("Question reassigned"),
        "question.rerouted": _("Question moved to another topic"),
        "question.draft": _("Answer drafted"),
        "question.answer_edited": _("Answer edited"),
        "question.source_added": _("Source added to an answer"),
        "question.submit": _("Answer sent for approval"),
        "question.return": _("Answer returned to its officer"),
        "question.correct": _("Published answer taken down for correction"),
        "question.publish": _("Answer approved for publication"),
        "question.answer_published": _("Answer published"),
        "question.reject": _("Question rejected as out of scope"),
        "question.merge": _("Question merged"),
        "question.noted": _("Note added to a question"),
        "question.feedback_given": _("A reader rated the answer"),
        "question.reminded": _("Question reminder sent"),
        "qa.fusion_estimated": _("Fusion weight of a knowledge-base collection estimated"),
    }
    # re-estimated for every collection after every publication: kept out of the dashboard's feed
    quiet_actions = ("qa.fusion_estimated",)
