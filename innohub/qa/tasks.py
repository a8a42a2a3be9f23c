"""Background work of the Q&A service. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from innohub.core.dates import format_date
from innohub.qa import workflows
from innohub.qa.models import Answer, Question
from innohub.qa.selectors import asker_answer_shown, track_path
from innohub.qa.workflows import OPEN_STATES

# an e-mail quotes at most this much of the question it is about
LETTER_QUESTION_CHARS = 1000


def _letter(question: Question, message: str, *, link_label: str, answer: Answer | None = None) -> str:
    """An e-mail to the asker, in the active language: addressed to them by name, what has
    happened, their question as they wrote it (so that they know which one), the answer with
    the documents it cites when there is one (read where the e-mail is opened, as published),
    the link to its page given once, and who writes."""
    text = question.text
    if len(text) > LETTER_QUESTION_CHARS:
        text = text[:LETTER_QUESTION_CHARS].rsplit(" ", 1)[0] + " …"
    return render_to_string("qa/email/asker_letter.txt", {
        "name": question.asker_name, "message": message, "code": question.tracking_code, "question": text,
        "answer": answer, "link_label": link_label, "url": f"{settings.SITE_URL}{track_path(question)}",
    }).strip() + "\n"


def answered_subject(question: Question, answer: Answer | None) -> str:
    """The subject telling the asker of the answer, in the active language: a correction once
    it was taken down and published again."""
    if answer is not None and answer.corrected_at:
        return _("The answer to your question %(code)s has been corrected") % {"code": question.tracking_code}
    return _("Your question %(code)s has an answer") % {"code": question.tracking_code}


def answer_text(answer: Answer) -> str:
    """A published answer as plain text, with the documents it cites: for the e-mail and the
    notification that tell the asker, in the active language."""
    return render_to_string("qa/email/_answer.txt", {"answer": answer}).strip()


@task()
def email_receipt(question_id: int) -> bool:
    """Confirm to the asker that the question was received: its tracking code, due date
    and where to follow it. Sent once, whatever the number of runs, and only while the
    question is open: once it is answered, rejected or merged (the worker was down, say),
    the e-mail about that outcome says it all."""
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",))
            .filter(pk=question_id, receipt_emailed_at__isnull=True, state__in=OPEN_STATES)
            .first()
        )
        if question is None or not question.asker_email:
            return False
        with translation.override(question.language):
            subject = _("Your question %(code)s has been received") % {"code": question.tracking_code}
            body = _letter(
                question,
                _("The department has received your question. Its tracking code is %(code)s; "
                  "the answer is due by %(date)s.") % {"code": question.tracking_code, "date": format_date(question.due_date)},
                link_label=_("Follow your question here:"),
            )
        send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[question.asker_email])
        question.receipt_emailed_at = timezone.now()
        question.save(update_fields=["receipt_emailed_at"])
    return True


@task()
def email_asker(question_id: int) -> bool:
    """Tell an asker known only by e-mail that the question was answered, rejected or merged."""
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",))
            .select_related("merged_into")
            .filter(pk=question_id, answer_emailed_at__isnull=True, state__in=workflows.states_with("published", "rejected", "merged"))
            .first()
        )
        if question is None:
            return False
        with translation.override(question.language):
            # The asker's own link: a merged question's page shows the answer it shares.
            if question.is_rejected:
                subject = _("Your question %(code)s") % {"code": question.tracking_code}
                reason = _("Your question is outside what the department can answer. Reason: %(reason)s") % {"reason": question.reject_reason}
                body = _letter(question, reason, link_label=_("Your question's page:"))
            else:
                answer = asker_answer_shown(question)
                subject = answered_subject(question, answer)
                if answer is not None and answer.corrected_at:
                    message = _("The department has corrected its answer to your question.")
                else:
                    message = _("The department has answered your question.")
                body = _letter(question, message, link_label=_("Read the answer here:"), answer=answer)
        send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[question.asker_email])
        question.answer_emailed_at = timezone.now()
        question.save(update_fields=["answer_emailed_at"])
    return True


@task()
def ingest_document(document_id: int, version: int | None = None) -> str:
    """Split an uploaded document into passages, then rebuild the search indexes."""
    from innohub.qa import search, services

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
    """Remind whoever holds an open question that it is due by the next working day, or
    late: its officer, or the managers while it awaits approval or has no officer. At most
    once a day (`reminded_on`), so a second run the same day sends nothing."""
    from innohub.activity.services import event_record
    from innohub.core.calendar import add_working_days
    from innohub.qa.services import question_managers, question_staff_notify

    today = timezone.localdate()
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",))
            .select_related("assignee")
            .filter(pk=question_id, state__in=OPEN_STATES, due_date__lte=add_working_days(today, 1))
            .first()
        )
        if question is None or question.reminded_on == today:
            return False
        holders = question_managers() if workflows.has_flag(question.state, "awaiting_approval") or question.assignee is None else [question.assignee]
        message = "qa.question_overdue" if question.due_date < today else "qa.question_due"
        question_staff_notify(holders, actor=None, question=question, message=message)
        question.reminded_on = today
        question.save(update_fields=["reminded_on"])
        event_record(actor=None, action="question.reminded", target=question, after={"due_date": question.due_date, "reminded_on": today})
    return True


@task()
def remind_due_questions() -> int:
    """Queue one reminder per open question due by the next working day, or late, not yet
    reminded today (run daily: `manage.py send_reminders`)."""
    from innohub.core.calendar import add_working_days

    today = timezone.localdate()
    ids = list(
        Question.objects.filter(state__in=OPEN_STATES, due_date__lte=add_working_days(today, 1))
        .exclude(reminded_on=today)
        .values_list("id", flat=True)
    )
    for pk in ids:
        remind_due_question.enqueue(question_id=pk)
    return len(ids)
