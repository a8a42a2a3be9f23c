"""What the audit log shows a reader for what it stores.

Events keep their action as a stable code (`organisation.claimed`) and their object as a
content type; the pages show a translated label for each. An action nobody has named
yet reads as its code, so a new service's events are never hidden, only untranslated.
Workflow steps are named here too (`application.submit`, `question.publish`): their
events are written as `<entity>.<step code>`.

An object's label is stored as text, in Vietnamese, as it read when the event was
written. An amount of đồng in it ("55.000.000 ₫", or "55,000,000 ₫" as awards once
wrote it) is shown in the reader's money format ("55,000,000 VND" on English pages).
"""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from innohub.core.money import format_vnd

ACTION_LABELS = {
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
    "application.started": _("Application started"),
    "application.saved": _("Application saved"),
    "application.file_attached": _("File attached to an application"),
    "application.file_removed": _("File removed from an application"),
    "application.message_posted": _("Message posted on an application"),
    "application.rank": _("Application ranked"),
    "application.submit": _("Application submitted"),
    "application.resubmit": _("Application resubmitted"),
    "application.start_check": _("Eligibility check started"),
    "application.return": _("Application returned for information"),
    "application.accept": _("Application accepted for review"),
    "application.mark_ineligible": _("Application found ineligible"),
    "application.approve": _("Application approved"),
    "application.reject": _("Application rejected"),
    "application.contract": _("Contract signed"),
    "application.start": _("Support started"),
    "application.complete": _("Support completed"),
    "application.terminate": _("Support terminated"),
    "application.withdraw": _("Application withdrawn"),
    "award.approved": _("Award approved"),
    "award.created": _("Award granted"),
    "call.ranked": _("Call's applications ranked"),
    "call.reviewers_assigned": _("Reviewers assigned"),
    "cohort.created": _("Cohort created"),
    "cohort.mentor_added": _("Mentor added to a cohort"),
    "cohort.session_added": _("Session added to a cohort"),
    "cohort.startup_added": _("Startup added to a cohort"),
    "disbursement.recorded": _("Disbursement recorded"),
    "formdefinition.versioned": _("New version of a form"),
    "indicator_framework.created": _("Indicator framework created"),
    "indicator_framework.spec_changed": _("Indicator framework changed"),
    "indicator_framework.english_filled": _("English added to the indicator framework"),
    "indicator_run.created": _("Index calculation started"),
    "indicator_run.failed": _("Index calculation failed"),
    "indicator_run.succeeded": _("Index calculated"),
    "indicator_run.uncertainty_requested": _("Sensitivity analysis requested"),
    "indicator_run.uncertainty_failed": _("Sensitivity analysis failed"),
    "indicator_run.uncertainty_succeeded": _("Sensitivity analysis finished"),
    "indicator_value.computed": _("Indicator values computed"),
    "indicator_value.imported": _("Indicator values imported"),
    "knowledge_document.uploaded": _("Document uploaded"),
    "knowledge_document.new_version": _("New version of a document uploaded"),
    "knowledge_document.file_replaced": _("Document's file replaced before it was read"),
    "knowledge_document.superseded": _("Document replaced by its new version"),
    "knowledge_document.ingested": _("Document added to the knowledge base"),
    "knowledge_document.failed": _("Document could not be read"),
    "knowledge_document.resplit": _("Document split into passages again"),
    "knowledge_document.withdrawn": _("Document withdrawn"),
    "knowledge_document.reinstated": _("Document reinstated"),
    "membership.added": _("Member added to an organisation"),
    "milestone.created": _("Milestone added"),
    "milestone.reported": _("Milestone reported"),
    "milestone.checked": _("Milestone checked"),
    "milestone.reminded": _("Milestone reminder sent"),
    "organisation.created": _("Organisation created"),
    "organisation.registered": _("Startup registered"),
    "organisation.claimed": _("Organisation claimed"),
    "organisation.updated": _("Organisation updated"),
    "organisation.edit_proposed": _("Change to an organisation proposed"),
    "organisation.change_approved": _("Proposed change approved"),
    "organisation.verified": _("Organisation verified"),
    "organisation.imported": _("Organisation imported"),
    "organisation.import_finished": _("Directory import finished"),
    "organisation.logo_changed": _("Logo changed"),
    "organisation.merged": _("Organisations merged"),
    "organisation.restored": _("Organisation restored"),
    "organisation.person_added": _("Person added to an organisation"),
    "organisation.person_left": _("Person left an organisation"),
    "organisation.relation_added": _("Relation added"),
    "organisation.relation_removed": _("Relation removed"),
    "person.created": _("Person created"),
    "programme.ceiling_set": _("Support ceiling set"),
    "public_holiday.filled": _("Public holiday added from the statutory calendar"),
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
    "review.submitted": _("Review submitted"),
    "review.conflict_declared": _("Conflict of interest declared"),
    "task.ran": _("Background task ran"),
    "user.created": _("Account created"),
    "user.role_changed": _("Role changed"),
}


def action_label(code: str) -> str:
    """The reader's label for an action code, or the code itself when it has none."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def target_type_label(content_type: ContentType | None) -> str:
    """The kind of object in the reader's language ("Tổ chức"), from the model's
    verbose_name; the stored `app.model` when the model no longer exists."""
    if content_type is None:
        return ""
    model = content_type.model_class()
    if model is None:
        return f"{content_type.app_label}.{content_type.model}"
    return capfirst(str(model._meta.verbose_name))


# Digits grouped by thousands with one kind of separator, or plain digits, before a ₫ sign.
_AMOUNT_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:([.,])\d{3})(?:\2\d{3})*|\d+)[ \u00a0]?₫")


def amounts_in_reader_format(text: str) -> str:
    """Every amount of đồng in a stored label, in the active language's money format."""
    if "₫" not in text:
        return text
    return _AMOUNT_RE.sub(lambda m: format_vnd(int(re.sub(r"[.,]", "", m.group(1)))), text)
