"""Reads of the Q&A service, limited to what the acting user may see."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode

from innohub.core.calendar import add_working_days
from innohub.core.db import latest_and_count
from innohub.core.permissions import user_has_role
from innohub.qa import drafting, workflows
from innohub.qa.models import (
    Answer,
    AnswerFeedback,
    Citation,
    Collection,
    FusionEstimate,
    KnowledgeDocument,
    Passage,
    Question,
    Topic,
)
from innohub.qa.permissions import VIEW_FUSION_WEIGHTS, VIEW_INBOX


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.all()


def _published() -> QuerySet[Answer]:
    return Answer.objects.public().select_related("question__topic")


def faq_list(*, user: Any = None, query: str = "", topic: str = "", language: str = "vi") -> list[Answer] | QuerySet[Answer]:
    """Published answers: by relevance when searching (diacritics optional; by meaning too
    for a reader in another ``language``), newest first otherwise."""
    answers = _published()
    if topic:
        answers = answers.filter(question__topic__code=topic)
    if not query.strip():
        return answers.order_by("-published_at", "-id")
    from innohub.qa import search

    # In another language the answers are ranked by meaning, which always finds some:
    # the ten closest are worth reading, not a long tail.
    hits = search.search_answers(query, k=50 if language == "vi" else 10, language=language)
    by_id = answers.in_bulk([h.pk for h in hits])
    return [by_id[h.pk] for h in hits if h.pk in by_id]


def suggestions(*, query: str, limit: int = 5, language: str = "vi") -> list[Answer]:
    if len(query.strip()) < 3:
        return []
    return list(faq_list(query=query[:500], language=language))[:limit]


def _public_answer(**lookup: Any) -> Answer | None:
    """A published answer with the sources its text cites (``cited``), as readers see it."""
    answer = (
        _published()
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.select_related("document", "cited_answer__question")))
        .filter(**lookup)
        .first()
    )
    if answer is not None:
        shown_citations(answer)
    return answer


def shown_citations(answer: Answer) -> Answer:
    """Prepare a published answer as readers see it: ``shown_text``, its text with the
    ``[n]`` numbered in order of appearance ([1], [2], [3] …, not the stored [1], [3], [7]),
    and ``cited``, the sources the text cites (not every one retrieved) in that order, each
    with its ``shown_number``."""
    text, order = drafting.renumber_citations(answer.published_text)
    cited = []
    for citation in answer.citations.all():
        if citation.number in order:
            citation.shown_number = order[citation.number]  # type: ignore[attr-defined]
            cited.append(citation)
    answer.shown_text = text  # type: ignore[attr-defined]
    answer.cited = sorted(cited, key=lambda c: c.shown_number)  # type: ignore[attr-defined]
    return answer


def answer_public_get(*, pk: int) -> Answer:
    answer = _public_answer(pk=pk)
    if answer is None:
        raise Http404
    return answer


def track_key(code: str) -> str:
    """The key in the link e-mailed to the asker: it opens the question's status without
    the e-mail address, as only the asker's mailbox (or browser, right after asking) has it."""
    return signing.Signer(salt="innohub.qa.track").signature((code or "").strip().upper())


def track_path(question: Question) -> str:
    """The asker's own link to the question's status page."""
    code = question.tracking_code
    return f"{reverse('qa:track')}?{urlencode({'code': code, 'key': track_key(code)})}"


def question_track(*, code: str, email: str = "", user: Any = None, key: str = "") -> Question | None:
    """The asker's question by tracking code; the e-mail must match unless it is the asker's
    own or the link's key opens it."""
    code = (code or "").strip().upper()
    question = Question.objects.select_related("topic", "merged_into").filter(tracking_code=code).first()
    if question is None:
        return None
    if getattr(user, "is_authenticated", False) and question.asker_id == user.pk:
        return question
    if email and question.asker_email.casefold() == email.strip().casefold():
        return question
    if key and constant_time_compare(key, track_key(code)):
        return question
    return None


