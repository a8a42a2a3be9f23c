"""Support programmes: pages under /programs/, its API, demo data, and the daily reminder of
overdue milestones."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.queues import WorkQueue
from innohub.core.registry import ApiRouter, Demo, FormKind, FormUse, Reminder, UrlMount
from innohub.core.roles import BACKOFFICE_ROLES, MANAGER_ROLES, STAFF_ROLES, Role

OFFICERS = frozenset({Role.OFFICER})


class ProgramsConfig(AppConfig):
    name = "innohub.programs"
    verbose_name = _("Support programmes")
    urls = UrlMount("innohub.programs.urls", prefix="programs/")
    api_router = ApiRouter("/programs/", "innohub.programs.api.router")
    nav_items = (
        NavItem("programs:public-home", _("Support programmes"), order=20),
        NavItem("programs:my-applications", _("My applications"), roles=frozenset({Role.APPLICANT}), order=25),
        NavItem("programs:review-list", _("My reviews"), roles=BACKOFFICE_ROLES, area="staff", order=20,
                shown_if="innohub.programs.selectors.has_reviews"),
        NavItem("programs:staff-applications", _("Applications"), roles=STAFF_ROLES, area="staff", order=30),
        NavItem("programs:staff-calls", _("Calls"), roles=STAFF_ROLES, area="staff", order=35),
    )
    work_queues = (
        WorkQueue("programs.eligibility", _("Applications awaiting the eligibility check"), OFFICERS,
                  "innohub.programs.queues.eligibility_checks", "programs/queues/applications.html",
                  nav="programs:staff-applications", order=10, empty=_("No application waits for its check.")),
        WorkQueue("programs.information", _("Answers to requests for information"), OFFICERS,
                  "innohub.programs.queues.information_answers", "programs/queues/applications.html",
                  nav="programs:staff-applications", order=20, empty=_("No applicant's answer waits.")),
        WorkQueue("programs.milestones", _("Milestone reports to assess"), OFFICERS,
                  "innohub.programs.queues.milestone_reports", "programs/queues/milestones.html",
                  nav="programs:staff-applications", order=30, empty=_("No milestone report waits.")),
        WorkQueue("programs.reviews", _("Reviews assigned to you"), frozenset({Role.REVIEWER}),
                  "innohub.programs.queues.reviews_assigned", "programs/queues/reviews.html",
                  nav="programs:review-list", order=10, empty=_("No review waits for you.")),
        WorkQueue("programs.approvals", _("Ranked applications awaiting approval"), MANAGER_ROLES,
                  "innohub.programs.queues.approvals_waiting", "programs/queues/applications.html",
                  nav="programs:staff-applications", order=10, empty=_("No ranked application waits for a decision.")),
        WorkQueue("programs.budget", _("Budget used per call"), MANAGER_ROLES,
                  "innohub.programs.queues.budget_by_call", "programs/queues/budget.html",
                  order=90, empty=_("No call has opened yet."), counted=False),
    )
    # the application forms, written in the back office's forms editor
    form_kinds = (FormKind("application", _("Application forms"), "programs.FormDefinition", order=10, used_by=(
        FormUse("programs.Call", "form", _("Calls"), named=True),
        FormUse("programs.Application", "form", _("Applications")),
    )),)
    demo = Demo("innohub.programs.demo.seed", order=40, after=("directory", "accounts"))
    reminders = (Reminder("milestone", "innohub.programs.tasks.remind_overdue_milestones"),)
    action_labels = {
        "application.started": _("Application started"),
        "application.saved": _("Application saved"),
        "application.file_attached": _("File attached to an application"),
        "application.file_removed": _("File removed from an application"),
        "application.message_posted": _("Message posted on an application"),
        "application.rank": _("Application ranked"),
        "application.submit": _("Application submitted"),
        "application.resubmit": _("Application resubmitted"),
        "application.start_check": _("Eligibility check started"),
        "application.return": _("Application returned for information"),
        "application.accept": _("Application accepted for review"),
        "application.mark_ineligible": _("Application found ineligible"),
        "application.approve": _("Application approved"),
        "application.reject": _("Application rejected"),
        "application.contract": _("Contract signed"),
        "application.start": _("Support started"),
        "application.complete": _("Support completed"),
        "application.terminate": _("Support terminated"),
        "application.withdraw": _("Application withdrawn"),
        "application.record_added": _("Signed decision or contract recorded"),
        "application.draft_deleted": _("Draft application deleted"),
        "award.approved": _("Award approved"),
        "award.created": _("Award granted"),
        "call.created": _("Call created"),
        "call.updated": _("Call changed"),
        "call.published": _("Call published"),
        "call.ranked": _("Call's applications ranked"),
        "call.reviewers_assigned": _("Reviewers assigned"),
        "cohort.created": _("Cohort created"),
        "cohort.mentor_added": _("Mentor added to a cohort"),
        "cohort.session_added": _("Session added to a cohort"),
        "cohort.startup_added": _("Startup added to a cohort"),
        "disbursement.recorded": _("Disbursement recorded"),
        "formdefinition.versioned": _("New version of a form"),
        "milestone.created": _("Milestone added"),
        "milestone.reported": _("Milestone reported"),
        "milestone.checked": _("Milestone checked"),
        "milestone.reminded": _("Milestone reminder sent"),
        "programme.ceiling_set": _("Support ceiling set"),
        "review.assigned": _("Reviewer assigned"),
        "review.unassigned": _("Reviewer removed"),
        "review.submitted": _("Review submitted"),
        "review.draft_saved": _("Review draft saved"),
        "review.conflict_declared": _("Conflict of interest declared"),
    }
