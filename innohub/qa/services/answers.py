"""Answers before publication: drafted from the knowledge base with citations, edited, cited, submitted for approval, returned, corrected."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innohub.activity.services import event_record
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.permissions import ensure_role
from innohub.qa import drafting, workflows
from innohub.qa.models import (
    Answer,
    Citation,
    InternalNote,
    KnowledgeDocument,
    Passage,
    Question,
)
from innohub.qa.permissions import ANSWER_QUESTIONS, APPROVE_ANSWERS
from innohub.qa.services.base import MAX_QUESTION_CHARS
from innohub.qa.services.handling import (
    _lock,
    question_managers,
    question_staff_notify,
    question_transition,
)
from innohub.qa.services.intake import _question_too_long, clean_text, required_text
from innohub.qa.services.knowledge_base import _vectors_follow
from innohub.qa.services.publication import public_question_proposal

MAX_SOURCES = 20
MAX_ANSWER_CHARS = 20_000  # refused past this, never cut: a cut answer would be published half-said


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
    if len(text) > MAX_ANSWER_CHARS:
        raise ApplicationError(_("The answer is too long: at most %(n)s characters.") % {"n": f"{MAX_ANSWER_CHARS:,}".replace(",", ".")},
                               code="answer_too_long")
    if public_question is not None:
        public_question = required_text(
            public_question, limit=MAX_QUESTION_CHARS, missing=_("Write the question as it will be published."),
            too_long=_question_too_long(), code="public_question",
        )
    question = _lock(answer.question)
    if not workflows.QUESTION_SPEC.has_flag(question.state, "drafting"):
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


def answer_typed_differs(answer: Answer, *, text: str, public_question: str | None = None) -> bool:
    """Whether what the officer has on screen differs from the saved draft (the answer's
    text or the question's public wording)."""
    if clean_text(text) != answer.draft_text:
        return True
    return public_question is not None and clean_text(public_question) != clean_text(public_question_proposal(answer))


@transaction.atomic
def answer_typed_keep(*, answer: Answer, actor: Any, text: str, public_question: str | None = None) -> bool:
    """What the officer has on screen when pressing a button other than "Save the answer"
    (send for approval, add a source, assign, a note…), saved first as an edit (audited as
    one) when it differs from the draft: whatever is on the screen when a button is pressed
    is what is kept. True when it was saved."""
    if not answer_typed_differs(answer, text=text, public_question=public_question):
        return False
    answer_edit(answer=answer, actor=actor, text=text, public_question=public_question)
    return True


@transaction.atomic
def answer_source_add(*, answer: Answer, actor: Any, passage_id: int, text: str | None = None, public_question: str | None = None) -> Citation:
    """A passage of the knowledge base the retrieval did not bring, added by the officer as
    the next numbered source, so that the answer may cite it. ``text`` (and
    ``public_question``), what the officer has on screen, is saved with it, its citations
    checked against the sources with the new one."""
    ensure_role(actor, ANSWER_QUESTIONS)
    question = _lock(answer.question)
    if not workflows.QUESTION_SPEC.has_flag(question.state, "drafting"):
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
    if text is not None:
        answer_typed_keep(answer=answer, actor=actor, text=text, public_question=public_question)
    return citation


@transaction.atomic
def question_submit(*, question: Question, actor: Any, text: str | None = None, public_question: str | None = None) -> Question:
    """The officer sends the answer for approval. ``text`` (and ``public_question``) is the
    answer as it is on the officer's screen: saved first, audited as an edit, when it differs
    from the draft, so that the manager approves what the officer sent, not an earlier draft."""
    ensure_role(actor, ANSWER_QUESTIONS)
    answer = Answer.objects.filter(question=question).first()
    if answer is None or not answer.draft_text.strip():
        raise ApplicationError(_("Draft the answer first."), code="no_draft")
    if text is not None and answer_typed_keep(answer=answer, actor=actor, text=text, public_question=public_question):
        answer.refresh_from_db()
    if answer.flagged:
        raise ApplicationError(_("Check the citations of the draft first: %(reason)s") % {"reason": answer.flag_reason}, code="flagged")
    question = question_transition(question=question, actor=actor, code="submit")
    question_staff_notify(question_managers(), actor=actor, question=question, message="qa.answer_awaits_approval")
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
    Question.objects.filter(Q(pk=question.pk) | Q(merged_into=question, state__in=workflows.states_with("merged"))).update(answer_emailed_at=None)
    question.answer_emailed_at = None
    _reason_to_officer(question, actor=actor, reason=reason, message="qa.answer_taken_down")
    _vectors_follow("embed_answers")
    return question


def _reason_to_officer(question: Question, *, actor: Any, reason: str, message: str) -> None:
    """A manager's reason for sending an answer back: kept as an internal note, and sent to
    the question's officer (``message`` the id of a `qa.notifications` message)."""
    InternalNote.objects.create(question=question, author=actor, text=reason)
    question_staff_notify([question.assignee], actor=actor, question=question, message=message, body=reason)


@transaction.atomic
def question_return(*, question: Question, actor: Any, reason: str) -> Question:
    ensure_role(actor, APPROVE_ANSWERS)
    reason = clean_text(reason)
    if not reason:
        raise ApplicationError(_("Say what to change."), code="reason_required")
    question = question_transition(question=question, actor=actor, code="return", note=reason[:2000])
    _reason_to_officer(question, actor=actor, reason=reason, message="qa.draft_returned")
    return question