def questions_asked_by(*, user: Any) -> QuerySet[Question]:
    """A member's own questions, the latest first."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    return Question.objects.filter(asker=user).select_related("topic").order_by("-created_at", "-id")


def asker_answer(question: Question) -> Answer | None:
    """The published answer the asker reads: the question's own, or, once merged, that of
    the question it is answered with."""
    question = _answered_with(question)
    return getattr(question, "answer", None) if question.is_published else None


def asker_answer_shown(question: Question) -> Answer | None:
    """:func:`asker_answer` as the asker's page shows it, with the sources it cites."""
    question = _answered_with(question)
    return _public_answer(question=question) if question.is_published else None


def asker_answers_shown(question_ids: Iterable[int]) -> dict[int, Answer]:
    """:func:`asker_answer_shown` for many questions at once (a page of notifications): question
    id → the answer its asker reads, for those that have one; three queries however many."""
    questions = Question.objects.select_related("merged_into").in_bulk(list(question_ids))
    answered_with = {pk: _answered_with(q) for pk, q in questions.items()}
    published = {q.pk for q in answered_with.values() if q.is_published}
    answers: dict[int, Answer] = {}
    for answer in (_published().filter(question_id__in=published)
                   .prefetch_related(Prefetch("citations", queryset=Citation.objects.select_related("document", "cited_answer__question")))):
        answers.setdefault(answer.question_id, answer)  # the first in the answers' order, as `_public_answer`
    return {pk: shown_citations(answers[q.pk]) for pk, q in answered_with.items() if q.pk in answers}


def _answered_with(question: Question) -> Question:
    """The question whose answer the asker reads: its own, or the one it was merged into."""
    if question.is_merged and question.merged_into is not None:
        return question.merged_into
    return question


def knowledge_find(*, user: Any, query: str, k: int = 8) -> list[Passage]:
    """The passages of documents in force that best match an officer's search."""
    if not user_has_role(user, VIEW_INBOX):
        raise PermissionDenied
    from innohub.qa import search

    hits = search.search_knowledge(query, k=k)
    passages = Passage.objects.select_related("document").in_bulk([h.pk for h in hits])
    return [passages[h.pk] for h in hits if h.pk in passages]


def inbox(
    *, user: Any, state: str = "", topic: str = "", unit: str = "", assignee: str = "", q: str = "", overdue: bool = False,
    cites: int | None = None,
) -> QuerySet[Question]:
    if not user_has_role(user, VIEW_INBOX):
        raise PermissionDenied
    today = timezone.localdate()
    qs = Question.objects.select_related("topic", "unit", "assignee").annotate(
        is_overdue=Case(
            When(Q(state__in=workflows.OPEN_STATES) & Q(due_date__lt=today), then=Value(1)),
            default=Value(0), output_field=IntegerField(),
        ),
        is_open_order=Case(When(state__in=workflows.OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField()),
    )
    if state == "open" or not state:
        qs = qs.filter(state__in=workflows.OPEN_STATES)
    elif state != "all":
        qs = qs.filter(state=state)
    if topic:
        qs = qs.filter(topic__code=topic)
    if unit:
        qs = qs.filter(unit__code=unit)
    if assignee == "me":
        qs = qs.filter(assignee=user)
    elif assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    if q:
        qs = qs.filter(Q(tracking_code__icontains=q.strip()) | Q(text__icontains=q.strip()))
    if overdue:
        qs = qs.filter(is_overdue=1)
    if cites:  # the questions whose answer cites this document (to review once it changes)
        qs = qs.filter(_answer_cites(cites))
    return qs.order_by("is_open_order", "-is_overdue", "due_date", "id")


def answers_citing(*, user: Any, document: KnowledgeDocument) -> dict[str, int]:
    """How many questions have an answer citing the document: published, and in all (drafts too)."""
    if not user_has_role(user, VIEW_INBOX):
        raise PermissionDenied
    citing = Question.objects.filter(_answer_cites(document.pk))
    return citing.aggregate(published=Count("id", filter=Q(state__in=workflows.states_with("published"))), total=Count("id"))


def _answer_cites(document_id: int) -> Exists:
    """A question's filter: its answer (draft or published) cites the document."""
    return Exists(Citation.objects.filter(answer__question=OuterRef("pk"), document_id=document_id))


def question_for_staff(*, user: Any, pk: int) -> Question:
    if not user_has_role(user, VIEW_INBOX):
        raise PermissionDenied
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Question.objects.select_related("topic", "unit", "assignee", "merged_into", "asker").prefetch_related("notes__author"),
        pk=pk,
    )


