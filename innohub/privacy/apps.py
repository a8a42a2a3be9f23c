"""Requests from a person about their personal data (see, correct, delete) under Decree
13/2023/NĐ-CP: the person's form under /privacy/, the administrators' queue and pages, the
daily reminder of requests nearing or past their deadline."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.queues import WorkQueue
from innohub.core.registry import Reminder, UrlMount
from innohub.core.roles import ADMIN_ROLES


class PrivacyConfig(AppConfig):
    name = "innohub.privacy"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Personal data requests")
    urls = UrlMount("innohub.privacy.urls", prefix="privacy/")
    nav_items = (NavItem("privacy:requests", _("Personal data requests"), roles=ADMIN_ROLES, area="staff", order=95),)
    reminders = (Reminder("personal data request", "innohub.privacy.tasks.remind_requests"),)
    work_queues = (
        WorkQueue("privacy.requests", _("Personal data requests to handle"), frozenset(ADMIN_ROLES),
                  "innohub.privacy.selectors.requests_open", "privacy/queue.html",
                  nav="privacy:requests", order=15, empty=_("No personal data request waits.")),
    )
    action_labels = {
        "data_request.created": _("Personal data request received"),
        "data_request.confirm": _("Personal data request confirmed by e-mail"),
        "data_request.carry_out": _("Personal data request carried out"),
        "data_request.refuse": _("Personal data request refused"),
        "data_request.reminded": _("Personal data request reminder sent"),
        "personal_data.export_downloaded": _("Copy of a person's data downloaded"),
        "personal_data.export_deleted": _("Copy of a person's data deleted"),
    }
