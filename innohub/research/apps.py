"""Research tasks and technology transfer: S&T tasks ordered by the department through their
legal lifecycle (two regimes, as workflow data), councils on the review engine, outputs and
IP, the technology marketplace (offers, needs, Vietnamese-aware matching, expressions of
interest) and transfer deals with their follow-up."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.queues import WorkQueue
from innohub.core.registry import ApiRouter, Demo, Reminder, UrlMount
from innohub.core.roles import BACKOFFICE_ROLES, STAFF_ROLES


class ResearchConfig(AppConfig):
    name = "innohub.research"
    verbose_name = _("Research and technology transfer")
    default_auto_field = "django.db.models.BigAutoField"
    urls = UrlMount("innohub.research.urls", prefix="research/")
    api_router = ApiRouter("/research/", "innohub.research.api.router")
    nav_items = (
        NavItem("research:market", _("Technology marketplace"), order=45),
        NavItem("research:tasks", _("Research tasks"), roles=STAFF_ROLES, area="staff", order=45),
        NavItem("research:my-councils", _("My councils"), roles=BACKOFFICE_ROLES, area="staff", order=46,
                shown_if="innohub.research.selectors.sits_on_councils"),
    )
    work_queues = (
        WorkQueue("research.needs", _("Technology needs awaiting moderation"), frozenset(STAFF_ROLES),
                  "innohub.research.selectors.needs_to_moderate", "research/queue_needs.html",
                  order=60, empty=_("No technology need waits for moderation.")),
    )
    demo = Demo("innohub.research.demo.seed", order=75, after=("directory", "accounts", "cooperation"))
    reminders = (Reminder("research milestone", "innohub.research.tasks.remind_due_milestones"),)
    action_labels = {
        "task.created": _("Research task proposed"),
        "task.define": _("Research task defined"),
        "task.announce": _("Research task announced for open selection"),
        "task.assign_directly": _("Research task assigned directly"),
        "task.receive_dossiers": _("Dossiers received"),
        "task.check_dossiers": _("Dossiers checked"),
        "task.select": _("Selected by the council"),
        "task.appraise_budget": _("Budget appraised"),
        "task.approve": _("Research task approved"),
        "task.sign_contract": _("Contract signed"),
        "task.start": _("Research task started"),
        "task.self_evaluate": _("Self-evaluation submitted"),
        "task.send_to_acceptance": _("Sent to the acceptance council"),
        "task.accept": _("Results accepted"),
        "task.not_accept": _("Results not accepted"),
        "task.register_results": _("Results registered"),
        "task.assign_assets": _("Assets and IP assigned"),
        "task.terminate": _("Research task terminated"),
        "task.contract_recorded": _("Contract recorded"),
        "budget.added": _("Budget line added"),
        "budget.approved": _("Approved total budget set"),
        "council.conflict_declared": _("Conflict of interest declared"),
        "council.created": _("Council formed"),
        "council.member_added": _("Council member added"),
        "council.minutes_attached": _("Council minutes attached"),
        "council.scored": _("Council member scored"),
        "council.draft_saved": _("Council member's draft scores saved"),
        "report.submitted": _("Periodic report submitted"),
        "change.recorded": _("Contract change recorded"),
        "change.approved": _("Contract change approved"),
        "output.added": _("Research output added"),
        "offer.created": _("Technology offer published"),
        "need.created": _("Technology need published"),
        "interest.expressed": _("Interest expressed"),
        "interest.declined": _("Interest declined"),
        "deal.recorded": _("Transfer deal recorded"),
        "deal.followed_up": _("Transfer deal followed up"),
        "task.milestone_reminded": _("Milestone reminder sent"),
        "task.origin_linked": _("Research task linked to the cooperation action it came from"),
        "action.task_linked": _("Research task linked to this action"),
        "need.posted": _("Technology need posted by the enterprise"),
        "need.approved": _("Technology need approved and published"),
        "need.rejected": _("Technology need not published"),
        "team.member_added": _("Team member added"),
        "team.member_removed": _("Team member removed"),
        "task.partner_added": _("Partner added to the task"),
        "task.partner_removed": _("Partner removed from the task"),
    }