def published_answer_for_staff(*, user: Any, question: Question) -> Answer:
    """The question's answer once it has been published (taken down since, too), or 404."""
    answer = answer_for_staff(user=user, question=question)
    if answer is None or answer.published_at is None:
        raise Http404
    return answer


def answer_for_staff(*, user: Any, question: Question) -> Answer | None:
    if not user_has_role(user, VIEW_INBOX):
        raise PermissionDenied
    return (
        Answer.objects.filter(question=question)
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.select_related("document", "passage", "cited_answer__question")))
        .first()
    )


def current_feedback() -> QuerySet[AnswerFeedback]:
    """Readers' feedback on answers as they read now: given since the answer was last published."""
    return AnswerFeedback.objects.filter(updated_at__gte=F("answer__published_at"))


def reader_feedback(*, answer: Answer, reader: str | None) -> AnswerFeedback | None:
    """What this reader said of this answer as it reads now, if anything."""
    return current_feedback().filter(answer=answer, reader=reader).first() if reader else None


@dataclass(frozen=True)
class Ratings:
    helpful: int
    not_helpful: int

    @property
    def rated(self) -> int:
        return self.helpful + self.not_helpful


@dataclass(frozen=True)
class FeedbackSummary(Ratings):
    comments: list[AnswerFeedback]  # the latest of what readers said was missing
    comments_total: int


FEEDBACK_COMMENTS_SHOWN = 5


def answer_feedback_comments(*, user: Any, answer: Answer) -> QuerySet[AnswerFeedback]:
    """What readers said was missing from the answer as it reads now, the latest first."""
    if not user_has_role(user, VIEW_INBOX):
        raise PermissionDenied
    return current_feedback().filter(answer=answer, helpful=False).exclude(comment="")


def answer_ratings(*, user: Any, answer: Answer) -> Ratings:
    """How readers rated the answer as it reads now."""
    if not user_has_role(user, VIEW_INBOX):
        raise PermissionDenied
    counts = current_feedback().filter(answer=answer).aggregate(
        yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False)),
    )
    return Ratings(helpful=counts["yes"], not_helpful=counts["no"])


def answer_feedback_summary(*, user: Any, answer: Answer) -> FeedbackSummary:
    """For the staff page of a question: how its readers rated the answer, and what they missed."""
    ratings = answer_ratings(user=user, answer=answer)
    latest, total = latest_and_count(answer_feedback_comments(user=user, answer=answer), FEEDBACK_COMMENTS_SHOWN)
    return FeedbackSummary(helpful=ratings.helpful, not_helpful=ratings.not_helpful, comments=latest, comments_total=total)


DUPLICATE_CANDIDATES = 500  # the latest questions a question is compared with


def possible_duplicates(*, user: Any, question: Question, k: int = 5) -> list[Question]:
    """Questions that ask nearly what this one asks, for an officer to merge it into: the
    latest open or answered ones, best match first. Empty once the question can no longer
    be merged."""
    if not user_has_role(user, VIEW_INBOX):
        raise PermissionDenied
    if question.state not in workflows.TRANSITIONS["merge"].source:
        return []
    from innohub.qa import search

    rows = (
        Question.objects.filter(state__in=workflows.states_with("open", "published"))
        .exclude(pk=question.pk).exclude(merged_into=question)
        .order_by("-created_at").values_list("pk", "text", "answer__published_question")[:DUPLICATE_CANDIDATES]
    )
    # an answered question is compared as published: the officer's wording, without the
    # asker's story, name or phone number around what was asked (and the page shows it so)
    candidates = [(pk, published or text) for pk, text, published in rows]
    ids = search.similar_texts(question.text, candidates, k=k)
    found = Question.objects.select_related("answer").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def knowledge_documents(*, user: Any) -> QuerySet[KnowledgeDocument]:
    if not user_has_role(user, VIEW_INBOX):
        raise PermissionDenied
    return KnowledgeDocument.objects.select_related("replaces").prefetch_related("newer_versions").annotate(passage_count=Count("passages")).order_by("-updated_at")


