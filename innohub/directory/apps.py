"""The ecosystem directory: public pages and staff records under /directory/, its API, its demo data."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.registry import ApiRouter, Demo, UrlMount
from innohub.core.roles import STAFF_ROLES


class DirectoryConfig(AppConfig):
    name = "innohub.directory"
    verbose_name = _("Ecosystem directory")
    urls = UrlMount("innohub.directory.urls", prefix="directory/")
    api_router = ApiRouter("/directory/", "innohub.directory.api.router")
    nav_items = (
        NavItem("directory:list", _("Directory"), order=30),
        NavItem("directory:staff-list", _("Directory records"), roles=STAFF_ROLES, area="staff", order=40),
    )
    demo = Demo("innohub.directory.demo.seed", order=10)
    cached_views = ("directory:list", "api-1:list_organisations")
    action_labels = {
        "organisation.created": _("Organisation created"),
        "organisation.registered": _("Startup registered"),
        "organisation.claimed": _("Organisation claimed"),
        "organisation.updated": _("Organisation updated"),
        "organisation.edit_proposed": _("Change to an organisation proposed"),
        "organisation.change_approved": _("Proposed change approved"),
        "organisation.verified": _("Organisation verified"),
        "organisation.imported": _("Organisation imported"),
        "organisation.import_finished": _("Directory import finished"),
        "organisation.logo_changed": _("Logo changed"),
        "organisation.merged": _("Organisations merged"),
        "organisation.restored": _("Organisation restored"),
        "organisation.person_added": _("Person added to an organisation"),
        "organisation.person_left": _("Person left an organisation"),
        "organisation.relation_added": _("Relation added"),
        "organisation.relation_removed": _("Relation removed"),
        "person.created": _("Person created"),
    }

    def ready(self) -> None:
        # the search index tells the page cache which writes its update cannot follow (a bulk
        # update in a shell or a task must be seen even where no search ran yet)
        from innohub.directory import search_index  # noqa: F401
