"""A question's handling by staff: the one transition service, assignment, routing to another topic, internal notes, merging and rejection."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, notification_send, snapshot
from innohub.core.background import enqueue_on_commit
from innohub.core.calendar import add_working_days
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.permissions import ensure_role, user_has_role
from innohub.core.roles import Role
from innohub.qa import workflows
from innohub.qa.models import (
    InternalNote,
    Question,
    Topic,
)
from innohub.qa.permissions import ANSWER_QUESTIONS
from innohub.qa.services.base import MAX_QUESTION_CHARS, QUESTION_FIELDS
from innohub.qa.services.intake import clean_text
from innohub.workflow.services import transition_perform


# -- the workflow -----------------------------------------------------------------------
def _lock(question: Question) -> Question:
    return Question.objects.select_for_update(of=("self",)).select_related("topic", "unit").get(pk=question.pk)


@workflows.QUESTION.effect("mark_closed")
def _mark_closed(question: Question, actor: Any, payload: dict[str, Any], step: Any) -> None:
    if question.closed_at is None:
        question.closed_at = timezone.now()  # a corrected answer keeps its first publication's time to answer


# audited as "question.reject" (the step's ``action``), the label the audit log has for it
_REJECT_WITH_ORIGINAL = "reject_with_original"


def question_transition(
    *, question: Question, actor: Any, code: str, changes: dict[str, Any] | None = None, note: str = "",
    internal: bool = False,
) -> Question:
    """The one place a question changes state: role, source state, save, audit (the engine's
    `transition_perform`). ``internal`` allows the steps no page offers (reject_with_original)."""
    return transition_perform(obj=question, transition=code, actor=actor, changes=changes, note=note, internal=internal)


def question_managers() -> list[Any]:
    """The managers who approve answers and route unassigned questions."""
    return list(get_user_model().objects.filter(role=Role.MANAGER, is_active=True).order_by("pk")[:20])


def question_staff_notify(recipients: Any, *, actor: Any, question: Question, message: str, body: str = "") -> None:
    """Tell staff of a step that is now theirs (not the one who took it), each in their own
    language: ``message`` is the id of one of `qa.notifications`' messages."""
    from django.urls import reverse

    others = [user for user in recipients if user is not None and user.pk != getattr(actor, "pk", None)]
    notification_send(recipients=others, message=message, params={"code": question.tracking_code, "due": question.due_date, "reason": body},
                      url=reverse("qa:question", args=[question.pk]))


@transaction.atomic
def question_assign(*, question: Question, actor: Any, assignee: Any) -> Question:
    ensure_role(actor, ANSWER_QUESTIONS)
    if not user_has_role(assignee, ANSWER_QUESTIONS):
        raise ApplicationError(_("Questions can only be assigned to department staff."), code="bad_assignee")
    if workflows.QUESTION_SPEC.has_flag(question.state, "unassigned"):
        question = question_transition(question=question, actor=actor, code="assign", changes={"assignee": assignee})
    else:
        question = _lock(question)
        if not question.is_open:
            raise ConflictError(_("This question is closed."), code="wrong_state")
        before = snapshot(question, QUESTION_FIELDS)
        question.assignee = assignee
        question.save(update_fields=["assignee", "updated_at"])
        event_record(actor=actor, action="question.reassigned", target=question, before=before, after=snapshot(question, QUESTION_FIELDS))
    question_staff_notify([assignee], actor=actor, question=question, message="qa.question_assigned")
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
    if workflows.QUESTION_SPEC.has_flag(into.state, "merged") or workflows.QUESTION_SPEC.has_flag(into.state, "rejected"):
        raise ApplicationError(_("Merge into a question that is open or answered."), code="merge_closed")
    question = question_transition(question=question, actor=actor, code="merge", changes={"merged_into": into})
    if workflows.QUESTION_SPEC.has_flag(into.state, "published"):
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
    duplicates = Question.objects.filter(merged_into=question, state__in=workflows.QUESTION_SPEC.states_with("merged")).select_related("asker").order_by("pk")
    for duplicate in duplicates:
        if workflows.QUESTION_SPEC.has_flag(question.state, "rejected"):
            duplicate = question_transition(
                question=duplicate, actor=actor, code=_REJECT_WITH_ORIGINAL, internal=True,
                changes={"reject_reason": question.reject_reason},
                note=_("Rejected with question %(code)s, into which it was merged") % {"code": question.tracking_code},
            )  # fmt: skip
        elif duplicate.answer_emailed_at is not None:
            continue  # already told
        _notify_asker(duplicate)


def _notify_asker(question: Question) -> None:
    """Tell the asker of the question's outcome: a member in their notifications (with the
    answer and its sources, in their language), anyone else by e-mail (the task ``qa.tasks.email_asker``)."""
    asker = question.asker
    if asker is not None and asker.is_active and asker.email == question.asker_email:
        from innohub.qa.selectors import asker_answer_shown, track_path

        answer = asker_answer_shown(question)
        corrected = answer is not None and answer.corrected_at is not None
        published = workflows.QUESTION_SPEC.has_flag(question.state, "published")
        message = "qa.answer_corrected" if corrected else "qa.question_answered" if published else "qa.question_news"
        rejected = workflows.QUESTION_SPEC.has_flag(question.state, "rejected")
        notification_send(recipients=[asker], message=message, params={
            "code": question.tracking_code, "reason": question.reject_reason if rejected else "",
            "answer": question.pk if answer is not None and not rejected else None}, url=track_path(question))
        Question.objects.filter(pk=question.pk).update(answer_emailed_at=timezone.now())
        return
    enqueue_on_commit("innohub.qa.tasks.email_asker", question_id=question.pk)


def question_remind(*, question_id: int) -> bool:
    """Remind whoever holds an open question that it is due by the next working day, or
    late: its officer, or the managers while it awaits approval or has no officer. At most
    once a day (`reminded_on`), so a second run the same day sends nothing. Audited."""
    today = timezone.localdate()
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",))
            .select_related("assignee")
            .filter(pk=question_id, state__in=workflows.states_with("open"), due_date__lte=add_working_days(today, 1))
            .first()
        )
        if question is None or question.reminded_on == today:
            return False
        awaiting = workflows.has_flag(question.state, "awaiting_approval")
        holders = question_managers() if awaiting or question.assignee is None else [question.assignee]
        message = "qa.question_overdue" if question.due_date < today else "qa.question_due"
        question_staff_notify(holders, actor=None, question=question, message=message)
        question.reminded_on = today
        question.save(update_fields=["reminded_on"])
        event_record(actor=None, action="question.reminded", target=question, after={"due_date": question.due_date, "reminded_on": today})
    return True
