"""Staff work queues: what needs doing, by role, on the back office's landing page and as
counts on the navigation.

A module declares its queues on its AppConfig (`work_queues = (WorkQueue(...),)`, read by
`innohub.core.registry.work_queues`), as it declares its navigation: no central list is
edited. A queue names the roles it is for, a selector returning its items for the acting user
(a QuerySet or a list, in the order they should be done), the template that shows a few of
them, the navigation entry whose badge counts it (``nav``, a URL name; none for a figure
such as the budget used) and its order on the page. The selectors ask workflow flags
(`programs.selectors.states_q`, `qa.workflows.states_with`), never state codes.

Each queue's selector runs once per request (`items_for`); its COUNT is shared by the landing page
and the navigation (`counts_for`), and kept in the shared cache for the person until a write to the
tables the counts read (`core.page_cache.remember`): a page that changes nothing the queues count
asks for none of them again. The landing page adds one short SELECT per queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from innohub.core import page_cache, registry

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


def items_for(user: Any, queue: WorkQueue) -> QuerySet | list:
    """The queue's items for the user, its selector run once per user object (one request)."""
    if not getattr(user, "is_authenticated", False):
        return queue.read(user)
    read = getattr(user, "_work_queue_items", None)
    if read is None:
        read = user._work_queue_items = {}
    if queue.code not in read:
        read[queue.code] = queue.read(user)
    return read[queue.code]


def counts_for(user: Any) -> dict[str, int]:
    """Queue code → how many items wait, for the user's counted queues; read once per user object
    (the navigation and the landing page of one request share it), and remembered for the person
    until a write to what the counts read."""
    cached = getattr(user, "_work_queue_counts", None)
    if cached is None:
        def count() -> dict[str, int]:
            return {q.code: size(items_for(user, q)) for q in queues_for(user) if q.counted}

        if getattr(user, "is_authenticated", False):
            cached = user._work_queue_counts = page_cache.remember("work-queue-counts\x1f" + page_cache.person(user), count)
        else:
            cached = count()
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
        items = items_for(user, queue)
        rows = list(items[:PREVIEW_ROWS])
        count = counts.get(queue.code, len(rows)) if queue.counted else len(rows)
        shown.append({"queue": queue, "count": count, "rows": rows, "more": queue.counted and count > len(rows)})
    return shown
