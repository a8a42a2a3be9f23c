"""The staff site's shell: the dashboard at /backoffice/, and the links to it and to the admin."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.registry import UrlMount
from innohub.core.roles import ADMIN_ROLES, BACKOFFICE_ROLES


class BackofficeConfig(AppConfig):
    name = "innohub.backoffice"
    verbose_name = _("Back office")
    urls = UrlMount("innohub.backoffice.urls", prefix="backoffice/")
    nav_items = (
        NavItem("backoffice:dashboard", _("Back office"), roles=BACKOFFICE_ROLES, order=90),
        NavItem("backoffice:dashboard", _("Dashboard"), roles=BACKOFFICE_ROLES, area="staff", order=10),
        NavItem("admin:index", _("Administration"), roles=ADMIN_ROLES, area="staff", order=90),
    )
