"""Publishing an answer: personal data redacted from what is published, the asker told in their language."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from innohub.activity.services import event_record
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role
from innohub.core.text import normalize, search_key
from innohub.qa import letters, workflows
from innohub.qa.models import (
    Answer,
    Question,
)
from innohub.qa.permissions import APPROVE_ANSWERS
from innohub.qa.services.handling import _duplicates_follow, _notify_asker, question_transition
from innohub.qa.services.knowledge_base import _vectors_follow

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# not inside a larger number: "1.000.000.000 đồng" holds "000.000.000", which is no phone
# ... nor a phone whose area code is in brackets: "(028) 3829 7373", "(+84) 912 345 678"
_PHONE_RE = re.compile(
    r"(?<![\w.,])(?:\(\s*(?:\+?84|0)\d{0,3}\s*\)(?:[\s.-]?\d){6,10}|(?:\+?84|0)(?:[\s.-]?\d){8,10})"
    r"(?![\w]|[.,]\d)"
)
_ID_RE = re.compile(r"(?<![\d.,])(?:\d{12}|\d{9})(?![\d.,]?\d)")
# a Vietnamese passport number: one capital letter and seven digits ("hộ chiếu C1234567")
_PASSPORT_RE = re.compile(r"(?<![\w./-])[A-Z]\d{7}(?![\w/-])")


# what replaces redacted data: Vietnamese, then English
_MARKERS = ("[đã ẩn]", "[redacted]")


def redact(text: str, *, names: list[str], language: str = "vi") -> str:
    """The text with e-mail addresses, phone numbers, ID numbers (CCCD 12 digits,
    CMND 9, passport a letter and 7 digits) and the given names replaced by a marker."""
    marker = _MARKERS[0] if language == "vi" else _MARKERS[1]
    text = _EMAIL_RE.sub(marker, normalize_lines(text))
    text = _PHONE_RE.sub(marker, text)
    text = _ID_RE.sub(marker, text)
    text = _PASSPORT_RE.sub(marker, text)
    names = sorted({normalize(n) for n in names if n and len(normalize(n)) >= 3}, key=len, reverse=True)
    for name in names:
        text = re.sub(re.escape(name), marker, text, flags=re.IGNORECASE)
    # The name typed without its marks ("tran thi mai"), as on a phone: a name of two words
    # or more is looked for folded too, as whole words (one word alone, "Mai", "Lan", is
    # too often an ordinary word once folded).
    for name in (n for n in names if len(n.split()) > 1):
        words = r"\s+".join(re.escape(word) for word in search_key(name).split())
        pattern = re.compile(rf"(?<!\w){words}(?!\w)")
        for match in reversed(list(pattern.finditer(_fold_each(text)))):
            text = text[: match.start()] + marker + text[match.end() :]
    return text


def _fold_each(text: str) -> str:
    """``search_key`` character by character, so that positions in the result are
    positions in ``text`` (whitespace is not collapsed, a mark alone stays itself)."""
    return "".join((search_key(ch) or ch)[:1] if not ch.isspace() else " " for ch in text)


def _asker_names(question: Question) -> list[str]:
    return [question.asker_name] + ([question.asker.full_name] if question.asker_id and question.asker else [])


def public_question_proposal(answer: Answer) -> str:
    """The question's public wording as it stands: the officer's, or the redacted text
    without the sentences that only introduced the asker."""
    question = answer.question
    if answer.published_question:
        return answer.published_question
    return without_introductions(redact(question.text, names=_asker_names(question), language=question.language))


# What a sentence that only introduces the asker is made of once redacted ("Tôi là [đã ẩn],
# số điện thoại [đã ẩn], CCCD [đã ẩn]."), as folded words: Vietnamese, then English.
_INTRODUCTION_WORDS = frozenset({
    "toi", "la", "ten", "minh", "em", "anh", "chi", "ong", "ba", "xin", "chao", "kinh", "gui", "so", "dien",
    "thoai", "di", "dong", "sdt", "dt", "email", "e-mail", "mail", "gmail", "zalo", "thu", "tu", "cccd",
    "cmnd", "can", "cuoc", "cong", "dan", "chung", "nhan", "ho", "chieu", "dia", "lien", "he", "va", "hoac",
    "cua", "qua", "theo", "a",
    "i", "i'm", "am", "my", "name", "is", "phone", "mobile", "tel", "number", "address", "id", "national",
    "passport", "contact", "hello", "hi", "dear", "and", "or", "me", "at",
})
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _introduction_only(sentence: str) -> bool:
    """A sentence holding redacted data and introduction words, and nothing else."""
    if not any(marker in sentence for marker in _MARKERS):
        return False
    for marker in _MARKERS:
        sentence = sentence.replace(marker, " ")
    return all(word in _INTRODUCTION_WORDS for word in re.findall(r"[\w'-]+", search_key(sentence)))


def without_introductions(text: str) -> str:
    """``text`` (redacted) without the sentences that are only the asker's introduction or
    contact details, so that the published question starts with what is asked. A sentence
    with a question mark, and the last one, always stay: the question is never dropped."""
    lines = [_SENTENCE_END.split(line.strip()) for line in text.splitlines() if line.strip()]
    last = (len(lines) - 1, len(lines[-1]) - 1) if lines else None
    kept = [
        " ".join(s for j, s in enumerate(sentences) if "?" in s or (i, j) == last or not _introduction_only(s))
        for i, sentences in enumerate(lines)
    ]
    return "\n".join(line for line in kept if line)


def normalize_lines(text: str) -> str:
    return "\n".join(normalize(line) for line in text.splitlines()).strip()


@transaction.atomic
def question_publish(*, question: Question, actor: Any) -> Answer:
    """A manager approves: the answer and question are published with personal data redacted."""
    ensure_role(actor, APPROVE_ANSWERS)
    answer = Answer.objects.select_for_update().filter(question=question).first()
    if answer is None or not answer.draft_text.strip():
        raise ApplicationError(_("There is no answer to publish."), code="no_draft")
    if answer.flagged:
        raise ApplicationError(_("Check the citations of the draft first: %(reason)s") % {"reason": answer.flag_reason}, code="flagged")
    question = question_transition(question=question, actor=actor, code="publish")
    names = _asker_names(question)
    # the officer's wording is redacted again: a phone number typed into it is still caught
    answer.published_question = redact(public_question_proposal(answer), names=names, language=question.language)
    answer.published_text = redact(answer.draft_text, names=names, language=question.language)
    answer.approved_by = actor
    answer.approved_at = answer.published_at = timezone.now()
    answer.save()
    event_record(actor=actor, action="question.answer_published", target=question, after={"answer": answer.pk})
    _notify_asker(question)
    _duplicates_follow(question, actor=actor)  # askers of duplicates learn of the answer too
    _vectors_follow("embed_answers")  # the new answer, for readers searching in English
    _vectors_follow("estimate_fusion_weights")  # its citations are labelled pairs for the fusion weights
    return answer


# -- e-mails to askers known only by their address ------------------------------------------
def _email_asker_once(*, question_id: int, stamp: str, states: Any, letter: Any) -> bool:
    """Send the asker one letter about the question (``letter(question)`` gives its subject
    and body, written in the asker's language) while it is in ``states``, and record it in
    the ``stamp`` field, so that a second run sends nothing."""
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",))
            .select_related("merged_into")
            .filter(pk=question_id, state__in=states, **{f"{stamp}__isnull": True})
            .first()
        )
        if question is None or not question.asker_email:
            return False
        with translation.override(question.language):
            subject, body = letter(question)
        send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[question.asker_email])
        setattr(question, stamp, timezone.now())
        question.save(update_fields=[stamp])
    return True


def question_receipt_email(*, question_id: int) -> bool:
    """Confirm to the asker that the question was received: its tracking code, due date
    and where to follow it, in the asker's language. Sent once, whatever the number of runs,
    and only while the question is open: once it is answered, rejected or merged (the worker
    was down, say), the e-mail about that outcome says it all."""
    return _email_asker_once(question_id=question_id, stamp="receipt_emailed_at", states=workflows.states_with("open"),
                             letter=letters.receipt_letter)


def question_outcome_email(*, question_id: int) -> bool:
    """Tell an asker known only by e-mail that the question was answered, rejected or
    merged, in the asker's language; once."""
    return _email_asker_once(question_id=question_id, stamp="answer_emailed_at",
                             states=workflows.states_with("published", "rejected", "merged"), letter=letters.outcome_letter)
