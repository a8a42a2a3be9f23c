"""Writes of the Q&A service: asking, routing, the answer workflow, publication, the
knowledge base. Each service is one transaction, checks who may act, logs an
``activity`` event for every change of state and queues e-mail after commit.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import nh3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from innohub.activity.services import event_record, notification_send, snapshot
from innohub.core.calendar import add_working_days
from innohub.core.dates import format_date
from innohub.core.errors import ApplicationError, ConflictError, RateLimitedError
from innohub.core.permissions import ensure_role, user_has_role, user_role
from innohub.core.ratelimit import rate_limit_exceeded
from innohub.core.roles import MANAGER_ROLES, STAFF_ROLES, Role
from innohub.core.text import normalize, search_key
from innohub.qa import drafting, workflows
from innohub.qa.knowledge import (
    MAX_DOCUMENT_BYTES,
    Chunk,
    detect_kind,
    extract_pages,
    split_passages,
)
from innohub.qa.models import (
    ATTACHMENT_NAME_CHARS,
    Answer,
    AnswerFeedback,
    Citation,
    InternalNote,
    KnowledgeDocument,
    Passage,
    Question,
    Topic,
)

ANSWER_QUESTIONS = STAFF_ROLES
APPROVE_ANSWERS = MANAGER_ROLES
MANAGE_KNOWLEDGE = STAFF_ROLES

MAX_QUESTION_CHARS = 5000
MIN_QUESTION_CHARS = 10
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ASK_LIMIT_PER_HOUR = getattr(settings, "QA_ASK_LIMIT_PER_HOUR", 5)  # a visitor, by IP address
# A member, by account: an office or a café shares one address, and its signed-in users
# must not be blocked by (nor count against) the visitors asking from it.
ASK_LIMIT_PER_ACCOUNT_PER_HOUR = getattr(settings, "QA_ASK_LIMIT_PER_ACCOUNT_PER_HOUR", ASK_LIMIT_PER_HOUR)
QUESTION_FIELDS = ["state", "assignee", "unit", "due_date", "merged_into", "reject_reason", "closed_at"]
# first bytes of each accepted attachment type
_ATTACHMENT_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
}
_TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_PATH_SEPARATOR = re.compile(r"[/\\]")


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
    name = (upload.name or "").lower()
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in _ATTACHMENT_MAGIC:
        raise ApplicationError(_("Attach a PDF, PNG, JPEG or DOCX file."), code="bad_attachment")
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise ApplicationError(_("The attachment is larger than 5 MB."), code="attachment_too_large")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in _ATTACHMENT_MAGIC[suffix]):
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
        from innohub.qa.tasks import email_receipt

        transaction.on_commit(partial(email_receipt.enqueue, question_id=question.pk))
    return question


# -- the workflow -----------------------------------------------------------------------
def _lock(question: Question) -> Question:
    return Question.objects.select_for_update(of=("self",)).select_related("topic", "unit").get(pk=question.pk)


# A duplicate follows the question it was merged into when that one is rejected. This
# step is no action offered on a question (it is not in ``workflows.TRANSITIONS``, whose
# steps the pages offer), only taken by ``question_reject``; it is audited as a rejection.
_REJECT_WITH_ORIGINAL = workflows.Transition("reject", ("merged",), "rejected_out_of_scope", workflows.STAFF)


def question_transition(
    *, question: Question, actor: Any, code: str, changes: dict[str, Any] | None = None, note: str = "",
    step: workflows.Transition | None = None,
) -> Question:
    """The one place a question changes state: role, source state, save, audit. ``step``
    is for the internal steps not in the workflow's table (see _REJECT_WITH_ORIGINAL)."""
    step = step or workflows.TRANSITIONS.get(code)
    if step is None:
        raise ApplicationError(_("Unknown action."), code="unknown_transition")
    if user_role(actor) not in step.roles:
        raise PermissionDenied
    question = _lock(question)
    if question.state not in step.source:
        raise ConflictError(
            _("This cannot be done now: the question is “%(state)s”.") % {"state": question.staff_state_label},
            code="wrong_state",
        )
    before = snapshot(question, QUESTION_FIELDS)
    question.state = step.target
    for name, value in (changes or {}).items():
        setattr(question, name, value)
    if step.target in ("published", "rejected_out_of_scope", "merged") and question.closed_at is None:
        question.closed_at = timezone.now()  # a corrected answer keeps its first publication's time to answer
    question.save(update_fields=[*QUESTION_FIELDS, "updated_at"])
    event_record(actor=actor, action=f"question.{code}", target=question, before=before, after=snapshot(question, QUESTION_FIELDS), note=note)
    return question


