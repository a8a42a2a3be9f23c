"""The public site's shell: the home page, the page after logging in, "my space"."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.registry import UrlMount
from innohub.core.roles import ALL_ROLES, BACKOFFICE_ROLES


class PortalConfig(AppConfig):
    name = "innohub.portal"
    verbose_name = _("Public portal")
    urls = UrlMount("innohub.portal.urls")
    cached_views = ("portal:home",)  # innohub/core/page_cache.py
    nav_items = (
        NavItem("portal:home", _("Home"), order=10),
        NavItem("portal:my-space", _("My space"), roles=ALL_ROLES - BACKOFFICE_ROLES, order=80),
    )