@dataclass(frozen=True)
class CollectionWeight:
    """A knowledge-base collection's fusion weight as drafting uses it now: its newest
    estimate (``None``: never estimated, the default share)."""

    collection: str
    label: str
    share: float
    estimate: FusionEstimate | None

    @property
    def dense(self) -> bool:
        return self.share < 1.0


def fusion_weights(*, user: Any) -> list[CollectionWeight]:
    """Every collection's current fusion weight, in the order of ``Collection``."""
    if not user_has_role(user, VIEW_FUSION_WEIGHTS):
        raise PermissionDenied
    from innohub.qa import search
    from innohub.qa.retrieval import fusion

    latest = search.fusion_weights()
    return [
        CollectionWeight(
            collection=code, label=str(label), estimate=(estimate := latest.get(code)),
            share=estimate.lexical_share if estimate is not None else fusion.DEFAULT_SHARE,
        )
        for code, label in Collection.choices
    ]


def fusion_estimate_history(*, user: Any) -> QuerySet[FusionEstimate]:
    """Every estimate of every collection, newest first (the page paginates it)."""
    if not user_has_role(user, VIEW_FUSION_WEIGHTS):
        raise PermissionDenied
    return FusionEstimate.objects.order_by("-created_at", "-id")


def document_public_get(*, pk: int) -> KnowledgeDocument:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(KnowledgeDocument.objects.all(), pk=pk, status=KnowledgeDocument.Status.READY)


def passage_page_number(*, document: KnowledgeDocument, anchor: str, per_page: int) -> int | None:
    """The page of ``document``'s passages (``per_page`` a page, in order) that holds the
    passage with ``anchor`` ("p12"), so that a citation opens the page its passage is on;
    ``None`` for an anchor the document does not have."""
    order = Passage.order_from_anchor(anchor)
    if order is None:
        return None
    found = document.passages.aggregate(here=Count("id", filter=Q(order=order)), before=Count("id", filter=Q(order__lt=order)))
    return found["before"] // per_page + 1 if found["here"] else None


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


REVIEW_MIN_RATINGS = 3  # an answer's share found helpful is listed for review from this many ratings
REVIEW_SHOWN = 10


