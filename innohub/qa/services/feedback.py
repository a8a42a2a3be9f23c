"""Readers' ratings of a published answer: one per reader, comments capped, floods refused."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from innohub.activity.services import event_record
from innohub.core.errors import ApplicationError, RateLimitedError
from innohub.core.ratelimit import rate_limit_exceeded
from innohub.qa.models import (
    Answer,
    AnswerFeedback,
)
from innohub.qa.services.intake import clean_text

# -- readers' feedback -------------------------------------------------------------------
MAX_FEEDBACK_CHARS = 1000
# a reader rates a few answers in an hour; more from one address is a script
FEEDBACK_LIMIT_PER_HOUR = getattr(settings, "QA_FEEDBACK_LIMIT_PER_HOUR", 30)


def feedback_reader(*, user: Any, session_key: str | None) -> str:
    """The key a reader's feedback is kept under: their account, else their browser session,
    hashed with the site's secret, so that it is one per reader and says nothing of who."""
    if getattr(user, "is_authenticated", False):
        who = f"user:{user.pk}"
    elif session_key:
        who = f"session:{session_key}"
    else:
        raise ValueError("a visitor's feedback needs their session")
    return salted_hmac("innohub.qa.answer_feedback", who).hexdigest()


def feedback_comment_checked(comment: str) -> str:
    """A reader's comment as stored (plain text), or a clear error when it is too long."""
    if len(comment or "") > MAX_FEEDBACK_CHARS * 2:  # not worth cleaning
        raise _feedback_too_long()
    text = clean_text(comment)
    if len(text) > MAX_FEEDBACK_CHARS:
        raise _feedback_too_long()
    return text


def _feedback_too_long() -> ApplicationError:
    return ApplicationError(
        _("Say what was missing in at most %(n)s characters.") % {"n": f"{MAX_FEEDBACK_CHARS:,}".replace(",", ".")},
        code="comment_too_long",
    )


@transaction.atomic
def answer_feedback_give(
    *, answer: Answer, reader: str, helpful: bool, comment: str = "", actor: Any = None, ip: str | None = None,
) -> AnswerFeedback:
    """A reader says whether a published answer helped, and if not, what was missing.

    One feedback per reader and answer: a second one changes the first. A comment is kept
    with "not helpful" (it says what was missing); saying "helpful" later clears it."""
    if not Answer.objects.public().filter(pk=answer.pk).exists():
        raise ApplicationError(_("This answer is not published."), code="not_published")
    text = feedback_comment_checked(comment)
    if ip and rate_limit_exceeded(scope="qa-feedback", key=ip, limit=FEEDBACK_LIMIT_PER_HOUR, window_seconds=3600):
        raise RateLimitedError(_("Too many ratings from your address. Please try again in an hour."))
    # get_or_create takes the same reader's two clicks at once: the second finds the first's row
    feedback, created = AnswerFeedback.objects.select_for_update().get_or_create(
        answer=answer, reader=reader, defaults={"helpful": helpful, "comment": "" if helpful else text},
    )
    before = None if created else {"helpful": feedback.helpful, "comment": bool(feedback.comment)}
    if not created:
        feedback.helpful = helpful
        if helpful or text:
            feedback.comment = "" if helpful else text
        feedback.save(update_fields=["helpful", "comment", "updated_at"])
    # the rating is its own object in the log: the question's history stays the story of its handling
    event_record(
        actor=actor, action="question.feedback_given", target=feedback, before=before,
        after={"helpful": feedback.helpful, "comment": bool(feedback.comment)},
    )
    return feedback