def question_managers() -> list[Any]:
    """The managers who approve answers and route unassigned questions."""
    return list(get_user_model().objects.filter(role=Role.MANAGER, is_active=True).order_by("pk")[:20])


def question_staff_notify(recipients: Any, *, actor: Any, question: Question, message: str, body: str = "") -> None:
    """Tell staff of a step that is now theirs (not the one who took it), each in their own
    language: ``message`` is marked with gettext_noop and translated per recipient."""
    from django.urls import reverse
    from django.utils.functional import lazy

    params = {"code": question.tracking_code, "due": format_date(question.due_date)}
    subject = lazy(lambda: _(message) % params, str)()
    others = [user for user in recipients if user is not None and user.pk != getattr(actor, "pk", None)]
    notification_send(recipients=others, subject=subject, body=body, url=reverse("qa:question", args=[question.pk]))


@transaction.atomic
def question_assign(*, question: Question, actor: Any, assignee: Any) -> Question:
    ensure_role(actor, ANSWER_QUESTIONS)
    if not user_has_role(assignee, ANSWER_QUESTIONS):
        raise ApplicationError(_("Questions can only be assigned to department staff."), code="bad_assignee")
    if question.state == "received":
        question = question_transition(question=question, actor=actor, code="assign", changes={"assignee": assignee})
    else:
        question = _lock(question)
        if not question.is_open:
            raise ConflictError(_("This question is closed."), code="wrong_state")
        before = snapshot(question, QUESTION_FIELDS)
        question.assignee = assignee
        question.save(update_fields=["assignee", "updated_at"])
        event_record(actor=actor, action="question.reassigned", target=question, before=before, after=snapshot(question, QUESTION_FIELDS))
    question_staff_notify([assignee], actor=actor, question=question, message=gettext_noop("Question %(code)s is assigned to you (due %(due)s)"))
    return question


@transaction.atomic
def question_reroute(*, question: Question, actor: Any, topic: Topic) -> Question:
    """Move an open question to another topic, and so to that topic's unit: the asker chose
    a topic their question is not about ("Khác" for a question on startup support), and it
    waits in the wrong unit's part of the inbox. The due date stays the one the asker was
    told; the officer holding it keeps it until it is assigned again."""
    ensure_role(actor, ANSWER_QUESTIONS)
    question = _lock(question)
    if not question.is_open:
        raise ConflictError(_("This question is closed."), code="wrong_state")
    if topic.pk == question.topic_id:
        raise ApplicationError(_("The question is already in this topic."), code="same_topic")
    fields = [*QUESTION_FIELDS, "topic"]
    before = snapshot(question, fields)
    question.topic, question.unit = topic, topic.unit
    question.save(update_fields=["topic", "unit", "updated_at"])
    event_record(actor=actor, action="question.rerouted", target=question, before=before, after=snapshot(question, fields))
    return question


@transaction.atomic
def question_note_add(*, question: Question, actor: Any, text: str) -> InternalNote:
    ensure_role(actor, ANSWER_QUESTIONS)
    text = clean_text(text)
    if not text:
        raise ApplicationError(_("Write the note."), code="empty_note")
    if len(text) > MAX_QUESTION_CHARS:
        raise ApplicationError(_("The note is too long."), code="note_too_long")
    note = InternalNote.objects.create(question=question, author=actor, text=text)
    event_record(actor=actor, action="question.noted", target=question, after={"note": note.pk})
    return note


@transaction.atomic
def question_merge(*, question: Question, actor: Any, into: Question) -> Question:
    ensure_role(actor, ANSWER_QUESTIONS)
    if into.pk == question.pk:
        raise ApplicationError(_("A question cannot be merged into itself."), code="merge_self")
    if into.state in ("merged", "rejected_out_of_scope"):
        raise ApplicationError(_("Merge into a question that is open or answered."), code="merge_closed")
    question = question_transition(question=question, actor=actor, code="merge", changes={"merged_into": into})
    if into.state == "published":
        _notify_asker(question)
    return question


