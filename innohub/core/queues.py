"""Staff work queues: what needs doing, by role, on the back office's landing page and as
counts on the navigation.

A module declares its queues on its AppConfig (`work_queues = (WorkQueue(...),)`, read by
`innohub.core.registry.work_queues`), as it declares its navigation: no central list is
edited. A queue names the roles it is for, a selector returning its items for the acting user
(a QuerySet or a list, in the order they should be done), the template that shows a few of
them, the navigation entry whose badge counts it (``nav``, a URL name; none for a figure
such as the budget used) and its order on the page. The selectors ask workflow flags
(`programs.selectors.states_q`, `qa.workflows.states_with`), never state codes.

Each queue costs one COUNT and one short SELECT on the landing page, and one COUNT for the
navigation, computed once per request (`counts_for`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from innohub.core import registry

PREVIEW_ROWS = 5  # items a queue shows on the landing page; "see all" opens the whole list, paginated


@dataclass(frozen=True)
class WorkQueue:
    code: str  # unique across apps: "programs.eligibility"
    label: str | Promise
    roles: frozenset[str]
    items: str  # dotted path of `fn(*, user) -> QuerySet | list`
    template: str  # shows `rows` (a few items, or a page of them)
    nav: str = ""  # URL name of the navigation entry whose badge adds this queue's count
    order: int = 100
    empty: str | Promise = ""  # what the page says when nothing waits
    counted: bool = True  # False: a figure (budget used), not things to do

    def read(self, user: Any) -> QuerySet | list:
        return import_string(self.items)(user=user)


def size(items: QuerySet | list) -> int:
    return items.count() if isinstance(items, QuerySet) else len(items)


def queues_for(user: Any) -> list[WorkQueue]:
    """The queues of the user's role, by their order."""
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    if role is None:
        return []
    return [q for q in registry.work_queues() if role in q.roles]


def queue_get(user: Any, code: str) -> WorkQueue | None:
    return next((q for q in queues_for(user) if q.code == code), None)


def counts_for(user: Any) -> dict[str, int]:
    """Queue code → how many items wait, for the user's counted queues; read once per user object
    (the navigation and the landing page of one request share it)."""
    cached = getattr(user, "_work_queue_counts", None)
    if cached is None:
        cached = {q.code: size(q.read(user)) for q in queues_for(user) if q.counted}
        if getattr(user, "is_authenticated", False):
            user._work_queue_counts = cached
    return cached


def nav_counts(user: Any) -> dict[str, int]:
    """Navigation URL name → the sum of the counts of the queues shown on it."""
    counts = counts_for(user)
    badges: dict[str, int] = {}
    for queue in queues_for(user):
        if queue.nav and queue.code in counts:
            badges[queue.nav] = badges.get(queue.nav, 0) + counts[queue.code]
    return badges


def landing(user: Any) -> list[dict[str, Any]]:
    """Each queue of the user's role with its count and its first items, for the landing page."""
    counts = counts_for(user)
    shown = []
    for queue in queues_for(user):
        items = queue.read(user)
        rows = list(items[:PREVIEW_ROWS])
        count = counts.get(queue.code, len(rows)) if queue.counted else len(rows)
        shown.append({"queue": queue, "count": count, "rows": rows, "more": queue.counted and count > len(rows)})
    return shown
