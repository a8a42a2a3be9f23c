"""International cooperation: pages under /cooperation/ (back office), its API, demo data from
the two delegation visits in the seeds, and the daily reminders of actions due or late and of
agreements nearing their expiry."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.registry import ApiRouter, Demo, Reminder, UrlMount
from innohub.core.roles import STAFF_ROLES


class CooperationConfig(AppConfig):
    name = "innohub.cooperation"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("International cooperation")
    urls = UrlMount("innohub.cooperation.urls", prefix="cooperation/")
    api_router = ApiRouter("/cooperation/", "innohub.cooperation.api.router")
    nav_items = (
        NavItem("cooperation:partners", _("International cooperation"), roles=STAFF_ROLES, area="staff", order=80),
        NavItem("cooperation:board", _("Follow-up board"), roles=STAFF_ROLES, area="staff", order=81),
    )
    demo = Demo("innohub.cooperation.demo.seed", order=70, after=("directory", "accounts"))
    reminders = (
        Reminder("cooperation action", "innohub.cooperation.tasks.remind_actions"),
        Reminder("agreement expiry", "innohub.cooperation.tasks.remind_expiring_agreements"),
    )
    action_labels = {
        "unit.created": _("Department unit created"),
        "partner.created": _("Partner added"),
        "partner.updated": _("Partner changed"),
        "visit.created": _("Visit recorded"),
        "meeting.recorded": _("Meeting recorded"),
        "meeting.minutes_saved": _("Meeting minutes saved"),
        "meeting.updated": _("Meeting details corrected"),
        "meeting.file_attached": _("File attached to a meeting"),
        "meeting.participant_added": _("Participant added to a meeting"),
        "direction.added": _("Direction of cooperation agreed"),
        "action.added": _("Action added"),
        "action.agree": _("Action agreed"),
        "action.start": _("Action started"),
        "action.complete": _("Action done"),
        "action.drop": _("Action dropped"),
        "action.progress_added": _("Progress recorded on an action"),
        "action.review_set": _("Review meeting set for an action"),
        "action.reminded": _("Action reminder sent"),
        "agreement.created": _("Agreement recorded"),
        "agreement.file_attached": _("Signed file attached to an agreement"),
        "agreement.submit": _("Agreement sent for approval"),
        "agreement.approve": _("Agreement approved"),
        "agreement.return": _("Agreement returned"),
        "agreement.end": _("Agreement ended"),
        "agreement.expiry_reminded": _("Agreement expiry reminder sent"),
    }
