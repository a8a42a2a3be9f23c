"""The site's navigation: one list, filtered by who is looking.

Each module adds its entries here as it arrives. An entry whose URL does not resolve
(its app is not installed) is left out rather than breaking the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from innohub.core.roles import ALL_ROLES, BACKOFFICE_ROLES, MANAGER_ROLES, STAFF_ROLES


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    roles: frozenset[str] | None = None  # None: everyone, including anonymous visitors
    area: str = "public"  # "public" (portal header) or "staff" (back-office sidebar)


NAV_ITEMS: list[NavItem] = [
    NavItem("portal:home", _("Home")),
    NavItem("programs:public-home", _("Support programmes")),
    NavItem("directory:list", _("Directory")),
    NavItem("qa:faq", _("Questions & answers")),
    NavItem("indicators:home", _("Ecosystem index")),
    NavItem("portal:my-space", _("My space"), roles=ALL_ROLES - BACKOFFICE_ROLES),
    NavItem("backoffice:dashboard", _("Back office"), roles=BACKOFFICE_ROLES),
    NavItem("backoffice:dashboard", _("Dashboard"), roles=BACKOFFICE_ROLES, area="staff"),
    NavItem("programs:review-list", _("My reviews"), roles=BACKOFFICE_ROLES, area="staff"),
    NavItem("programs:staff-applications", _("Applications"), roles=STAFF_ROLES, area="staff"),
    NavItem("directory:staff-list", _("Directory records"), roles=STAFF_ROLES, area="staff"),
    NavItem("qa:inbox", _("Question inbox"), roles=STAFF_ROLES, area="staff"),
    NavItem("indicators:staff", _("Indicators"), roles=MANAGER_ROLES, area="staff"),
    NavItem("activity:log", _("Audit log"), roles=STAFF_ROLES, area="staff"),
    NavItem("admin:index", _("Administration"), roles=frozenset({"administrator"}), area="staff"),
]


def nav_for(user, area: str) -> list[dict]:
    role = user.role if getattr(user, "is_authenticated", False) else None
    items = []
    for item in NAV_ITEMS:
        if item.area != area:
            continue
        if item.roles is not None and role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": item.label, "url_name": item.url_name})
    return items
