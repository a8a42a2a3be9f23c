"""The Q&A service over the API: the public FAQ, asking and tracking, and the staff
operations with the same checks as the pages (services and selectors do the checking)."""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from innohub.api.pagination import PagePagination
from innohub.api.schemas import ERROR_RESPONSES, IsoDate
from innohub.core import personal_data
from innohub.core.client_ip import client_ip
from innohub.core.errors import ApplicationError
from innohub.qa import drafting, selectors, services
from innohub.qa.models import Answer, Passage, Question, Topic
from innohub.qa.services import MAX_FEEDBACK_CHARS

router = Router(tags=["qa"])


def _clean(value: str) -> str:
    return (value or "").replace("\x00", "")


class TopicOut(Schema):
    code: str
    name: str
    name_en: str


class CitationOut(Schema):
    number: int = Field(..., description="as the answer's text cites it: numbered in order of appearance")
    source: str = Field(alias="source_label")
    place: str
    quote: str
    document_id: int | None = None
    anchor: str
    cited_answer_id: int | None = None
    url: str = Field("", description="the cited passage on its document's public page, or the cited answer's page")

    @staticmethod
    def resolve_number(obj: Any) -> int:
        return getattr(obj, "shown_number", obj.number)


class AnswerOut(Schema):
    id: int
    question: str = Field(alias="published_question")
    answer: str = Field("", description="the published answer, its [n] numbered in order of appearance")
    topic: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_topic(obj: Answer) -> str:
        return obj.question.topic.code

    @staticmethod
    def resolve_answer(obj: Answer) -> str:
        # its [n] numbered in order of appearance, as the answer's page shows them
        shown = getattr(obj, "shown_text", None)
        return shown if shown is not None else drafting.renumber_citations(obj.published_text)[0]


class AnswerDetailOut(AnswerOut):
    citations: list[CitationOut]

    @staticmethod
    def resolve_citations(obj: Answer) -> list:
        if not hasattr(obj, "cited"):
            selectors.shown_citations(obj)
        return list(obj.cited)


class FaqFilters(Schema):
    q: str = Field("", max_length=300)
    topic: str = Field("", max_length=40)


class AskIn(Schema):
    topic: str = Field(..., max_length=40, description="Topic code (see /qa/topics)")
    text: str = Field(..., max_length=200_000)
    email: str = Field(..., max_length=254)
    name: str = Field("", max_length=200)
    language: str = Field("vi", max_length=5)
    website: str = Field("", max_length=200, description="Leave empty (spam trap)")
    consent: bool = Field(False, description="The asker ticked the consent to the processing of their data (required; its current text and version are recorded)")


class Receipt(Schema):
    tracking_code: str
    state: str
    status: str = Field(alias="public_state_label")
    due_date: dt.date


class TrackIn(Schema):
    code: str = Field(..., max_length=20)
    email: str = Field("", max_length=254, description="The e-mail address used to ask")
    key: str = Field("", max_length=100, description="Or the key from the link e-mailed to the asker")


class TrackOut(Receipt):
    topic: str
    created_at: dt.datetime
    reject_reason: str
    answer_id: int | None = None

    @staticmethod
    def resolve_topic(obj: Question) -> str:
        return obj.topic.code

    @staticmethod
    def resolve_answer_id(obj: Question) -> int | None:
        answer = selectors.asker_answer(obj)
        return answer.pk if answer else None


# -- public ---------------------------------------------------------------------------
@router.get("/topics", auth=None, response={200: list[TopicOut], **ERROR_RESPONSES}, summary="Topics of questions")
@paginate(PagePagination)
def list_topics(request: HttpRequest):
    return Topic.objects.all()


@router.get("/answers", auth=None, response={200: list[AnswerOut], **ERROR_RESPONSES}, summary="Published answers (search with or without diacritics)")
@paginate(PagePagination)
def list_answers(request: HttpRequest, filters: Query[FaqFilters]):
    return selectors.faq_list(query=_clean(filters.q), topic=_clean(filters.topic))


@router.get("/answers/{answer_id}", auth=None, response={200: AnswerDetailOut, **ERROR_RESPONSES}, summary="One published answer with its citations")
def get_answer(request: HttpRequest, answer_id: int):
    return selectors.answer_public_get(pk=answer_id)


@router.get("/suggestions", auth=None, response={200: list[AnswerOut], **ERROR_RESPONSES}, summary="Published answers close to a question being typed")
@paginate(PagePagination)
def list_suggestions(request: HttpRequest, q: str = Query("", max_length=500)):
    return selectors.suggestions(query=_clean(q))


class FeedbackIn(Schema):
    helpful: bool = Field(..., strict=True, description="Whether the answer helped")
    comment: str = Field("", max_length=MAX_FEEDBACK_CHARS, description="What was missing or unclear (kept with helpful: false)")


