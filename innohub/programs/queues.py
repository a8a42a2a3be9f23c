"""The programmes' staff work queues (declared on `ProgramsConfig.work_queues`, shown by
`core.queues`): each a selector taking the acting user and returning, in the order to be
done, what waits for that role. States are read through workflow flags (`selectors.states_q`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Exists, F, OuterRef, QuerySet, Value, When
from django.utils import timezone

from innohub.core.permissions import user_has_role
from innohub.programs.models import Application, Call, Message, Milestone, Review
from innohub.programs.permissions import DECIDE, MANAGE_PROGRAMMES, REVIEW
from innohub.programs.selectors import states_q


def _ensure(user: Any, roles: frozenset[str]) -> None:
    if not user_has_role(user, roles):
        raise PermissionDenied


def _waiting_for_check(user: Any) -> QuerySet[Application]:
    """Applications with staff for their eligibility check (not those sent back to the applicant)."""
    _ensure(user, MANAGE_PROGRAMMES)
    return (
        Application.objects.filter(states_q("awaiting_check")).exclude(states_q("returned"))
        .select_related("call", "organisation")
        .order_by(F("submitted_at").asc(nulls_last=True), "id")
    )


def _replied() -> Exists:
    return Exists(Message.objects.filter(application=OuterRef("pk"), kind=Message.Kind.REPLY))


def eligibility_checks(*, user: Any) -> QuerySet[Application]:
    """Submitted applications awaiting their first eligibility check, oldest first."""
    return _waiting_for_check(user).filter(~_replied())


def information_answers(*, user: Any) -> QuerySet[Application]:
    """Applications returned for information and resubmitted with the applicant's answer."""
    return _waiting_for_check(user).filter(_replied())


def milestone_reports(*, user: Any) -> QuerySet[Milestone]:
    """Milestones reported by their startup, awaiting the officer's assessment, oldest report first."""
    _ensure(user, MANAGE_PROGRAMMES)
    return (
        Milestone.objects.filter(state=Milestone.State.REPORTED)
        .select_related("award__application", "award__organisation")
        .order_by(F("reported_at").asc(nulls_last=True), "id")
    )


def reviews_assigned(*, user: Any) -> QuerySet[Review]:
    """The reviewer's reviews still to do, the earliest due first (a call without a due date last)."""
    _ensure(user, REVIEW)
    overdue = Case(When(application__call__reviews_due_on__lt=timezone.localdate(), then=Value(True)), default=Value(False),
                   output_field=BooleanField())
    return (
        Review.objects.filter(reviewer=user, state=Review.State.ASSIGNED)
        .select_related("application__call", "application__organisation").annotate(is_overdue=overdue)
        .order_by(F("application__call__reviews_due_on").asc(nulls_last=True), "created_at", "id")
    )


def approvals_waiting(*, user: Any) -> QuerySet[Application]:
    """Ranked applications awaiting the manager's decision, call by call in rank order."""
    _ensure(user, DECIDE)
    return (
        Application.objects.filter(states_q("ranked"))
        .select_related("call", "organisation")
        .order_by("call__closes_at", "call_id", F("rank").asc(nulls_last=True), "id")
    )


def budget_by_call(*, user: Any) -> QuerySet[Call]:
    """Calls that have opened, newest first, with their budget and what is awarded of it."""
    _ensure(user, DECIDE)
    return Call.objects.filter(opens_at__lte=timezone.now(), published_at__isnull=False).select_related("programme").order_by("-opens_at", "id")