@transaction.atomic
def question_reject(*, question: Question, actor: Any, reason: str) -> Question:
    ensure_role(actor, ANSWER_QUESTIONS)
    reason = clean_text(reason)
    if not reason:
        raise ApplicationError(_("Give the reason, for the asker."), code="reason_required")
    question = question_transition(question=question, actor=actor, code="reject", changes={"reject_reason": reason[:2000]})
    _notify_asker(question)
    _duplicates_follow(question, actor=actor)
    return question


def _duplicates_follow(question: Question, *, actor: Any) -> None:
    """The questions merged into ``question`` share its outcome once it has one. Published:
    their askers hear of the answer (their own pages show it). Rejected: each is rejected
    too, with the same reason and its own audit event, and its asker is told as the
    question's asker is; otherwise its page would still say it is answered together with
    a question that never will be."""
    duplicates = Question.objects.filter(merged_into=question, state="merged").select_related("asker").order_by("pk")
    for duplicate in duplicates:
        if question.state == "rejected_out_of_scope":
            duplicate = question_transition(
                question=duplicate, actor=actor, code="reject", step=_REJECT_WITH_ORIGINAL,
                changes={"reject_reason": question.reject_reason},
                note=_("Rejected with question %(code)s, into which it was merged") % {"code": question.tracking_code},
            )  # fmt: skip
        elif duplicate.answer_emailed_at is not None:
            continue  # already told
        _notify_asker(duplicate)


MAX_SOURCES = 20


def _passage_citation(p: Passage) -> dict[str, Any]:
    """What a citation keeps of a passage, its label in the active language."""
    return {"passage": p, "document": p.document, "source_label": p.source_label[:400], "place": p.place, "anchor": p.anchor, "quote": p.text[:2000]}


def _sources_for(question: Question) -> list[tuple[drafting.Source, dict[str, Any]]]:
    """The passages and published answers a draft may cite, labelled in the question's
    language (the labels are kept with the answer and read with it)."""
    from innohub.qa import search

    found: list[tuple[drafting.Source, dict[str, Any]]] = []
    hits = search.search_knowledge(question.text, k=5, dense=True, language=question.language)
    passages = Passage.objects.select_related("document").in_bulk([h.pk for h in hits])
    answer_hits = [h for h in search.search_answers(question.text, k=3, language=question.language) if h.pk != getattr(getattr(question, "answer", None), "pk", None)]
    answers = Answer.objects.public().select_related("question").in_bulk([h.pk for h in answer_hits[:2]])
    with translation.override(question.language or settings.LANGUAGE_CODE):
        for hit in hits:
            p = passages.get(hit.pk)
            if p is None:
                continue
            fields = _passage_citation(p)
            source = drafting.Source(number=len(found) + 1, label=fields["source_label"], text=p.text)
            found.append((source, {**fields, "score": hit.score}))
        for hit in answer_hits[:2]:
            a = answers.get(hit.pk)
            if a is None:
                continue
            label = _("Published answer %(code)s") % {"code": a.question.tracking_code}
            source = drafting.Source(number=len(found) + 1, label=label, text=a.published_text)
            found.append((source, {"cited_answer": a, "source_label": label[:400], "quote": a.published_text[:2000], "score": hit.score}))
    return found


def _draft_note(answer: Answer, sources: int) -> str:
    """The audit note of a draft, read by staff: who drafted it and from how many sources
    (it read "extractive, 7 sources" on the Vietnamese log)."""
    return ngettext("%(generator)s, %(count)d source", "%(generator)s, %(count)d sources", sources) % {
        "generator": answer.get_generator_display(),
        "count": sources,
    }


