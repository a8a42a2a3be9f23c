"""Experts' reviews of applications: scores, conflicts of interest and the balanced assignment
of reviewers. The rules are the review engine's (`innohub.review`); this module reads and
writes the programme's reviews and audits them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub import review as review_engine
from innohub.activity.services import event_record, notification_send
from innohub.core.db import insert_many
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.permissions import ensure_role, user_has_role
from innohub.programs import permissions, selectors
from innohub.programs.models import (
    Application,
    Call,
    ConflictDeclaration,
    Review,
)
from innohub.programs.services.base import _officers, _url
from innohub.programs.workflows import spec_for
from innohub.review.drafts import DRAFT_FIELDS, draft_clear, draft_keep

# --- Reviews ------------------------------------------------------------------------------------------------


def weighted_score(*, criteria: Iterable[Any], scores: dict[str, Any]) -> Decimal | None:
    """Weighted mean on a 0–100 scale; "not applicable" (None) is left out (the review engine's rule)."""
    return review_engine.weighted_score(criteria=criteria, scores=scores)


def _open_review(review: Review, actor: Any) -> Review:
    """The review, locked, if the actor is its reviewer and may still change it."""
    review = Review.objects.select_for_update().select_related("application__call__rubric", "application__call__workflow").get(pk=review.pk)
    if review.reviewer_id != actor.pk or not user_has_role(actor, permissions.REVIEW):
        raise PermissionDenied
    if review.state != Review.State.ASSIGNED or not selectors.has_flag(review.application, "in_review"):
        raise ConflictError(_("This review can no longer be changed."))
    return review


@transaction.atomic
def review_draft_save(*, review: Review, actor: Any, scores: dict[str, Any], comment: str = "") -> Review:
    """Keep a half-done review as a draft (`review.drafts`): the scores given are checked, those
    left empty wait; it is not submitted, counts in no ranking and shows to no one else."""
    review = _open_review(review, actor)
    errors = draft_keep(review, criteria=list(review.application.call.rubric.criteria.all()), scores=scores, comment=comment)
    if errors:
        raise ApplicationError(_("Some scores are out of range; the draft was not saved."), extra=errors)
    review.save(update_fields=[*DRAFT_FIELDS, "updated_at"])
    event_record(actor=actor, action="review.draft_saved", target=review.application,
                 after={"review": review.pk, "scored": sorted(review.draft_scores)})
    return review


@transaction.atomic
def review_submit(*, review: Review, actor: Any, scores: dict[str, Any], comment: str = "") -> Review:
    review = _open_review(review, actor)
    criteria = list(review.application.call.rubric.criteria.all())
    clean, errors = review_engine.scores_clean(criteria=criteria, scores=scores)
    if errors:
        raise ApplicationError(_("Some scores are missing or out of range."), extra=errors)
    score = weighted_score(criteria=criteria, scores=clean)
    if score is None:
        raise ApplicationError(_("At least one criterion must be scored."), extra={"scores": "all_not_applicable"})
    review.scores, review.comment, review.weighted_score = clean, comment.strip(), score
    review.state, review.submitted_at = Review.State.SUBMITTED, timezone.now()
    draft_clear(review)
    review.save(update_fields=["scores", "comment", "weighted_score", "state", "submitted_at", *DRAFT_FIELDS, "updated_at"])
    event_record(actor=actor, action="review.submitted", target=review.application,
                 after={"review": review.pk, "scores": clean, "weighted_score": score})
    return review


@transaction.atomic
def review_declare_conflict(*, review: Review, actor: Any, reason: str) -> Review:
    review = Review.objects.select_for_update().select_related("application").get(pk=review.pk)
    if review.reviewer_id != actor.pk:
        raise PermissionDenied
    if review.state != Review.State.ASSIGNED:
        raise ConflictError(_("This review can no longer be changed."))
    if not reason.strip():
        raise ApplicationError(_("Say briefly why you have a conflict of interest."), extra={"reason": "required"})
    review.state, review.conflict_reason, review.scores, review.weighted_score = Review.State.CONFLICT, reason.strip(), {}, None
    draft_clear(review)
    review.save(update_fields=["state", "conflict_reason", "scores", "weighted_score", *DRAFT_FIELDS, "updated_at"])
    ConflictDeclaration.objects.get_or_create(reviewer=actor, organisation_id=review.application.organisation_id, defaults={"reason": reason.strip()})
    event_record(actor=actor, action="review.conflict_declared", target=review.application, after={"review": review.pk, "reason": reason.strip()})
    notification_send(recipients=_officers(), message="programs.review_conflict", params={"ref": review.application.reference, "reason": reason.strip()},
                      url=_url(review.application), email=False)
    return review


@transaction.atomic
def reviewers_assign(*, call: Call, actor: Any, pairs: list[tuple[int, int]] | None = None) -> dict[str, Any]:
    """Give the call's applications under review their reviewers: the pairs the officer kept of
    the proposal (`programs.assignment.proposal`), or the whole proposal when none are given.

    Each pair is checked (an application of this call under review, an active reviewer not
    already on it, no conflict of interest); one refused pair refuses all, nothing saved.
    """
    from innohub.programs import assignment

    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if pairs is None:
        plan = assignment.proposal(call=call)
        new_reviews, short, applications = plan.pairs, plan.short, plan.applications
    else:
        new_reviews = list(dict.fromkeys(pairs))
        problems = _pair_problems(call, new_reviews)
        if problems:
            raise ApplicationError(_("Nothing was assigned: %(problems)s") % {"problems": " ".join(problems)},
                                   extra={"problems": problems}, code="assignment_refused")
        short, applications = {}, len({a for a, _r in new_reviews})
    if not new_reviews:
        return {"assigned": 0, "applications": applications, "short": short}
    per_reviewer: dict[int, int] = defaultdict(int)
    for _app, uid in new_reviews:
        per_reviewer[uid] += 1
    _insert_reviews(new_reviews)
    event_record(actor=actor, action="call.reviewers_assigned", target=call,
                 after={"assigned": len(new_reviews), "reviewers": len(per_reviewer), "short": len(short)})
    _notify_reviewers(per_reviewer)
    return {"assigned": len(new_reviews), "applications": applications, "short": short}


def _notify_reviewers(per_reviewer: dict[int, int]) -> None:
    from innohub.accounts.models import User

    for user in User.objects.filter(pk__in=list(per_reviewer)):
        notification_send(recipients=[user], message="programs.reviews_assigned", params={"n": per_reviewer[user.pk]},
                          url=reverse("programs:review-list"))


def _pair_problems(call: Call, pairs: list[tuple[int, int]]) -> list[str]:
    """Why any (application, reviewer) pair may not be assigned, each in a sentence naming both."""
    from innohub.accounts.models import User
    from innohub.programs import assignment

    in_review = spec_for(call.workflow).states_with("in_review")
    apps = {pk: (ref, org) for pk, ref, org in Application.objects.filter(call=call, pk__in={a for a, _r in pairs}, state__in=in_review)
            .values_list("id", "reference", "organisation_id")}
    pool = assignment.reviewer_pool(organisation_ids={org for _ref, org in apps.values()})
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in={r for _a, r in pairs})}
    taken = set(Review.objects.filter(application_id__in=list(apps)).values_list("application_id", "reviewer_id"))
    problems = []
    for app_id, uid in pairs:
        who = names.get(uid, str(uid))
        if app_id not in apps:
            problems.append(_("Application %(id)s is not under review in this call.") % {"id": app_id})
            continue
        ref, org = apps[app_id]
        if uid not in pool.capacity:
            problems.append(_("%(who)s is not an active reviewer.") % {"who": who})
        elif uid in pool.conflicted.get(org, set()):
            problems.append(_("%(who)s has a conflict of interest with the startup of %(ref)s and may not review it.") % {"who": who, "ref": ref})
        elif (app_id, uid) in taken:
            problems.append(_("%(who)s is already assigned to %(ref)s.") % {"who": who, "ref": ref})
    return problems


