"""The audit log and notifications: the log at /backoffice/audit/, notifications at /notifications/."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.registry import ApiRouter, UrlMount
from innohub.core.roles import STAFF_ROLES


class ActivityConfig(AppConfig):
    name = "innohub.activity"
    verbose_name = _("Activity")
    urls = UrlMount("innohub.activity.urls")
    api_router = ApiRouter("/activity/", "innohub.activity.api.router")
    personal_cached_views = ("activity:notifications",)  # innohub/core/page_cache.py
    nav_items = (NavItem("activity:log", _("Audit log"), roles=STAFF_ROLES, area="staff", order=80),)
    action_labels = {
        "task.ran": _("Background task ran"),
    }