@transaction.atomic
def question_draft(*, question: Question, actor: Any) -> Answer:
    """Retrieve the sources and compose a draft with numbered citations (replacing any draft)."""
    ensure_role(actor, ANSWER_QUESTIONS)
    question = _lock(question)
    step = workflows.TRANSITIONS["draft"]
    if question.state not in step.source:
        raise ConflictError(_("This cannot be done now: the question is “%(state)s”.") % {"state": question.staff_state_label}, code="wrong_state")
    sources = _sources_for(question)
    draft = drafting.compose(question.text, [s for s, _x in sources], language=question.language)
    answer, _created = Answer.objects.get_or_create(question=question)
    # the wording the public will read, proposed redacted; the officer may reword it
    answer.published_question = public_question_proposal(answer)
    answer.draft_text = draft.text
    answer.generator = draft.generator
    answer.flagged = draft.flagged
    answer.flag_reason = draft.flag_reason
    answer.save()
    answer.citations.all().delete()
    Citation.objects.bulk_create([Citation(answer=answer, number=s.number, **fields) for s, fields in sources])
    changes = {} if question.assignee_id else {"assignee": actor}
    question_transition(question=question, actor=actor, code="draft", changes=changes, note=_draft_note(answer, len(sources)))
    return answer


@transaction.atomic
def answer_edit(*, answer: Answer, actor: Any, text: str, public_question: str | None = None) -> Answer:
    """The officer's edit of the answer and, optionally, of the question's public wording
    (to take out personal details the automatic redaction cannot recognise, or to
    shorten it); citations are checked again against the retrieved sources."""
    ensure_role(actor, ANSWER_QUESTIONS)
    text = clean_text(text)
    if not text:
        raise ApplicationError(_("Write the answer."), code="empty_answer")
    if len(text) > 20_000:
        raise ApplicationError(_("The answer is too long."), code="answer_too_long")
    if public_question is not None:
        public_question = required_text(
            public_question, limit=MAX_QUESTION_CHARS, missing=_("Write the question as it will be published."),
            too_long=_question_too_long(), code="public_question",
        )
    question = _lock(answer.question)
    if question.state != "drafted":
        raise ConflictError(_("This cannot be done now: the question is “%(state)s”.") % {"state": question.staff_state_label}, code="wrong_state")
    before = {"draft_text": answer.draft_text, "published_question": answer.published_question}
    numbers = set(answer.citations.values_list("number", flat=True))
    flagged, reason = drafting.check_citations(text, numbers)
    # an answer without any citation is allowed when an officer writes it knowingly
    if not drafting.cited_numbers(text):
        flagged, reason = False, ""
    answer.draft_text, answer.generator, answer.flagged, answer.flag_reason = text, Answer.Generator.OFFICER, flagged, reason
    if public_question is not None:
        answer.published_question = public_question
    answer.save(update_fields=["draft_text", "published_question", "generator", "flagged", "flag_reason", "updated_at"])
    after = {"draft_text": text, "published_question": answer.published_question, "flagged": flagged}
    event_record(actor=actor, action="question.answer_edited", target=question, before=before, after=after)
    return answer


@transaction.atomic
def answer_source_add(*, answer: Answer, actor: Any, passage_id: int) -> Citation:
    """A passage of the knowledge base the retrieval did not bring, added by the officer as
    the next numbered source, so that the answer may cite it."""
    ensure_role(actor, ANSWER_QUESTIONS)
    question = _lock(answer.question)
    if question.state != "drafted":
        raise ConflictError(_("This cannot be done now: the question is “%(state)s”.") % {"state": question.staff_state_label}, code="wrong_state")
    passage = (
        Passage.objects.select_related("document")
        .filter(pk=passage_id, document__status=KnowledgeDocument.Status.READY, document__withdrawn_at__isnull=True)
        .first()
    )
    if passage is None:
        raise ApplicationError(_("This passage is not in a document in force."), code="no_passage")
    cited = answer.citations.filter(passage=passage).values_list("number", flat=True).first()
    if cited is not None:
        raise ApplicationError(_("This passage is already source [%(number)s].") % {"number": cited}, code="already_cited")
    numbers = list(answer.citations.values_list("number", flat=True))
    if len(numbers) >= MAX_SOURCES:
        raise ApplicationError(_("An answer has at most %(count)s sources.") % {"count": MAX_SOURCES}, code="too_many_sources")
    with translation.override(question.language or settings.LANGUAGE_CODE):
        citation = Citation.objects.create(answer=answer, number=max(numbers, default=0) + 1, **_passage_citation(passage))
    event_record(
        actor=actor, action="question.source_added", target=question,
        after={"number": citation.number, "passage": passage.pk, "source": citation.source_label},
    )
    return citation


