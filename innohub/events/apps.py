"""Events and training: public pages under /events/ (list, series, event, registration,
the attendee's page with the QR code, calendar feed, certificate verification), the staff
pages (events, registrations, check-in, reports, certificates), its API, demo data and the
reminder the day before an event."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from innohub.core.navigation import NavItem
from innohub.core.registry import ApiRouter, Demo, FormKind, FormUse, Reminder, UrlMount
from innohub.core.roles import STAFF_ROLES


class EventsConfig(AppConfig):
    name = "innohub.events"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Events and training")
    urls = UrlMount("innohub.events.urls", prefix="events/")
    api_router = ApiRouter("/events/", "innohub.events.api.router")
    nav_items = (
        NavItem("events:list", _("Events"), order=45),
        NavItem("events:staff", _("Events and training"), roles=STAFF_ROLES, area="staff", order=70),
    )
    # registration and feedback forms, written in the back office's forms editor
    form_kinds = (FormKind("event", _("Event registration and feedback forms"), "events.EventForm", order=20, used_by=(
        FormUse("events.Event", "registration_form", _("Events (registration)"), named=True),
        FormUse("events.Event", "feedback_form", _("Events (feedback)"), named=True),
        FormUse("events.Registration", "form", _("Registrations")),
        FormUse("events.FeedbackResponse", "form", _("Feedback given")),
    )),)
    demo = Demo("innohub.events.demo.seed", order=60, after=("directory", "accounts"))
    reminders = (Reminder("event", "innohub.events.tasks.remind_registrants"),)
    action_labels = {
        "event.created": _("Event created"),
        "event.updated": _("Event edited"),
        "event.published": _("Event published"),
        "event.cancelled": _("Event cancelled"),
        "event.session_added": _("Session added to an event"),
        "event.session_removed": _("Session removed from an event"),
        "registration.created": _("Registered for an event"),
        "registration.approve": _("Registration approved"),
        "registration.refuse": _("Registration refused"),
        "registration.cancel": _("Registration cancelled"),
        "registration.promote": _("Promoted from the waiting list"),
        "registration.check_in": _("Checked in at an event"),
        "registration.session_attended": _("Attended a session"),
        "registration.reminded": _("Event reminder sent"),
        "certificate.issued": _("Certificate issued"),
        "certificate.revoked": _("Certificate revoked"),
        "feedback.given": _("Feedback given on an event"),
    }
