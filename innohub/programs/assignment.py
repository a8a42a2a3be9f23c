"""Reads for assigning reviewers (issue 27): the review engine's proposal for a call or one
application, computed without saving anything, so that the officer sees it, chooses, replaces
or removes reviewers before it is written (`services.reviewers_assign`, `review_assign`,
`review_unassign`); and the candidates for one application with their load and conflicts.

Candidates are active reviewers (a `ReviewerProfile`) with room under their capacity (open
reviews across all calls), whose sectors meet the startup's (a reviewer without sectors
reviews any), and without a conflict of interest: a membership of the startup, a declared
conflict, or a membership of an organisation related to it in the directory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from innohub import review as review_engine
from innohub.core.roles import Role
from innohub.programs.models import Application, Call, ConflictDeclaration, Review, ReviewerProfile
from innohub.programs.workflows import spec_for


@dataclass
class Pool:
    """The reviewers and what the engine needs of them, for a set of organisations."""

    capacity: dict[int, int]
    load: dict[int, int]
    sectors: dict[int, set[int]]
    conflicted: dict[int, set[int]]  # organisation → conflicted reviewers
    org_sectors: dict[int, set[int]] = field(default_factory=dict)


def reviewer_pool(*, organisation_ids: set[int]) -> Pool:
    from innohub.directory.models import Organisation

    capacity = dict(ReviewerProfile.objects.filter(active=True, user__is_active=True, user__role=Role.REVIEWER).values_list("user_id", "capacity"))
    sectors: dict[int, set[int]] = defaultdict(set)
    for uid, sid in ReviewerProfile.sectors.through.objects.filter(reviewerprofile__user_id__in=capacity).values_list("reviewerprofile__user_id", "sector_id"):
        sectors[uid].add(sid)
    load = dict.fromkeys(capacity, 0)
    for uid, n in Review.objects.filter(reviewer_id__in=capacity, state=Review.State.ASSIGNED).values_list("reviewer_id").annotate(n=Count("id")).values_list("reviewer_id", "n"):
        load[uid] = n
    declared: dict[int, set[int]] = defaultdict(set)
    for uid, oid in ConflictDeclaration.objects.filter(reviewer_id__in=capacity).values_list("reviewer_id", "organisation_id"):
        declared[uid].add(oid)
    org_sectors: dict[int, set[int]] = defaultdict(set)
    for org_id, sector_id in Organisation.sectors.through.objects.filter(organisation_id__in=organisation_ids).values_list("organisation_id", "sector_id"):
        org_sectors[org_id].add(sector_id)
    conflicted = review_engine.organisation_conflicts(reviewer_ids=capacity, organisation_ids=organisation_ids, declared=declared)
    return Pool(capacity=capacity, load=load, sectors=sectors, conflicted=conflicted, org_sectors=org_sectors)


@dataclass
class Proposal:
    pairs: list[tuple[int, int]]  # (application id, reviewer id) proposed, not saved
    short: dict[int, int]  # application id → reviewers still missing after the proposal
    per_reviewer: dict[int, int]
    applications: int


def proposal(*, call: Call, application_ids: list[int] | None = None) -> Proposal:
    """What the engine would assign now to the call's applications under review (or to some of them)."""
    wanted = call.reviewers_per_application
    in_review = spec_for(call.workflow).states_with("in_review")
    qs = Application.objects.filter(call=call, state__in=in_review)
    if application_ids is not None:
        qs = qs.filter(pk__in=application_ids)
    apps = list(qs.order_by("submitted_at", "id").values_list("id", "organisation_id"))
    if not apps:
        return Proposal(pairs=[], short={}, per_reviewer={}, applications=0)
    pool = reviewer_pool(organisation_ids={o for _a, o in apps})
    existing: dict[int, set[int]] = defaultdict(set)
    live: dict[int, int] = defaultdict(int)
    for app_id, uid, state in Review.objects.filter(application_id__in=[a for a, _o in apps]).values_list("application_id", "reviewer_id", "state"):
        existing[app_id].add(uid)
        if state != Review.State.CONFLICT:
            live[app_id] += 1
    result = review_engine.assign(
        subjects=(
            review_engine.SubjectNeed(key=app_id, need=wanted - live[app_id], sectors=frozenset(pool.org_sectors.get(org_id, ())),
                                      excluded=frozenset(existing[app_id] | pool.conflicted.get(org_id, set())))
            for app_id, org_id in apps
        ),
        reviewers=[review_engine.ReviewerLoad(id=uid, capacity=pool.capacity[uid], load=pool.load[uid], sectors=frozenset(pool.sectors.get(uid, ())))
                   for uid in pool.capacity],
    )
    return Proposal(pairs=list(result.pairs), short=dict(result.short), per_reviewer=dict(result.per_reviewer), applications=len(apps))


@dataclass
class Candidate:
    user: Any
    load: int
    capacity: int
    conflict: bool
    assigned: bool  # already has a review of this application (of any state)
    proposed: bool


def candidates(*, application: Application) -> list[Candidate]:
    """Every active reviewer for one application, the proposed first, then by load: whom the officer may choose."""
    from innohub.accounts.models import User

    pool = reviewer_pool(organisation_ids={application.organisation_id})
    assigned = set(application.reviews.values_list("reviewer_id", flat=True))
    proposed = {uid for _a, uid in proposal(call=application.call, application_ids=[application.pk]).pairs}
    conflicted = pool.conflicted.get(application.organisation_id, set())
    rows = [
        Candidate(user=user, load=pool.load.get(user.pk, 0), capacity=pool.capacity[user.pk], conflict=user.pk in conflicted,
                  assigned=user.pk in assigned, proposed=user.pk in proposed)
        for user in User.objects.filter(pk__in=pool.capacity).order_by("full_name", "username")
    ]
    return sorted(rows, key=lambda c: (not c.proposed, c.conflict, c.load / (c.capacity or 1)))


def conflict_between(*, reviewer_id: int, organisation_id: int) -> bool:
    declared = {reviewer_id: set(ConflictDeclaration.objects.filter(reviewer_id=reviewer_id).values_list("organisation_id", flat=True))}
    found = review_engine.organisation_conflicts(reviewer_ids=[reviewer_id], organisation_ids={organisation_id}, declared=declared)
    return reviewer_id in found.get(organisation_id, set())