@transaction.atomic
def question_submit(*, question: Question, actor: Any) -> Question:
    ensure_role(actor, ANSWER_QUESTIONS)
    answer = Answer.objects.filter(question=question).first()
    if answer is None or not answer.draft_text.strip():
        raise ApplicationError(_("Draft the answer first."), code="no_draft")
    if answer.flagged:
        raise ApplicationError(_("Check the citations of the draft first: %(reason)s") % {"reason": answer.flag_reason}, code="flagged")
    question = question_transition(question=question, actor=actor, code="submit")
    question_staff_notify(question_managers(), actor=actor, question=question, message=gettext_noop("The answer to question %(code)s awaits your approval (due %(due)s)"))
    return question


@transaction.atomic
def question_correct(*, question: Question, actor: Any, reason: str) -> Question:
    """A manager takes a published answer down to correct it (a mistake, a rule that has
    changed, personal data the redaction missed): it leaves the public pages, the search
    and the sources of new drafts at once, and the question is a draft again, with the
    officer's text, which publishing redacts again. Its first publication stays its time to
    answer. Once the corrected answer is published, its asker and the askers of the
    questions merged into it receive it, as a correction."""
    ensure_role(actor, APPROVE_ANSWERS)
    reason = required_text(
        reason, limit=2000, missing=_("Say what to correct."), too_long=_("The reason is too long: at most 2000 characters."),
        code="reason_required",
    )
    question = question_transition(question=question, actor=actor, code="correct", note=reason)
    answer = Answer.objects.select_for_update().get(question=question)
    answer.corrected_at = timezone.now()
    answer.save(update_fields=["corrected_at", "updated_at"])
    Question.objects.filter(Q(pk=question.pk) | Q(merged_into=question, state="merged")).update(answer_emailed_at=None)
    question.answer_emailed_at = None
    _reason_to_officer(question, actor=actor, reason=reason, message=gettext_noop("The answer to question %(code)s is taken down for correction"))
    _vectors_follow("embed_answers")
    return question


def _reason_to_officer(question: Question, *, actor: Any, reason: str, message: str) -> None:
    """A manager's reason for sending an answer back: kept as an internal note, and sent to
    the question's officer (``message`` marked with gettext_noop)."""
    InternalNote.objects.create(question=question, author=actor, text=reason)
    question_staff_notify([question.assignee], actor=actor, question=question, message=message, body=reason)


@transaction.atomic
def question_return(*, question: Question, actor: Any, reason: str) -> Question:
    ensure_role(actor, APPROVE_ANSWERS)
    reason = clean_text(reason)
    if not reason:
        raise ApplicationError(_("Say what to change."), code="reason_required")
    question = question_transition(question=question, actor=actor, code="return", note=reason[:2000])
    _reason_to_officer(question, actor=actor, reason=reason, message=gettext_noop("Your draft for question %(code)s is returned"))
    return question


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
    return answer


def _notify_asker(question: Question) -> None:
    """Tell the asker of the question's outcome: a member in their notifications (with the
    answer and its sources, in their language), anyone else by e-mail (``tasks.email_asker``)."""
    from innohub.qa.tasks import email_asker

    asker = question.asker
    if asker is not None and asker.is_active and asker.email == question.asker_email:
        from django.utils.functional import lazy

        from innohub.qa.selectors import asker_answer_shown, track_path
        from innohub.qa.tasks import answer_text, answered_subject

        answer = asker_answer_shown(question)
        if question.state == "published" or (answer is not None and answer.corrected_at):
            subject = answered_subject(question, answer)
        else:
            subject = _("News about your question %(code)s") % {"code": question.tracking_code}
        if question.state == "rejected_out_of_scope":
            body: Any = question.reject_reason
        else:  # rendered in the recipient's language, as the notification is
            body = lazy(lambda: answer_text(answer), str)() if answer is not None else ""
        notification_send(recipients=[asker], subject=subject, body=body, url=track_path(question))
        Question.objects.filter(pk=question.pk).update(answer_emailed_at=timezone.now())
        return
    transaction.on_commit(partial(email_asker.enqueue, question_id=question.pk))


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