class FeedbackOut(Schema):
    answer_id: int
    helpful: bool
    comment: str


@router.post(
    "/answers/{answer_id}/feedback", response={200: FeedbackOut, **ERROR_RESPONSES},
    summary="Say whether a published answer helped (signed-in readers; visitors rate on the answer's page)",
)
def give_feedback(request: HttpRequest, answer_id: int, payload: FeedbackIn):
    answer = selectors.answer_public_get(pk=answer_id)
    return services.answer_feedback_give(
        answer=answer, reader=services.feedback_reader(user=request.auth, session_key=None), helpful=payload.helpful,
        comment=_clean(payload.comment), actor=request.auth, ip=client_ip(request),
    )


def _topic(code: str) -> Topic:
    topic = Topic.objects.filter(code=_clean(code)).first()
    if topic is None:
        raise ApplicationError(_("Unknown topic."), extra={"topic": "unknown"}, code="unknown_topic")
    return topic


@router.post("/questions", auth=None, response={201: Receipt, **ERROR_RESPONSES}, summary="Ask a question")
def ask(request: HttpRequest, payload: AskIn):
    personal_data.consent_require(given=payload.consent, purpose="qa.ask")
    with transaction.atomic():
        question = services.question_ask(
            topic=_topic(payload.topic), text=_clean(payload.text), asker_email=_clean(payload.email), asker_name=_clean(payload.name),
            language=payload.language, ip=client_ip(request), honeypot=payload.website,
        )
        personal_data.consent_record(purpose="qa.ask", target=question, actor=request.user)
    return Status(201, question)


@router.post("/track", auth=None, response={200: TrackOut, **ERROR_RESPONSES}, summary="The status of a question, by tracking code and e-mail or link key")
def track(request: HttpRequest, payload: TrackIn):
    question = selectors.question_track(code=_clean(payload.code), email=_clean(payload.email), key=_clean(payload.key))
    if question is None:
        raise Http404
    return question


@router.get("/my-questions", response={200: list[TrackOut], **ERROR_RESPONSES}, summary="The signed-in member's own questions, the latest first")
@paginate(PagePagination)
def my_questions(request: HttpRequest):
    return selectors.questions_asked_by(user=request.auth).select_related("answer", "merged_into__answer")


# -- staff ---------------------------------------------------------------------------
class InboxFilters(Schema):
    state: str = Field("", max_length=30)
    topic: str = Field("", max_length=40)
    unit: str = Field("", max_length=40)
    assignee: str = Field("", max_length=10, description="'me' or 'none'")
    q: str = Field("", max_length=200)
    overdue: bool = False


class NoteOut(Schema):
    id: int
    author: str
    text: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.username


class StaffCitationOut(CitationOut):
    score: float
    passage_id: int | None = None


class PassageFoundOut(Schema):
    id: int
    document_id: int
    document: str
    place: str
    text: str

    @staticmethod
    def resolve_document(obj: Passage) -> str:
        return str(obj.document)


class DraftOut(Schema):
    id: int
    draft_text: str
    generator: str
    flagged: bool
    flag_reason: str
    citations: list[StaffCitationOut]
    public_question: str = Field(description="The question's wording for publication (redacted again when published)")
    published_text: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_citations(obj: Answer) -> list:
        return list(obj.citations.all())

    @staticmethod
    def resolve_public_question(obj: Answer) -> str:
        return services.public_question_proposal(obj)


class QuestionStaffOut(Schema):
    id: int
    tracking_code: str
    state: str
    state_label: str = Field(alias="staff_state_label")
    topic: str
    unit: str | None = None
    text: str
    asker_name: str
    asker_email: str
    due_date: dt.date
    overdue: bool
    assignee_id: int | None = None
    merged_into_id: int | None = None
    reject_reason: str
    created_at: dt.datetime

    @staticmethod
    def resolve_topic(obj: Question) -> str:
        return obj.topic.code

    @staticmethod
    def resolve_unit(obj: Question) -> str | None:
        return obj.unit.code if obj.unit_id and obj.unit else None

    @staticmethod
    def resolve_overdue(obj: Question) -> bool:
        from django.utils import timezone

        return obj.is_open and obj.due_date < timezone.localdate()


class QuestionStaffDetail(QuestionStaffOut):
    notes: list[NoteOut]
    answer: DraftOut | None = None

    @staticmethod
    def resolve_notes(obj: Question) -> list:
        return list(obj.notes.all())

    @staticmethod
    def resolve_answer(obj: Question):
        return Answer.objects.filter(question=obj).prefetch_related("citations").first()


class AssignIn(Schema):
    assignee_id: int


