"""Check-in at the door: by the attendee's signed QR code, by name from the list, or as a
walk-in; attendance per session for courses.

A scan answers with what the person at the door must see: checked in (the name), already
checked in (when), a forged code, a code of another event, a cancelled or unconfirmed
registration. Only "checked in" writes anything. Scans queued by a phone offline carry the
time they were made (`scanned_at`), and a queue sent twice records each check-in once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.services import event_record
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role
from innohub.events import permissions
from innohub.events.codes import ForgedCode, checkin_code_read
from innohub.events.models import CheckIn, Event, Registration, Session
from innohub.events.services.registrations import Attendee, registrations_create
from innohub.events.workflows import has_flag
from innohub.workflow.services import transition_perform


@dataclass(frozen=True)
class CheckinResult:
    status: str  # "checked_in", "already", "forged", "other_event", "not_confirmed"
    message: str
    registration: Registration | None = None
    checked_at: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.status == "checked_in"


def _when(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def _scan_time(scanned_at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if scanned_at is None or scanned_at > now or now - scanned_at > dt.timedelta(days=2):
        return now
    return scanned_at


@transaction.atomic
def checkin_record(
    *, registration: Registration, actor: Any, session: Session | None = None, method: str = CheckIn.Method.MANUAL,
    scanned_at: dt.datetime | None = None,
) -> CheckinResult:
    """Check a registration in (at a session of a course when ``session``)."""
    ensure_role(actor, permissions.CHECK_IN)
    registration = Registration.objects.select_for_update(of=("self",)).select_related("event").get(pk=registration.pk)
    if session is not None and session.event_id != registration.event_id:
        raise ApplicationError(_("This session belongs to another event."), code="wrong_session")
    existing = CheckIn.objects.filter(registration=registration, session=session).first()
    if existing is not None:
        return CheckinResult("already", _("Already checked in at %(when)s: %(name)s.") % {"when": _when(existing.checked_at), "name": registration.name},
                             registration, existing.checked_at)
    if not (has_flag(registration.state, "confirmed") or has_flag(registration.state, "attended")):
        return CheckinResult("not_confirmed", _("Not admitted: this registration is not confirmed (%(state)s).") % {"state": _state(registration)}, registration)
    when = _scan_time(scanned_at)
    try:
        with transaction.atomic():
            CheckIn.objects.create(registration=registration, session=session, checked_at=when, by=actor, method=method)
    except IntegrityError:  # the same scan from two phones at once
        return CheckinResult("already", _("Already checked in: %(name)s.") % {"name": registration.name}, registration)
    if has_flag(registration.state, "confirmed"):
        registration = transition_perform(obj=registration, transition="check_in", actor=actor, internal=True, changes={"checked_in_at": when},
                           note=session.title if session else "")
    else:
        event_record(actor=actor, action="registration.session_attended", target=registration, after={"session": session.pk if session else None})
    return CheckinResult("checked_in", _("Checked in: %(name)s.") % {"name": registration.name}, registration, when)


def _state(registration: Registration) -> str:
    from innohub.events.workflows import staff_label

    return staff_label(registration.state)


def checkin_by_code(
    *, event: Event, code: str, actor: Any, session: Session | None = None, scanned_at: dt.datetime | None = None,
) -> CheckinResult:
    """Check in the holder of a scanned code; a forged code or one of another event changes nothing."""
    ensure_role(actor, permissions.CHECK_IN)
    try:
        read = checkin_code_read(code)
    except ForgedCode:
        return CheckinResult("forged", _("Refused: this code was not issued by the department (forged or damaged)."))
    if read.event_id != event.pk:
        other = Event.objects.filter(pk=read.event_id).first()
        return CheckinResult("other_event", _("Refused: this code is for another event (%(event)s).") % {"event": other.display_title if other else "—"})
    registration = Registration.objects.filter(pk=read.registration_id, event=event, code=read.code).first()
    if registration is None:
        return CheckinResult("forged", _("Refused: no registration matches this code."))
    return checkin_record(registration=registration, actor=actor, session=session, method=CheckIn.Method.QR, scanned_at=scanned_at)


@transaction.atomic
def walkin_register(*, event: Event, attendee: Attendee, actor: Any, session: Session | None = None) -> CheckinResult:
    """Register someone at the door and check them in at once."""
    ensure_role(actor, permissions.CHECK_IN)
    if event.is_cancelled:
        raise ApplicationError(_("This event is cancelled."), code="cancelled")
    registration = registrations_create(event=event, attendees=[attendee], actor=actor, walk_in=True)[0]
    return checkin_record(registration=registration, actor=actor, session=session, method=CheckIn.Method.WALK_IN)


def ensure_may_check_in(actor: Any) -> None:
    if actor is None:
        raise PermissionDenied
    ensure_role(actor, permissions.CHECK_IN)