# -- knowledge base -----------------------------------------------------------------------
def document_file_kind(upload: UploadedFile) -> str:
    """The kind of a knowledge-base file (pdf, docx, html, txt), or the ApplicationError that
    says why it cannot be taken. The upload form runs it too, so that a bad file is reported
    with a missing title in one round."""
    if (upload.size or 0) > MAX_DOCUMENT_BYTES:
        raise ApplicationError(_("The document is larger than 20 MB."), code="document_too_large")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if not head:
        raise ApplicationError(_("The file is empty."), code="bad_file")
    return detect_kind(upload.name or "", head)


def _latest_version(document: KnowledgeDocument) -> KnowledgeDocument:
    """The newest version of ``document``, locked: the one a new upload follows or takes the
    place of. The chain of versions is followed through those replaced in turn, not into a
    version withdrawn by mistake that nothing replaced."""
    latest = KnowledgeDocument.objects.select_for_update().get(pk=document.pk)
    replaced = Exists(KnowledgeDocument.objects.filter(replaces=OuterRef("pk")))
    while True:
        newer = (
            KnowledgeDocument.objects.select_for_update().filter(replaces=latest)
            .filter(Q(withdrawn_at__isnull=True) | replaced).order_by("-version").first()
        )  # fmt: skip
        if newer is None:
            return latest
        latest = newer


@transaction.atomic
def knowledge_document_upload(
    *, actor: Any, title: str, file: UploadedFile, number: str = "", issuing_body: str = "",
    issued_on: dt.date | None = None, document: KnowledgeDocument | None = None,
) -> KnowledgeDocument:
    """Store a document, or a new version of ``document``, and queue its splitting into
    passages; returns the document the file went to.

    A new version of a document in use is a document of its own, which replaces the one in
    force once it has been read (``_supersede``): until then drafts and the public page keep
    the version in force, and a file that cannot be read changes nothing but the new
    version's error. The answers published before keep citing the passages they quoted, on
    the version they quoted. A version not read yet (waiting, or failed) takes the new file
    in its place."""
    ensure_role(actor, MANAGE_KNOWLEDGE)
    kind = document_file_kind(file)
    title = clean_text(title)[:300]
    if not title:
        raise ApplicationError(_("Give the document's title."), code="title_required")
    before = None
    if document is None:
        document, action = KnowledgeDocument(uploaded_by=actor), "knowledge_document.uploaded"
    else:
        document = _latest_version(document)
        if document.status == KnowledgeDocument.Status.READY:
            # numbered after every version uploaded to replace it, those withdrawn included
            newest = max([document.version, *document.newer_versions.values_list("version", flat=True)])
            document = KnowledgeDocument(uploaded_by=actor, replaces=document, version=newest + 1)
            action = "knowledge_document.new_version"
        else:
            before = snapshot(document, ["title", "number", "version", "file"])
            action = "knowledge_document.file_replaced"
    document.title, document.number, document.issuing_body, document.issued_on = title, clean_text(number)[:100], clean_text(issuing_body)[:200], issued_on
    document.file = file
    document.file_kind = kind
    document.status, document.progress, document.error = KnowledgeDocument.Status.PENDING, 0, ""
    document.put_in_force()  # a new version is the text in force
    document.save()
    event_record(actor=actor, action=action, target=document, before=before, after=snapshot(document, ["title", "number", "version", "file"]))
    from innohub.qa.tasks import ingest_document

    transaction.on_commit(partial(ingest_document.enqueue, document_id=document.pk, version=document.version))
    return document


_WITHDRAWAL_FIELDS = ["withdrawn_at", "withdrawn_reason", "withdrawn_by"]


def _vectors_follow(task_name: str) -> None:
    """Queue the background task that encodes what changed, when dense retrieval is on
    (BM25 indexes notice the change by themselves, see ``search``)."""
    from innohub.qa import tasks
    from innohub.qa.search import dense_enabled

    if dense_enabled():
        transaction.on_commit(getattr(tasks, task_name).enqueue)


def knowledge_changed() -> None:
    """The set of passages in force changed: their vectors follow."""
    _vectors_follow("embed_knowledge")