class TextIn(Schema):
    text: str = Field(..., max_length=20_000)


class AnswerIn(TextIn):
    # no schema limit: the service refuses an over-long answer as a 400 problem saying the
    # limit, as it does for the page (a 422 would name no limit the officer can act on)
    text: str = Field(..., description="The answer, at most 20,000 characters once cleaned; a longer one is refused (400)")
    question: str | None = Field(
        None, max_length=20_000, description="The question as it will be published; left out, the current wording stays"
    )


class SourceIn(Schema):
    passage_id: int = Field(..., ge=1, le=2**31 - 1, description="A passage of a document in force (GET /qa/knowledge/passages finds one)")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


class TopicIn(Schema):
    topic: str = Field(..., max_length=40, description="Code of the topic (GET /qa/topics)")


class MergeIn(Schema):
    into: str = Field(..., max_length=20, description="Tracking code of the question to merge into")


class Count(Schema):
    code: str | None = None
    label: str | None = None
    topic: str | None = None
    n: int
    answered: int | None = None
    rated: int | None = Field(None, description="Readers' ratings of the topic's answers as they read now")
    helpful: int | None = Field(None, description="Of those, the ratings that found the answer helpful")
    helpful_share: float | None = None


class MonthOut(Schema):
    month: dt.datetime | None
    asked: int
    answered: int
    median_days: float | None = Field(None, description="Of the questions asked that month and answered")
    p90_days: float | None = None
    on_time_share: float | None = Field(None, description="Answered by the due date, of those answered and those open past it")
    open_overdue: int = Field(0, description="Asked that month, still open and past their due date")


class ToReviewOut(Schema):
    question_id: int
    tracking_code: str
    question: str = Field(description="The question as published")
    rated: int
    helpful: int
    helpful_share: float | None


class StatsOut(Schema):
    total: int
    answered: int
    median_days: float | None
    p90_days: float | None
    on_time_share: float | None = Field(None, description="Answered by the due date, of those answered and those open past it")
    open_overdue: int = Field(0, description="Open questions past their due date")
    by_state: list[Count]
    by_topic: list[Count]
    by_month: list[MonthOut]
    rated: int = Field(0, description="Readers' ratings of the answers as they read now (given since each was last published)")
    helpful: int = Field(0, description="Of those, the ratings that found the answer helpful")
    helpful_share: float | None = None
    least_helpful: list[ToReviewOut] = Field(
        default_factory=list, description="Answers with at least 3 ratings, not all helpful, the least helpful first (at most 10)",
    )


def _question(request: HttpRequest, question_id: int) -> Question:
    return selectors.question_for_staff(user=request.auth, pk=question_id)


def _draft(request: HttpRequest, question_id: int) -> Answer:
    answer = Answer.objects.filter(question=_question(request, question_id)).first()
    if answer is None:
        raise ApplicationError(_("Draft the answer first."), code="no_draft")
    return answer


@router.get("/inbox", response={200: list[QuestionStaffOut], **ERROR_RESPONSES}, summary="Questions to answer, overdue first")
@paginate(PagePagination)
def inbox(request: HttpRequest, filters: Query[InboxFilters]):
    return selectors.inbox(
        user=request.auth, state=_clean(filters.state), topic=_clean(filters.topic), unit=_clean(filters.unit),
        assignee=_clean(filters.assignee), q=_clean(filters.q), overdue=filters.overdue,
    )


@router.get("/questions/{question_id}", response={200: QuestionStaffDetail, **ERROR_RESPONSES}, summary="A question with its notes and draft")
def get_question(request: HttpRequest, question_id: int):
    return _question(request, question_id)


@router.get("/questions/{question_id}/duplicates", response={200: list[QuestionStaffOut], **ERROR_RESPONSES},
            summary="Questions asking nearly the same, to merge this one into (best first; none once it cannot be merged)")
@paginate(PagePagination)
def list_duplicates(request: HttpRequest, question_id: int):
    question = _question(request, question_id)
    return selectors.possible_duplicates(user=request.auth, question=question)


class FeedbackCommentOut(Schema):
    comment: str
    updated_at: dt.datetime


@router.get("/questions/{question_id}/feedback", response={200: list[FeedbackCommentOut], **ERROR_RESPONSES},
            summary="What readers said was missing from the published answer, the latest first")
@paginate(PagePagination)
def list_feedback_comments(request: HttpRequest, question_id: int):
    answer = selectors.published_answer_for_staff(user=request.auth, question=_question(request, question_id))
    return selectors.answer_feedback_comments(user=request.auth, answer=answer)


