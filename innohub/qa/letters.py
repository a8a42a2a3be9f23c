"""The e-mails to an asker known only by an e-mail address (no account to notify): the
receipt and the outcome, written in the active language. Rendering only: the services in
`qa.services.publication` send them and record that they were sent."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from innohub.core.dates import format_date
from innohub.qa.models import Answer, Question
from innohub.qa.selectors import asker_answer_shown, track_path

# an e-mail quotes at most this much of the question it is about
LETTER_QUESTION_CHARS = 1000


def letter(question: Question, message: str, *, link_label: str, answer: Answer | None = None) -> str:
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


def receipt_letter(question: Question) -> tuple[str, str]:
    """Subject and body confirming a question was received: its code, due date and link."""
    subject = _("Your question %(code)s has been received") % {"code": question.tracking_code}
    body = letter(
        question,
        _("The department has received your question. Its tracking code is %(code)s; "
          "the answer is due by %(date)s.") % {"code": question.tracking_code, "date": format_date(question.due_date)},
        link_label=_("Follow your question here:"),
    )
    return subject, body


def outcome_letter(question: Question) -> tuple[str, str]:
    """Subject and body telling the asker the question was answered (or the answer
    corrected), merged into another (whose answer it shares) or rejected, with the reason."""
    # The asker's own link: a merged question's page shows the answer it shares.
    if question.is_rejected:
        subject = _("Your question %(code)s") % {"code": question.tracking_code}
        reason = _("Your question is outside what the department can answer. Reason: %(reason)s") % {"reason": question.reject_reason}
        return subject, letter(question, reason, link_label=_("Your question's page:"))
    answer = asker_answer_shown(question)
    subject = answered_subject(question, answer)
    if answer is not None and answer.corrected_at:
        message = _("The department has corrected its answer to your question.")
    else:
        message = _("The department has answered your question.")
    return subject, letter(question, message, link_label=_("Read the answer here:"), answer=answer)