@transaction.atomic
def knowledge_document_withdraw(*, document: KnowledgeDocument, actor: Any, reason: str) -> KnowledgeDocument:
    """Take a repealed or replaced document out of retrieval: drafts stop citing it,
    its public page says it is no longer in force, published answers keep their quotes."""
    ensure_role(actor, MANAGE_KNOWLEDGE)
    reason = required_text(
        reason, limit=300, missing=_("Say why the document is withdrawn, for example the document that replaces it."),
        too_long=_("The reason is too long: at most 300 characters."), code="reason",
    )
    document = KnowledgeDocument.objects.select_for_update().get(pk=document.pk)
    if document.withdrawn_at is not None:
        raise ConflictError(_("The document is already withdrawn."), code="already_withdrawn")
    document.withdrawn_at, document.withdrawn_reason, document.withdrawn_by = timezone.now(), reason, actor
    document.save(update_fields=[*_WITHDRAWAL_FIELDS, "updated_at"])
    event_record(actor=actor, action="knowledge_document.withdrawn", target=document, after={"reason": reason})
    knowledge_changed()
    return document


@transaction.atomic
def knowledge_document_reinstate(*, document: KnowledgeDocument, actor: Any) -> KnowledgeDocument:
    """Put a withdrawn document back in force (withdrawn by mistake)."""
    ensure_role(actor, MANAGE_KNOWLEDGE)
    document = KnowledgeDocument.objects.select_for_update().get(pk=document.pk)
    if document.withdrawn_at is None:
        raise ConflictError(_("The document is in force."), code="not_withdrawn")
    if document.replaced:
        raise ConflictError(
            _("Version %(version)s replaces this document: withdraw it first to put this one back in force.") % {"version": document.version_in_force.version},
            code="replaced",
        )
    before = {"withdrawn_at": document.withdrawn_at.isoformat(), "reason": document.withdrawn_reason}
    document.put_in_force()
    document.save(update_fields=[*_WITHDRAWAL_FIELDS, "updated_at"])
    event_record(actor=actor, action="knowledge_document.reinstated", target=document, before=before)
    knowledge_changed()
    return document


# progress of an ingestion, in percent: the file read, its pages extracted (page by page
# for a PDF), the text split, the passages being saved; 100 only once ready (or failed)
PROGRESS_READ, PROGRESS_EXTRACTED, PROGRESS_SPLIT, PROGRESS_SAVING = 10, 70, 80, 90
PROGRESS_STEP = 5  # at most one write of the progress per this many percent


def _progress_write(document_pk: int, progress: int, **fields: Any) -> None:
    KnowledgeDocument.objects.filter(pk=document_pk).update(progress=progress, updated_at=timezone.now(), **fields)


