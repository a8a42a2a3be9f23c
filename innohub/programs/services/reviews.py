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
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub import review as review_engine
from innohub.activity.services import event_record, notification_send
from innohub.core.db import insert_many
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.permissions import ensure_role, user_has_role
from innohub.core.roles import Role
from innohub.programs import permissions, selectors
from innohub.programs.models import (
    Application,
    Call,
    ConflictDeclaration,
    Review,
    ReviewerProfile,
)
from innohub.programs.services.base import _officers, _url
from innohub.programs.workflows import spec_for

# --- Reviews ------------------------------------------------------------------------------------------------


def weighted_score(*, criteria: Iterable[Any], scores: dict[str, Any]) -> Decimal | None:
    """Weighted mean on a 0–100 scale; "not applicable" (None) is left out (the review engine's rule)."""
    return review_engine.weighted_score(criteria=criteria, scores=scores)


@transaction.atomic
def review_submit(*, review: Review, actor: Any, scores: dict[str, Any], comment: str = "") -> Review:
    review = Review.objects.select_for_update().select_related("application__call__rubric", "application__call__workflow").get(pk=review.pk)
    if review.reviewer_id != actor.pk or not user_has_role(actor, permissions.REVIEW):
        raise PermissionDenied
    if review.state != Review.State.ASSIGNED or not selectors.has_flag(review.application, "in_review"):
        raise ConflictError(_("This review can no longer be changed."))
    criteria = list(review.application.call.rubric.criteria.all())
    clean, errors = review_engine.scores_clean(criteria=criteria, scores=scores)
    if errors:
        raise ApplicationError(_("Some scores are missing or out of range."), extra=errors)
    score = weighted_score(criteria=criteria, scores=clean)
    if score is None:
        raise ApplicationError(_("At least one criterion must be scored."), extra={"scores": "all_not_applicable"})
    review.scores, review.comment, review.weighted_score = clean, comment.strip(), score
    review.state, review.submitted_at = Review.State.SUBMITTED, timezone.now()
    review.save(update_fields=["scores", "comment", "weighted_score", "state", "submitted_at", "updated_at"])
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
    review.save(update_fields=["state", "conflict_reason", "scores", "weighted_score", "updated_at"])
    ConflictDeclaration.objects.get_or_create(reviewer=actor, organisation_id=review.application.organisation_id, defaults={"reason": reason.strip()})
    event_record(actor=actor, action="review.conflict_declared", target=review.application, after={"review": review.pk, "reason": reason.strip()})
    notification_send(recipients=_officers(), message="programs.review_conflict", params={"ref": review.application.reference, "reason": reason.strip()},
                      url=_url(review.application), email=False)
    return review


@transaction.atomic
def reviewers_assign(*, call: Call, actor: Any) -> dict[str, Any]:
    """Give every application under review its reviewers, balancing the load.

    Candidates are active reviewers with room under their capacity (open reviews across all
    calls), whose sectors meet the startup's (a reviewer without sectors reviews any), and
    without a conflict of interest: a membership of the startup, a declared conflict, or a
    membership of an organisation related to it in the directory. Among candidates the least
    loaded (relative to capacity) come first; sector specialists before generalists on ties.
    """

    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    call = Call.objects.select_for_update().get(pk=call.pk)
    wanted = call.reviewers_per_application
    in_review = spec_for(call.workflow).states_with("in_review")
    apps = list(Application.objects.filter(call=call, state__in=in_review).values_list("id", "organisation_id"))
    if not apps:
        return {"assigned": 0, "applications": 0, "short": {}}
    org_ids = {o for _a, o in apps}
    org_sectors: dict[int, set[int]] = defaultdict(set)
    from innohub.directory.models import Organisation

    for org_id, sector_id in Organisation.sectors.through.objects.filter(organisation_id__in=org_ids).values_list("organisation_id", "sector_id"):
        org_sectors[org_id].add(sector_id)
    profiles = list(
        ReviewerProfile.objects.filter(active=True, user__is_active=True, user__role=Role.REVIEWER).values_list("user_id", "capacity")
    )
    capacity = dict(profiles)
    reviewer_sectors: dict[int, set[int]] = defaultdict(set)
    for uid, sid in ReviewerProfile.sectors.through.objects.filter(reviewerprofile__user_id__in=capacity).values_list("reviewerprofile__user_id", "sector_id"):
        reviewer_sectors[uid].add(sid)
    load = dict.fromkeys(capacity, 0)
    for uid, n in Review.objects.filter(reviewer_id__in=capacity, state=Review.State.ASSIGNED).values_list("reviewer_id").annotate(n=Count("id")).values_list("reviewer_id", "n"):
        load[uid] = n
    declared: dict[int, set[int]] = defaultdict(set)
    for uid, oid in ConflictDeclaration.objects.filter(reviewer_id__in=capacity).values_list("reviewer_id", "organisation_id"):
        declared[uid].add(oid)
    conflicted_by_org = review_engine.organisation_conflicts(reviewer_ids=capacity, organisation_ids=org_ids, declared=declared)
    existing: dict[int, set[int]] = defaultdict(set)
    live: dict[int, int] = defaultdict(int)
    for app_id, uid, state in Review.objects.filter(application__call=call).values_list("application_id", "reviewer_id", "state"):
        existing[app_id].add(uid)
        if state != Review.State.CONFLICT:
            live[app_id] += 1
    result = review_engine.assign(
        subjects=(
            review_engine.SubjectNeed(key=app_id, need=wanted - live[app_id], sectors=frozenset(org_sectors.get(org_id, ())),
                                      excluded=frozenset(existing[app_id] | conflicted_by_org.get(org_id, set())))
            for app_id, org_id in apps
        ),
        reviewers=[review_engine.ReviewerLoad(id=uid, capacity=capacity[uid], load=load[uid], sectors=frozenset(reviewer_sectors.get(uid, ())))
                   for uid in capacity],
    )
    new_reviews, short, per_reviewer = result.pairs, result.short, result.per_reviewer
    _insert_reviews(new_reviews)
    event_record(actor=actor, action="call.reviewers_assigned", target=call,
                 after={"assigned": len(new_reviews), "reviewers": len(per_reviewer), "short": len(short)})
    if per_reviewer:
        from innohub.accounts.models import User

        for user in User.objects.filter(pk__in=list(per_reviewer)):
            notification_send(recipients=[user], message="programs.reviews_assigned", params={"n": per_reviewer[user.pk]},
                              url=reverse("programs:review-list"))
    return {"assigned": len(new_reviews), "applications": len(apps), "short": short}


def _insert_reviews(pairs: list[tuple[int, int]]) -> None:
    """New assigned reviews, in bulk."""
    now = timezone.now()
    insert_many(Review, ["application", "reviewer"], pairs, {
        "state": Review.State.ASSIGNED, "scores": {}, "comment": "", "conflict_reason": "",
        "weighted_score": None, "submitted_at": None, "created_at": now, "updated_at": now,
    })
