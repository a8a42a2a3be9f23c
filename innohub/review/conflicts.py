"""Conflicts of interest, which depend only on organisations: a reviewer is conflicted with
a subject's organisation when they are a member of it, declared a conflict with it, or are
a member of an organisation related to it in the directory in either direction and of any
kind (incubated by, invested in, partner, member of: a reviewer at a startup's incubator
or investor has a conflict with it). Declarations are the caller's (each module keeps its
own); memberships and relations are read from `accounts` and `directory`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db.models import Q


def conflicted_reviewers(
    *, organisations: Iterable[int], reviewer_orgs: Mapping[int, set[int]], declared: Mapping[int, set[int]],
    related: Mapping[int, set[int]],
) -> dict[int, set[int]]:
    """Organisation → the reviewers conflicted with it, among the given organisations.

    ``reviewer_orgs``: reviewer → organisations they belong to; ``declared``: reviewer →
    organisations they declared a conflict with; ``related``: organisation → related ones."""
    wanted = set(organisations)
    conflicted: dict[int, set[int]] = defaultdict(set)
    for uid in set(reviewer_orgs) | set(declared):
        mine = reviewer_orgs.get(uid, set())
        around = set(mine) | set(declared.get(uid, set()))
        for org in mine:
            around |= related.get(org, set())
        for org_id in around & wanted:
            conflicted[org_id].add(uid)
    return dict(conflicted)


def related_organisations(org_ids: set[int] | None = None) -> dict[int, set[int]]:
    """Organisation → organisations related to it in the directory (either direction, any kind);
    only the relations touching ``org_ids`` when given."""
    from innohub.directory.models import Relation

    relations = Relation.objects.all()
    if org_ids is not None:
        relations = relations.filter(Q(source_id__in=org_ids) | Q(target_id__in=org_ids))
    related: dict[int, set[int]] = defaultdict(set)
    for a, b in relations.values_list("source_id", "target_id").iterator(chunk_size=5000):
        related[a].add(b)
        related[b].add(a)
    return related


def organisation_conflicts(
    *, reviewer_ids: Iterable[int], organisation_ids: Iterable[int], declared: Mapping[int, set[int]] | None = None,
) -> dict[int, set[int]]:
    """Organisation → conflicted reviewers, reading the reviewers' memberships and the
    directory's relations (``declared`` as in `conflicted_reviewers`)."""
    from innohub.accounts.models import Membership

    org_ids = set(organisation_ids)
    reviewer_orgs: dict[int, set[int]] = defaultdict(set)
    for uid, oid in Membership.objects.filter(user_id__in=list(reviewer_ids)).values_list("user_id", "organisation_id"):
        reviewer_orgs[uid].add(oid)
    # past a few thousand ids one read of every relation is cheaper than a long IN list
    related = related_organisations(org_ids if len(org_ids) < 5000 else None)
    return conflicted_reviewers(organisations=org_ids, reviewer_orgs=reviewer_orgs, declared=declared or {}, related=related)