class _IngestProgress:
    """A document's progress, written forward only and at most once per PROGRESS_STEP
    percent, so a long PDF costs a dozen small updates rather than one per page. A write
    that also changes other fields (the status), or reaches 100, always happens."""

    def __init__(self, document_pk: int) -> None:
        self.document_pk = document_pk
        self.written = 0

    def __call__(self, progress: int, **fields: Any) -> None:
        progress = min(max(progress, self.written) if fields else progress, 100)
        if fields or (progress > self.written and (progress == 100 or progress >= self.written + PROGRESS_STEP)):
            _progress_write(self.document_pk, progress, **fields)
            self.written = progress

    def pages(self, done: int, total: int) -> None:
        self(PROGRESS_READ + (PROGRESS_EXTRACTED - PROGRESS_READ) * done // max(total, 1))


def knowledge_document_ingest(*, document_id: int, version: int | None = None) -> KnowledgeDocument | None:
    """Split the document's file into passages, replacing the previous ones, with its
    progress advancing as the work does (see PROGRESS_*).

    Safe to run twice: a run for an outdated version, or for a document already
    ready at this version, does nothing."""
    document = KnowledgeDocument.objects.filter(pk=document_id).first()
    if document is None or (version is not None and document.version != version):
        return None
    if document.status == KnowledgeDocument.Status.READY:
        return document
    report = _IngestProgress(document.pk)
    report(PROGRESS_READ, status=KnowledgeDocument.Status.PROCESSING)
    try:
        chunks = _document_chunks(document, progress=report.pages)
        report(PROGRESS_SPLIT)
    except Exception as exc:  # noqa: BLE001 - any unreadable file ends as a failed document, with its reason
        message = _unreadable(exc)
        report(100, status=KnowledgeDocument.Status.FAILED, error=message[:2000])
        event_record(actor=None, action="knowledge_document.failed", target=document, after={"error": message[:500]})
        return KnowledgeDocument.objects.get(pk=document.pk)
    report(PROGRESS_SAVING)
    with transaction.atomic():
        document = KnowledgeDocument.objects.select_for_update().get(pk=document.pk)
        _replace_passages(document, chunks)
        report(100, status=KnowledgeDocument.Status.READY, error="")
        document.status, document.progress, document.error = KnowledgeDocument.Status.READY, 100, ""
        event_record(actor=None, action="knowledge_document.ingested", target=document, after={"passages": len(chunks), "version": document.version})
        _supersede(document)
    return document


def _supersede(document: KnowledgeDocument) -> None:
    """A new version has been read: the version it replaces leaves retrieval. Its public page
    stays, saying what replaced it, for the answers that quoted its passages."""
    if document.replaces_id is None or document.withdrawn_at is not None:  # withdrawn while it was read: replaces nothing
        return
    old = KnowledgeDocument.objects.select_for_update().get(pk=document.replaces_id)
    if old.withdrawn_at is not None:  # withdrawn before, with its own reason
        return
    old.withdrawn_at, old.withdrawn_reason, old.withdrawn_by = timezone.now(), "", document.uploaded_by
    old.save(update_fields=[*_WITHDRAWAL_FIELDS, "updated_at"])
    event_record(actor=None, action="knowledge_document.superseded", target=old, after={"replaced_by": document.pk, "version": document.version})


def _document_chunks(document: KnowledgeDocument, *, progress: Callable[[int, int], None] | None = None) -> list[Chunk]:
    """The document's file read and split into passages (raises if no text comes out)."""
    with document.file.open("rb") as fh:
        data = fh.read()
    pages = extract_pages(data, document.file_kind or detect_kind(document.file.name, data[:2048]), progress=progress)
    chunks = split_passages(pages)
    if not chunks:
        raise ApplicationError(_("No text could be read from the document."), code="no_text")
    return chunks


def _unreadable(exc: Exception) -> str:
    return str(getattr(exc, "message", "")) or _("The document could not be read (%(error)s).") % {"error": type(exc).__name__}


# what a passage keeps of its chunk (besides its order in the document)
_CHUNK_FIELDS = ("article", "clause", "page", "heading", "text")


def _replace_passages(document: KnowledgeDocument, chunks: list[Chunk]) -> None:
    document.passages.all().delete()
    Passage.objects.bulk_create(
        [Passage(document=document, order=n, **{f: getattr(c, f) for f in _CHUNK_FIELDS}) for n, c in enumerate(chunks, start=1)]
    )


@dataclass(frozen=True)
class Resplit:
    before: int  # passages before
    after: int  # passages now (the same when unchanged or unreadable)
    changed: bool
    error: str = ""


def knowledge_document_resplit(*, document: KnowledgeDocument, dry_run: bool = False) -> Resplit:
    """Split a ready document's current file again with today's rules (after an upgrade
    that splits better), replacing its passages only if they come out different.

    Unlike an ingestion, a file that can no longer be read leaves the document as it is,
    ready with its passages, and says why. Published answers keep their quotes, as
    after a new version. ``dry_run`` says what would change and changes nothing. For
    operators: ``manage.py qa_resplit``."""
    before = list(document.passages.order_by("order").values_list(*_CHUNK_FIELDS))
    try:
        chunks = _document_chunks(document)
    except Exception as exc:  # noqa: BLE001 - reported per document; the document keeps its passages
        return Resplit(len(before), len(before), False, _unreadable(exc))
    if [tuple(getattr(c, f) for f in _CHUNK_FIELDS) for c in chunks] == before:
        return Resplit(len(before), len(before), False)
    if dry_run:
        return Resplit(len(before), len(chunks), True)
    with transaction.atomic():
        document = KnowledgeDocument.objects.select_for_update().get(pk=document.pk)
        _replace_passages(document, chunks)
        event_record(
            actor=None, action="knowledge_document.resplit", target=document,
            before={"passages": len(before)}, after={"passages": len(chunks), "version": document.version},
        )  # fmt: skip
    return Resplit(len(before), len(chunks), True)
