"""Writes of the Q&A service, one module per sub-domain: `intake` (asking: text and
attachments checked, rate limits, tracking codes), `handling` (the one transition service,
assignment, routing, notes, merging, rejection), `answers` (drafting, editing, citing,
submitting, returning, correcting), `publication` (redaction, publishing, telling the
asker), `feedback` (readers' ratings), `knowledge_base` (documents, versions, ingestion).
Each service is one transaction, checks who may act, logs an ``activity`` event for every
change of state and queues e-mail after commit. Callers import from this package.
"""

from __future__ import annotations

from innohub.qa.services.answers import (
    MAX_SOURCES,
    answer_edit,
    answer_source_add,
    question_correct,
    question_draft,
    question_return,
    question_submit,
)
from innohub.qa.services.base import (
    ASK_LIMIT_PER_ACCOUNT_PER_HOUR,
    ASK_LIMIT_PER_HOUR,
    MAX_ATTACHMENT_BYTES,
    MAX_QUESTION_CHARS,
    MIN_QUESTION_CHARS,
    QUESTION_FIELDS,
)
from innohub.qa.services.feedback import (
    FEEDBACK_LIMIT_PER_HOUR,
    MAX_FEEDBACK_CHARS,
    answer_feedback_give,
    feedback_comment_checked,
    feedback_reader,
)
from innohub.qa.services.handling import (
    question_assign,
    question_managers,
    question_merge,
    question_note_add,
    question_reject,
    question_reroute,
    question_staff_notify,
    question_transition,
)
from innohub.qa.services.intake import (
    attachment_name,
    check_attachment,
    clean_text,
    question_ask,
    question_text_checked,
    required_text,
)
from innohub.qa.services.knowledge_base import (
    PROGRESS_EXTRACTED,
    PROGRESS_READ,
    PROGRESS_SAVING,
    PROGRESS_SPLIT,
    PROGRESS_STEP,
    Resplit,
    document_file_kind,
    knowledge_changed,
    knowledge_document_ingest,
    knowledge_document_reinstate,
    knowledge_document_resplit,
    knowledge_document_upload,
    knowledge_document_withdraw,
)
from innohub.qa.services.publication import (
    normalize_lines,
    public_question_proposal,
    question_publish,
    redact,
    without_introductions,
)

__all__ = [
    "ASK_LIMIT_PER_ACCOUNT_PER_HOUR",
    "ASK_LIMIT_PER_HOUR",
    "FEEDBACK_LIMIT_PER_HOUR",
    "MAX_ATTACHMENT_BYTES",
    "MAX_FEEDBACK_CHARS",
    "MAX_QUESTION_CHARS",
    "MAX_SOURCES",
    "MIN_QUESTION_CHARS",
    "PROGRESS_EXTRACTED",
    "PROGRESS_READ",
    "PROGRESS_SAVING",
    "PROGRESS_SPLIT",
    "PROGRESS_STEP",
    "QUESTION_FIELDS",
    "Resplit",
    "answer_edit",
    "answer_feedback_give",
    "answer_source_add",
    "attachment_name",
    "check_attachment",
    "clean_text",
    "document_file_kind",
    "feedback_comment_checked",
    "feedback_reader",
    "knowledge_changed",
    "knowledge_document_ingest",
    "knowledge_document_reinstate",
    "knowledge_document_resplit",
    "knowledge_document_upload",
    "knowledge_document_withdraw",
    "normalize_lines",
    "public_question_proposal",
    "question_ask",
    "question_assign",
    "question_correct",
    "question_draft",
    "question_managers",
    "question_merge",
    "question_note_add",
    "question_publish",
    "question_reject",
    "question_reroute",
    "question_return",
    "question_staff_notify",
    "question_submit",
    "question_text_checked",
    "question_transition",
    "redact",
    "required_text",
    "without_introductions",
]
