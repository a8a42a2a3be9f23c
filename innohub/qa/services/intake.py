"""Asking: a question's text and attachment checked, floods refused, a tracking code given, the question routed and its due date set in working days."""

from __future__ import annotations

import html
import secrets
import unicodedata
from typing import Any

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, snapshot
from innohub.core.background import enqueue_on_commit
from innohub.core.calendar import add_working_days
from innohub.core.errors import ApplicationError, RateLimitedError
from innohub.core.ratelimit import rate_limit_exceeded
from innohub.core.text import normalize
from innohub.core.uploads import content_matches, extension_of
from innohub.qa.models import (
    ATTACHMENT_NAME_CHARS,
    Question,
    Topic,
)
from innohub.qa.services.base import (
    _PATH_SEPARATOR,
    _TRACKING_ALPHABET,
    ASK_LIMIT_PER_ACCOUNT_PER_HOUR,
    ASK_LIMIT_PER_HOUR,
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    MAX_QUESTION_CHARS,
    MIN_QUESTION_CHARS,
    QUESTION_FIELDS,
)


# -- text and files -----------------------------------------------------------------------
def clean_text(text: str) -> str:
    """Plain text: scripts and styles removed with their content, other tags dropped,
    entities decoded. What is stored is never markup; pages escape it when shown."""
    stripped = nh3.clean((text or "").replace("\x00", ""), tags=set(), clean_content_tags={"script", "style"})
    return html.unescape(stripped).replace("\r\n", "\n").strip()


def required_text(value: str, *, limit: int, missing: str, too_long: str, code: str) -> str:
    """``value`` as clean plain text, or a clear error (``<code>_required`` when nothing
    is left, ``<code>_too_long`` past ``limit`` characters)."""
    text = clean_text(value)
    if not text:
        raise ApplicationError(missing, code=f"{code}_required")
    if len(text) > limit:
        raise ApplicationError(too_long, code=f"{code}_too_long")
    return text


def _question_too_long() -> str:
    return _("The question is too long: at most %(n)s characters.") % {"n": f"{MAX_QUESTION_CHARS:,}".replace(",", ".")}


def check_attachment(upload: UploadedFile) -> str:
    suffix = extension_of(upload.name)
    if suffix not in ATTACHMENT_TYPES:
        raise ApplicationError(_("Attach a PDF, PNG, JPEG or DOCX file."), code="bad_attachment")
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise ApplicationError(_("The attachment is larger than 5 MB."), code="attachment_too_large")
    if not content_matches(upload, suffix):
        raise ApplicationError(
            _("The attachment's content does not match its type (%(type)s).") % {"type": suffix[1:].upper()},
            code="bad_attachment",
        )
    return suffix


def attachment_name(upload_name: str, *, max_length: int = ATTACHMENT_NAME_CHARS) -> str:
    """The asker's name for an attachment, as officers see it and download it under: the
    base name only (a browser may send a whole Windows path, "C:\\Users\\An\\Hồ sơ.pdf"),
    in NFC, without control or format characters (a right-to-left override, U+202E, makes
    a name read backwards), at most ``max_length`` characters with its extension kept.
    "" when nothing but an extension is left: the question then names the download after
    itself, as for questions asked before the name was kept (``attachment_download_name``)."""
    name = _PATH_SEPARATOR.split(unicodedata.normalize("NFC", upload_name or ""))[-1]
    name = normalize("".join(ch for ch in name if not unicodedata.category(ch).startswith("C")))
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:  # no extension, or a dot inside a long name
        stem, extension = name, ""
    else:
        extension = dot + extension
    stem = stem.strip(" .")
    if not stem:
        return ""
    return stem[: max_length - len(extension)].rstrip(" .") + extension


def _rate_limit_refusal(*, asker: Any, ip: str | None) -> str | None:
    """Why this question is refused for flooding, or None: a signed-in member is counted
    by account, a visitor by IP address."""
    if getattr(asker, "is_authenticated", False):
        if rate_limit_exceeded(scope="qa-ask-account", key=str(asker.pk), limit=ASK_LIMIT_PER_ACCOUNT_PER_HOUR, window_seconds=3600):
            return _("Too many questions from your account. Please try again in an hour.")
        return None
    if ip and rate_limit_exceeded(scope="qa-ask", key=ip, limit=ASK_LIMIT_PER_HOUR, window_seconds=3600):
        return _("Too many questions from your address. Please try again in an hour.")
    return None


def _new_tracking_code() -> str:
    while True:
        body = "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(8))
        code = f"HD-{body[:4]}-{body[4:]}"
        if not Question.objects.filter(tracking_code=code).exists():
            return code


# -- asking -----------------------------------------------------------------------
def question_text_checked(raw: str | None) -> tuple[str, str]:
    """``(text, problem)``: the question's text as stored (markup and control characters
    gone) and what is wrong with it, "" when nothing. The ask form runs it too, so that a
    question too short is reported with a mistyped e-mail address in the same round."""
    raw = raw or ""
    if len(raw) > MAX_QUESTION_CHARS * 2:
        return raw, _question_too_long()
    text = clean_text(raw)
    if not text:
        return text, _("Write your question.")
    if len(text) < MIN_QUESTION_CHARS:
        return text, _("The question is too short.")
    if len(text) > MAX_QUESTION_CHARS:
        return text, _question_too_long()
    return text, ""


def question_ask(
    *,
    topic: Topic,
    text: str,
    asker_email: str = "",
    asker_name: str = "",
    asker: Any = None,
    language: str = "vi",
    attachment: UploadedFile | None = None,
    ip: str | None = None,
    honeypot: str = "",
) -> Question:
    """Receive a question, route it to its topic's unit, set its due date and, after
    commit, e-mail the asker a receipt with the tracking code.

    Every check runs before anything is written; a refused question stores and sends nothing.
    """
    if honeypot:
        raise ApplicationError(_("Your question could not be accepted."), code="spam")
    problems: dict[str, str] = {}
    text, problem = question_text_checked(text)
    if problem:
        problems["text"] = problem
    is_user = getattr(asker, "is_authenticated", False)
    email = (asker_email or (asker.email if is_user else "")).strip()
    try:
        EmailValidator()(email)
    except DjangoValidationError:
        problems["asker_email"] = _("Enter a valid e-mail address, so we can tell you when it is answered.")
    name = clean_text(asker_name)[:200] or (asker.display_name if is_user else "")
    if language not in dict(settings.LANGUAGES):
        language = "vi"
    if attachment is not None:
        try:
            check_attachment(attachment)
        except ApplicationError as exc:
            problems["attachment"] = str(exc.message)
    if problems:
        first = next(iter(problems.values()))
        raise ApplicationError(first, extra=problems, code="invalid_question")
    if refusal := _rate_limit_refusal(asker=asker, ip=ip):
        raise RateLimitedError(refusal)
    with transaction.atomic():
        today = timezone.localdate()
        question = Question(
            tracking_code=_new_tracking_code(),
            asker=asker if is_user else None,
            asker_name=name,
            asker_email=email,
            topic=topic,
            text=text,
            language=language,
            unit=topic.unit,
            due_date=add_working_days(today, topic.answer_working_days),
            submitted_ip=ip,
        )
        if attachment is not None:
            question.attachment_name = attachment_name(attachment.name or "")
            question.attachment = attachment
        question.save()
        event_record(actor=asker, action="question.received", target=question, after=snapshot(question, QUESTION_FIELDS + ["topic"]))
        enqueue_on_commit("innohub.qa.tasks.email_receipt", question_id=question.pk)
    return question