@router.post("/questions/{question_id}/assign", response={200: QuestionStaffOut, **ERROR_RESPONSES}, summary="Assign to an officer")
def assign(request: HttpRequest, question_id: int, payload: AssignIn):
    question = _question(request, question_id)
    assignee = get_object_or_404(get_user_model(), pk=payload.assignee_id)
    return services.question_assign(question=question, actor=request.auth, assignee=assignee)


@router.post("/questions/{question_id}/topic", response={200: QuestionStaffOut, **ERROR_RESPONSES},
             summary="Move to another topic, and so to the unit answering it (the due date stays)")
def reroute(request: HttpRequest, question_id: int, payload: TopicIn):
    return services.question_reroute(question=_question(request, question_id), actor=request.auth, topic=_topic(payload.topic))


@router.post("/questions/{question_id}/notes", response={201: NoteOut, **ERROR_RESPONSES}, summary="Add an internal note")
def add_note(request: HttpRequest, question_id: int, payload: TextIn):
    return Status(201, services.question_note_add(question=_question(request, question_id), actor=request.auth, text=_clean(payload.text)))


@router.post("/questions/{question_id}/draft", response={200: DraftOut, **ERROR_RESPONSES}, summary="Draft an answer from the knowledge base")
def draft(request: HttpRequest, question_id: int):
    return services.question_draft(question=_question(request, question_id), actor=request.auth)


@router.put("/questions/{question_id}/answer", response={200: DraftOut, **ERROR_RESPONSES}, summary="Edit the draft answer")
def edit_answer(request: HttpRequest, question_id: int, payload: AnswerIn):
    answer = _draft(request, question_id)
    public_question = None if payload.question is None else _clean(payload.question)
    return services.answer_edit(answer=answer, actor=request.auth, text=_clean(payload.text), public_question=public_question)


@router.get("/knowledge/passages", response={200: list[PassageFoundOut], **ERROR_RESPONSES}, summary="Passages of documents in force matching a search, best first")
@paginate(PagePagination)
def knowledge_passages(request: HttpRequest, q: str = Query(..., min_length=1, max_length=300)):
    return selectors.knowledge_find(user=request.auth, query=_clean(q))


@router.post("/questions/{question_id}/sources", response={201: DraftOut, **ERROR_RESPONSES}, summary="Add a passage as the draft's next source")
def add_source(request: HttpRequest, question_id: int, payload: SourceIn):
    answer = _draft(request, question_id)
    services.answer_source_add(answer=answer, actor=request.auth, passage_id=payload.passage_id)
    return Status(201, answer)


@router.post("/questions/{question_id}/submit", response={200: QuestionStaffOut, **ERROR_RESPONSES}, summary="Send the answer for approval")
def submit(request: HttpRequest, question_id: int):
    return services.question_submit(question=_question(request, question_id), actor=request.auth)


@router.post("/questions/{question_id}/publish", response={200: DraftOut, **ERROR_RESPONSES}, summary="Approve and publish (managers)")
def publish(request: HttpRequest, question_id: int):
    return services.question_publish(question=_question(request, question_id), actor=request.auth)


@router.post("/questions/{question_id}/return", response={200: QuestionStaffOut, **ERROR_RESPONSES}, summary="Return the draft to the officer (managers)")
def return_draft(request: HttpRequest, question_id: int, payload: ReasonIn):
    return services.question_return(question=_question(request, question_id), actor=request.auth, reason=_clean(payload.reason))


@router.post("/questions/{question_id}/correct", response={200: QuestionStaffOut, **ERROR_RESPONSES},
             summary="Take a published answer down to correct it (managers); the question is a draft again")
def correct(request: HttpRequest, question_id: int, payload: ReasonIn):
    return services.question_correct(question=_question(request, question_id), actor=request.auth, reason=_clean(payload.reason))


@router.post("/questions/{question_id}/reject", response={200: QuestionStaffOut, **ERROR_RESPONSES}, summary="Reject as out of scope, with a reason")
def reject(request: HttpRequest, question_id: int, payload: ReasonIn):
    return services.question_reject(question=_question(request, question_id), actor=request.auth, reason=_clean(payload.reason))


@router.post("/questions/{question_id}/merge", response={200: QuestionStaffOut, **ERROR_RESPONSES}, summary="Merge into another question")
def merge(request: HttpRequest, question_id: int, payload: MergeIn):
    question = _question(request, question_id)
    into = get_object_or_404(Question, tracking_code=_clean(payload.into).strip().upper())
    return services.question_merge(question=question, actor=request.auth, into=into)


@router.get("/stats", response={200: StatsOut, **ERROR_RESPONSES}, summary="Questions by topic, state and month; time to answer")
def stats(request: HttpRequest, date_from: IsoDate | None = None, date_to: IsoDate | None = None):
    return selectors.statistics_summary(user=request.auth, date_from=date_from, date_to=date_to)
