"""E-mails to attendees, who often have no account: a declared message (`events.notifications`)
rendered in the attendee's language by `activity.emails.message_email`, with the link to
their own page and, when they hold a place, their QR code (PNG) and the event's .ics attached.
Each message is e-mailed once per registration (`Registration.emailed`), so a task run
twice sends nothing more."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from innohub.activity.emails import message_email
from innohub.events.calendar import event_ics
from innohub.events.codes import attendee_token, checkin_code, qr_png
from innohub.events.models import Registration
from innohub.events.workflows import has_flag

WITH_TICKET = {"events.registration_confirmed", "events.registration_promoted", "events.registration_approved", "events.reminder"}


def attendee_email_send(*, registration_id: int, message: str, once_key: str = "") -> bool:
    """E-mail one message to the attendee; False when it was sent already (or the row is gone)."""
    key = once_key or message
    with transaction.atomic():
        registration = Registration.objects.select_for_update(of=("self",)).select_related("event").filter(pk=registration_id).first()
        if registration is None or key in (registration.emailed or {}):
            return False
        event = registration.event
        language = registration.language or "vi"
        params = {"event": event.pk, "when": event.pk, "place": event.place or event.online_url or "—",
                  "position": _position(registration), "reason": registration.reason or event.cancel_reason or "—",
                  "number": getattr(getattr(registration, "certificate", None), "number", "")}
        attachments = []
        if message in WITH_TICKET and (has_flag(registration.state, "confirmed") or has_flag(registration.state, "attended")):
            attachments = [("qr-code.png", qr_png(checkin_code(registration)), "image/png"),
                           (f"{event.slug}.ics", event_ics(event), "text/calendar")]
        with translation.override(language):
            reason = _("You receive this e-mail because you registered (or were registered) for an event on innohub.")
            email = message_email(
                to=registration.email, name=registration.name, language=language, message=message, params=params,
                url=reverse("events:attendee", args=[attendee_token(registration)]), reason=reason, attachments=attachments,
            )
        email.send()
        registration.emailed = {**(registration.emailed or {}), key: timezone.now().isoformat()}
        registration.save(update_fields=["emailed"])
    return True


def _position(registration: Registration) -> int:
    from innohub.events.services import waiting_rank

    return waiting_rank(registration) or 0