def statistics_summary(*, user: Any, date_from: dt.date | None = None, date_to: dt.date | None = None) -> dict[str, Any]:
    """Questions by topic and state, time to answer (days; median, p90), share on time, by month.

    A question still open past its due date is already late: it counts against the share
    on time (``open_overdue``, today's count, beside it), or a month with one answer on
    time and nine forgotten questions would read 100 %."""
    if not user_has_role(user, VIEW_INBOX):
        raise PermissionDenied
    qs = Question.objects.all()
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    published = workflows.states_with("published")
    by_state = {row["state"]: row["n"] for row in qs.values("state").annotate(n=Count("id"))}
    topics = {t.pk: t.label for t in Topic.objects.all()}
    by_topic = [
        {"topic": topics.get(row["topic"], "?"), "topic_id": row["topic"], "n": row["n"], "answered": row["answered"]}
        for row in qs.values("topic").annotate(n=Count("id"), answered=Count("id", filter=Q(state__in=published))).order_by("-n")
    ]
    answered = list(qs.filter(state__in=published, closed_at__isnull=False).values_list("created_at", "closed_at", "due_date"))
    by_asked_month: dict[tuple[int, int], list[tuple]] = {}
    for answer_row in answered:
        asked = timezone.localtime(answer_row[0])
        by_asked_month.setdefault((asked.year, asked.month), []).append(answer_row)
    late = Q(state__in=workflows.OPEN_STATES, due_date__lt=timezone.localdate())
    months = []
    for row in (
        qs.annotate(month=TruncMonth("created_at")).values("month")
        .annotate(asked=Count("id"), answered=Count("id", filter=Q(state__in=published)), open_overdue=Count("id", filter=late))
        .order_by("month")
    ):
        start = row["month"]
        month = timezone.localtime(start) if timezone.is_aware(start) else start
        months.append({
            "month": start, "asked": row["asked"], "answered": row["answered"], "open_overdue": row["open_overdue"],
            **_time_to_answer(by_asked_month.get((month.year, month.month), []), open_overdue=row["open_overdue"]),
        })  # fmt: skip
    open_overdue = sum(m["open_overdue"] for m in months)
    # readers' ratings of the answers to these questions, as they read now
    ratings = current_feedback().filter(answer__question__in=qs.filter(state__in=published))
    rated_by_topic = {
        row["answer__question__topic"]: row
        for row in ratings.values("answer__question__topic").annotate(rated=Count("id"), yes=Count("id", filter=Q(helpful=True)))
    }
    for row in by_topic:
        topic_ratings = rated_by_topic.get(row.pop("topic_id"), {"rated": 0, "yes": 0})
        row.update(rated=topic_ratings["rated"], helpful=topic_ratings["yes"], helpful_share=_share(topic_ratings["yes"], topic_ratings["rated"]))
    rated = sum(r["rated"] for r in rated_by_topic.values())
    helpful = sum(r["yes"] for r in rated_by_topic.values())
    # the answers readers found least helpful, enough of them to tell: the ones to look at again
    to_review = (
        ratings.values("answer__question", "answer__question__tracking_code", "answer__published_question")
        .annotate(rated=Count("id"), yes=Count("id", filter=Q(helpful=True)))
        .filter(rated__gte=REVIEW_MIN_RATINGS, yes__lt=F("rated"))
        .annotate(share=ExpressionWrapper(Cast("yes", FloatField()) / F("rated"), output_field=FloatField()))
        .order_by("share", "-rated", "answer__question")[:REVIEW_SHOWN]
    )
    least_helpful = [
        {"question_id": row["answer__question"], "tracking_code": row["answer__question__tracking_code"],
         "question": row["answer__published_question"], "rated": row["rated"], "helpful": row["yes"],
         "helpful_share": _share(row["yes"], row["rated"])}
        for row in to_review
    ]  # fmt: skip
    return {
        "total": sum(by_state.values()),
        "by_state": [{"code": code, "label": workflows.staff_label(code), "n": by_state.get(code, 0)} for code in workflows.STATES],
        "by_topic": by_topic,
        "answered": len(answered),
        "open_overdue": open_overdue,
        **_time_to_answer(answered, open_overdue=open_overdue),
        "by_month": months,
        "rated": rated,
        "helpful": helpful,
        "helpful_share": _share(helpful, rated),
        "least_helpful": least_helpful,
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _time_to_answer(answered: list[tuple], *, open_overdue: int = 0) -> dict[str, float | int | None]:
    """Median and 90th percentile of the days from question to answer, over
    ``(created_at, closed_at, due_date)`` rows, and the share on time: those answered by
    their due date among those answered and those ``open_overdue`` (open, past due), with the
    two counts it divides (``on_time`` of ``on_time_of``), which the page shows beside it."""
    days = [(closed - created).total_seconds() / 86400 for created, closed, _due in answered if closed and created]
    on_time = sum(1 for _c, closed, due in answered if closed and timezone.localtime(closed).date() <= due)
    counted = len(answered) + open_overdue
    return {
        "median_days": round(statistics.median(days), 1) if days else None,
        "p90_days": round(p90, 1) if (p90 := _percentile(days, 0.9)) is not None else None,
        "on_time_share": round(on_time / counted, 3) if counted else None,
        "on_time": on_time,
        "on_time_of": counted,
    }


# --- Figures for the ecosystem index ----------------------------------------------------------
def questions_closed_by_asker(*, years: list[int]) -> list[tuple[int, dt.datetime, dt.date]]:
    """(asker's account, closed at, due date) of the members' questions closed in these years:
    the index counts the share answered on time by the commune of the asker's organisation. No text, no name."""
    rows = Question.objects.filter(closed_at__year__in=years, asker__isnull=False)
    # closed_at is never null here (filtered on its year); the comprehension tells mypy so
    return [(asker, closed, due) for asker, closed, due in rows.values_list("asker_id", "closed_at", "due_date") if closed is not None]


def questions_to_remind(*, today: dt.date) -> list[int]:
    """Ids of the open questions due by the next working day, or late, not yet reminded
    today (the daily reminder's list; each is reminded by ``services.question_remind``)."""
    return list(
        Question.objects.filter(state__in=workflows.states_with("open"), due_date__lte=add_working_days(today, 1))
        .exclude(reminded_on=today)
        .values_list("id", flat=True)
    )
