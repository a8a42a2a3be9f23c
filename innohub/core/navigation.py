"""The site's navigation: every app's entries, filtered by who is looking.

Each module declares its entries as `nav_items` on its AppConfig (`innohub.core.registry`);
they are shown by their `order`, in the portal's header ("public") or the back office's
sidebar ("staff"). An entry whose URL does not resolve is left out rather than breaking the page;
one with ``shown_if`` only where that test says the user has something there (a reviewer's
entries, for a member of staff who reviews nothing, would lead to an empty page).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from innohub.core import registry


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[str] | None = None  # None: everyone, including anonymous visitors
    area: str = "public"  # "public" (portal header) or "staff" (back-office sidebar)
    order: int = 100  # place among all apps' entries of the same area
    shown_if: str = ""  # dotted path of `fn(*, user) -> bool`; the entry is left out when it says False


def nav_for(user, area: str) -> list[dict]:
    """The entries the user may see in an area; a staff entry carries ``count``, the things
    waiting in the work queues shown on it (`core.queues`), 0 when none."""
    role = user.role if getattr(user, "is_authenticated", False) else None
    counts: dict[str, int] = {}
    if area == "staff" and role is not None:
        from innohub.core.queues import nav_counts

        counts = nav_counts(user)
    items = []
    for item in registry.nav_items():
        if item.area != area:
            continue
        if item.roles is not None and role not in item.roles:
            continue
        if item.shown_if and not import_string(item.shown_if)(user=user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": item.label, "url_name": item.url_name, "count": counts.get(item.url_name, 0)})
    return items
