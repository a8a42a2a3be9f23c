"""The forms engine as an app: its back-office editor under /backoffice/forms/ (every kind of
form the other apps declare in `form_kinds`), its entry in the staff navigation and its audit label."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.registry import UrlMount
from innohub.core.roles import STAFF_ROLES


class FormsConfig(AppConfig):
    name = "innohub.forms"
    label = "forms"
    verbose_name = _("Forms")
    urls = UrlMount("innohub.forms.urls", prefix="backoffice/forms/")
    nav_items = (NavItem("forms:list", _("Forms"), roles=STAFF_ROLES, area="staff", order=75),)
    action_labels = {"form.version_written": _("New version of a form written")}