@transaction.atomic
def review_assign(*, application: Application, reviewer: Any, actor: Any, replacing: Review | None = None) -> Review:
    """Assign one reviewer to one application under review, in place of another (``replacing``,
    a review not yet submitted) or in addition. A conflict of interest is refused with a message."""
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    application = Application.objects.select_for_update().select_related("call__workflow").get(pk=application.pk)
    if replacing is not None:
        _ensure_removable(replacing, application)
    problems = _pair_problems(application.call, [(application.pk, reviewer.pk)])
    if problems:
        raise ConflictError(problems[0], extra={"reviewer": problems[0]}, code="assignment_refused")
    if replacing is not None:
        _remove(replacing, actor=actor)
    review = Review.objects.create(application=application, reviewer=reviewer)
    event_record(actor=actor, action="review.assigned", target=application,
                 after={"review": review.pk, "reviewer": reviewer.display_name, "replacing": replacing.reviewer.display_name if replacing else None})
    _notify_reviewers({reviewer.pk: 1})
    return review


def _ensure_removable(review: Review, application: Application) -> None:
    if review.application_id != application.pk:
        raise ApplicationError(_("This review belongs to another application."))
    if review.state != Review.State.ASSIGNED:
        raise ConflictError(_("%(who)s has already submitted or declined this review: it stays on record and cannot be removed.") % {
            "who": review.reviewer.display_name}, code="review_done")


def _remove(review: Review, *, actor: Any) -> None:
    event_record(actor=actor, action="review.unassigned", target=review.application,
                 before={"review": review.pk, "reviewer": review.reviewer.display_name, "state": review.state})
    review.delete()


@transaction.atomic
def review_unassign(*, review: Review, actor: Any) -> None:
    """Take a reviewer off an application before they have submitted their review."""
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    review = Review.objects.select_for_update().select_related("application", "reviewer").get(pk=review.pk)
    _ensure_removable(review, review.application)
    _remove(review, actor=actor)


def _insert_reviews(pairs: list[tuple[int, int]]) -> None:
    """New assigned reviews, in bulk."""
    now = timezone.now()
    insert_many(Review, ["application", "reviewer"], pairs, {
        "state": Review.State.ASSIGNED, "scores": {}, "comment": "", "conflict_reason": "",
        "weighted_score": None, "submitted_at": None, "created_at": now, "updated_at": now,
        "draft_scores": {}, "draft_comment": "", "draft_saved_at": None,
    })
