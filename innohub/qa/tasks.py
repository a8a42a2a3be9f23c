"""Background work of the Q&A service. Tasks take ids, call services and are safe to run
twice: each e-mail and reminder is recorded once sent (`receipt_emailed_at`,
`answer_emailed_at`, `reminded_on`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from innohub.qa import selectors, services


@task(queue_name="email")  # only e-mails: their own queue (settings.TASK_QUEUES)
def email_receipt(question_id: int) -> bool:
    return services.question_receipt_email(question_id=question_id)


@task(queue_name="email")  # only e-mails: their own queue (settings.TASK_QUEUES)
def email_asker(question_id: int) -> bool:
    return services.question_outcome_email(question_id=question_id)


@task()
def ingest_document(document_id: int, version: int | None = None) -> str:
    """Split an uploaded document into passages, then rebuild the search indexes."""
    from innohub.qa import search

    document = services.knowledge_document_ingest(document_id=document_id, version=version)
    if document is not None and document.status == "ready":
        search.index_rebuild()
        services.knowledge_changed()  # the passage vectors follow
    return document.status if document is not None else "skipped"


EMBED_PROGRESS_KEY = "qa:embed:progress"


@task()
def embed_knowledge() -> int:
    """Encode the knowledge base for dense retrieval; progress in the cache for the
    knowledge-base page. Vectors already saved for unchanged passages are reused, so a
    second run costs nothing."""
    from django.core.cache import cache

    from innohub.qa import search

    def progress(done: int, total: int) -> None:
        cache.set(EMBED_PROGRESS_KEY, {"done": done, "total": total}, timeout=3600)

    count = search.embed("kb", progress=progress)
    cache.set(EMBED_PROGRESS_KEY, {"done": count, "total": count}, timeout=3600)
    return count


@task()
def embed_answers() -> int:
    """Encode the published answers without a vector (after a publication), for readers
    searching on the English pages."""
    from innohub.qa import search

    return search.embed("faq")


@task()
def remind_due_question(question_id: int) -> bool:
    return services.question_remind(question_id=question_id)


@task()
def remind_due_questions() -> int:
    """Queue one reminder per open question due by the next working day, or late, not yet
    reminded today (run daily: `manage.py send_reminders`)."""
    ids = selectors.questions_to_remind(today=timezone.localdate())
    for pk in ids:
        remind_due_question.enqueue(question_id=pk)
    return len(ids)


@task()
def estimate_fusion_weights() -> int:
    """Choose each knowledge-base collection's fusion weight again from the passages
    officers cited in published answers (queued after each publication); the number of
    collections estimated. Each choice is recorded (FusionEstimate) and audited."""
    from innohub.qa import search

    return len(search.fusion_reestimate())
