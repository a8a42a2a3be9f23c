"""The events' notification messages (ids and texts; rendered in each reader's language).

Attendees often have no account: their e-mails are rendered from the same messages by
`activity.emails.message_email` (`events.tasks.email_attendee`); staff get in-app
notifications and e-mails through `activity.services.notification_send`.
"""

from django.utils.translation import gettext_noop

from innohub.activity.messages import Lookup, message


def _events(ids):
    from innohub.events.models import Event

    return Event.objects.in_bulk(list(ids))


def _dates(event, _value):
    from innohub.events.selectors import event_dates

    return event_dates(event)


# the stored value is the event's id; a page of notifications reads its events once
event_title = Lookup(load=_events, show=lambda event, _value: event.display_title)  # in the reader's language
event_when = Lookup(load=_events, show=_dates)  # 22/11/2026 08:00 – 24/11/2026 17:00


EVENT = {"event": event_title, "when": event_when}

message("events.registration_confirmed", subject=gettext_noop("You are registered for %(event)s"),
        body=gettext_noop("Your place is confirmed.\nWhen: %(when)s\nWhere: %(place)s\nShow the QR code attached (or on your registration's page) at the entrance. The calendar file is attached too."),
        params=EVENT)
message("events.registration_waiting", subject=gettext_noop("You are on the waiting list of %(event)s"),
        body=gettext_noop("The event is full: you are number %(position)s on its waiting list. We will e-mail you as soon as a place frees up.\nWhen: %(when)s"),
        params=EVENT)
message("events.registration_awaiting_approval", subject=gettext_noop("Your registration for %(event)s awaits the organiser's approval"),
        body=gettext_noop("The organiser approves each registration for this event. We will e-mail you their decision.\nWhen: %(when)s"),
        params=EVENT)
message("events.registration_promoted", subject=gettext_noop("A place freed up: you are registered for %(event)s"),
        body=gettext_noop("Someone cancelled, and you were first on the waiting list: your place is confirmed.\nWhen: %(when)s\nWhere: %(place)s\nShow the QR code attached at the entrance."),
        params=EVENT)
message("events.registration_promoted_to_approval", subject=gettext_noop("A place freed up at %(event)s"),
        body=gettext_noop("Someone cancelled, and you were first on the waiting list: your registration now awaits the organiser's approval."),
        params=EVENT)
message("events.registration_approved", subject=gettext_noop("Your registration for %(event)s is approved"),
        body=gettext_noop("The organiser approved your registration.\nWhen: %(when)s\nWhere: %(place)s\nShow the QR code attached at the entrance."),
        params=EVENT)
message("events.registration_refused", subject=gettext_noop("Your registration for %(event)s was not accepted"),
        body=gettext_noop("The organiser could not accept your registration. Reason: %(reason)s"), params=EVENT)
message("events.registration_cancelled", subject=gettext_noop("Your registration for %(event)s is cancelled"),
        body=gettext_noop("Your registration is cancelled. If this was a mistake, you may register again while places remain."),
        params=EVENT)
message("events.reminder", subject=gettext_noop("Tomorrow: %(event)s"),
        body=gettext_noop("A reminder that you are registered.\nWhen: %(when)s\nWhere: %(place)s\nShow your QR code at the entrance."),
        params=EVENT)
message("events.certificate_issued", subject=gettext_noop("Your certificate for %(event)s"),
        body=gettext_noop("Your certificate of attendance number %(number)s is ready to download from your registration's page."),
        params=EVENT)
message("events.approval_needed", subject=gettext_noop("A registration for %(event)s awaits your approval"),
        body=gettext_noop("%(name)s (%(organisation)s) registered and waits for a decision."), params=EVENT)
message("events.event_cancelled", subject=gettext_noop("Cancelled: %(event)s"),
        body=gettext_noop("We are sorry: the event is cancelled. Reason: %(reason)s"), params=EVENT)
