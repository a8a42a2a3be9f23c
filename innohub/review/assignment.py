"""The balanced assignment of reviewers to subjects.

Each subject needs a number of reviewers; a reviewer has a capacity (open reviews at
once) and a current load. For each subject in turn the least loaded reviewers relative to
their capacity are taken first (sector specialists before generalists on ties, then the
lowest id), skipping those excluded from it (already assigned, or conflicted) and those
whose sectors do not meet the subject's (a reviewer or a subject without sectors meets
any); no one is loaded past their capacity. What cannot be filled is reported as short.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ReviewerLoad:
    id: int
    capacity: int
    load: int = 0
    sectors: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SubjectNeed:
    key: Any
    need: int
    sectors: frozenset[int] = frozenset()
    excluded: frozenset[int] = frozenset()  # reviewers already assigned to it, or conflicted with it


@dataclass
class Assignment:
    pairs: list[tuple[Any, int]] = field(default_factory=list)  # (subject key, reviewer id), in the order given
    short: dict[Any, int] = field(default_factory=dict)  # subject key → reviewers still missing
    per_reviewer: dict[int, int] = field(default_factory=dict)  # reviewer id → new reviews


def assign(*, subjects: Iterable[SubjectNeed], reviewers: Iterable[ReviewerLoad]) -> Assignment:
    """Pairs of (subject, reviewer) that balance the load, in the subjects' order."""
    people = {r.id: r for r in reviewers}
    load = {uid: r.load for uid, r in people.items()}
    result = Assignment()
    per_reviewer: dict[int, int] = defaultdict(int)

    def entry(uid: int) -> tuple[float, int, int]:
        capacity = people[uid].capacity
        return (load[uid] / capacity if capacity else 1.0, 0 if people[uid].sectors else 1, uid)

    # One heap of every reviewer: for each subject pop from the least loaded until enough
    # eligible ones are found, then push everyone back (the chosen with their new load) —
    # a few pops per subject instead of a scan of all reviewers (10,000 applications).
    heap = [entry(uid) for uid in sorted(people)]
    heapq.heapify(heap)
    for subject in subjects:
        if subject.need <= 0:
            continue
        chosen: list[int] = []
        skipped: list[tuple[float, int, int]] = []
        while heap and len(chosen) < subject.need:
            top = heapq.heappop(heap)
            ratio, _generalist, uid = top
            if ratio >= 1.0:
                skipped.append(top)
                break  # everyone left is at capacity
            sectors = people[uid].sectors
            if uid in subject.excluded or (sectors and subject.sectors and not sectors & subject.sectors):
                skipped.append(top)
                continue
            chosen.append(uid)
        for top in skipped:
            heapq.heappush(heap, top)
        for uid in chosen:
            load[uid] += 1
            heapq.heappush(heap, entry(uid))
            per_reviewer[uid] += 1
            result.pairs.append((subject.key, uid))
        if len(chosen) < subject.need:
            result.short[subject.key] = subject.need - len(chosen)
    result.per_reviewer = dict(per_reviewer)
    return result
