"""The staff site's shell: the dashboard at /backoffice/, and the links to it and to the admin."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.queues import WorkQueue
from innohub.core.registry import UrlMount
from innohub.core.roles import ADMIN_ROLES, BACKOFFICE_ROLES, MANAGER_ROLES, Role


class BackofficeConfig(AppConfig):
    name = "innohub.backoffice"
    verbose_name = _("Back office")
    urls = UrlMount("innohub.backoffice.urls", prefix="backoffice/")
    nav_items = (
        NavItem("backoffice:dashboard", _("Back office"), roles=BACKOFFICE_ROLES, order=90),
        NavItem("backoffice:dashboard", _("Dashboard"), roles=BACKOFFICE_ROLES, area="staff", order=10),
        NavItem("admin:index", _("Administration"), roles=ADMIN_ROLES, area="staff", order=90),
    )
    # the landing page and its work queues, for each person from their own copy (core/page_cache.py)
    personal_cached_views = ("backoffice:dashboard",)
    # the Q&A's queues, with the Q&A's selectors and flags (see backoffice/queues.py)
    work_queues = (
        WorkQueue("qa.due", _("Questions due or overdue"), frozenset({Role.OFFICER}),
                  "innohub.backoffice.queues.questions_due", "backoffice/queues/questions.html",
                  nav="qa:inbox", order=40, empty=_("No question is due.")),
        WorkQueue("qa.approval", _("Answers awaiting approval"), MANAGER_ROLES,
                  "innohub.backoffice.queues.answers_to_approve", "backoffice/queues/questions.html",
                  nav="qa:inbox", order=20, empty=_("No answer waits for approval.")),
    )
