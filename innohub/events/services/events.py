"""Creating, editing, publishing and cancelling events (staff). A change to a published
event bumps its iCalendar SEQUENCE, so that subscribers' calendars take the update; a
cancelled event stays in the feed as STATUS:CANCELLED."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, snapshot
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.permissions import ensure_role
from innohub.core.text import slugify_vi
from innohub.events import permissions
from innohub.events.models import Event

EVENT_FIELDS = ["title", "title_en", "starts_at", "ends_at", "place", "online_url", "mode", "capacity", "moderated", "status", "series"]
EVENT_RELATIONS = ["organisers", "partners", "speakers", "sectors"]  # audited as lists of ids


def _snapshot(event: Event) -> dict[str, Any]:
    data = snapshot(event, EVENT_FIELDS)
    for name in EVENT_RELATIONS:
        data[name] = sorted(getattr(event, name).values_list("pk", flat=True))
    return data


def _check(event: Event) -> None:
    problems = {}
    if not (event.title or "").strip():
        problems["title"] = _("Enter the event's title.")
    if event.starts_at and event.ends_at and event.ends_at < event.starts_at:
        problems["ends_at"] = _("The event cannot end before it starts.")
    if event.mode != Event.Mode.ONLINE and not (event.place or "").strip():
        problems["place"] = _("Say where the event takes place (or choose online).")
    if event.mode != Event.Mode.IN_PERSON and not (event.online_url or "").strip():
        problems["online_url"] = _("Give the online link (or choose in person).")
    if problems:
        raise ApplicationError(next(iter(problems.values())), extra=problems, code="invalid_event")


def _unique_slug(event: Event) -> str:
    base = slugify_vi(event.title, max_length=100) or "event"
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exclude(pk=event.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def event_save(*, event: Event, actor: Any, m2m: dict[str, Any] | None = None) -> Event:
    """Create or update an event from a filled instance (the page's form or the API)."""
    ensure_role(actor, permissions.MANAGE_EVENTS)
    _check(event)
    creating = event.pk is None
    before = None if creating else _snapshot(Event.objects.get(pk=event.pk))
    if not event.slug:
        event.slug = _unique_slug(event)
    if creating:
        event.created_by = actor
    else:
        event.sequence += 1
    event.save()
    for name, values in (m2m or {}).items():
        getattr(event, name).set(values)
    event_record(actor=actor, action="event.created" if creating else "event.updated", target=event, before=before, after=_snapshot(event))
    return event


@transaction.atomic
def event_publish(*, event: Event, actor: Any) -> Event:
    ensure_role(actor, permissions.MANAGE_EVENTS)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Event.Status.DRAFT:
        raise ConflictError(_("Only a draft can be published."), code="wrong_status")
    _check(event)
    before = snapshot(event, ["status"])
    event.status = Event.Status.PUBLISHED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated_at"])
    event_record(actor=actor, action="event.published", target=event, before=before, after=snapshot(event, ["status"]))
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: Any, reason: str) -> Event:
    """Cancel an event and tell everyone registered; it stays listed as cancelled."""
    ensure_role(actor, permissions.MANAGE_EVENTS)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason: the people registered read it."), extra={"reason": _("Give the reason: the people registered read it.")}, code="reason")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise ConflictError(_("This event is already cancelled."), code="wrong_status")
    before = snapshot(event, ["status", "cancel_reason"])
    event.status, event.cancel_reason = Event.Status.CANCELLED, reason[:500]
    event.sequence += 1
    event.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    event_record(actor=actor, action="event.cancelled", target=event, before=before, after=snapshot(event, ["status", "cancel_reason"]), note=reason)
    from innohub.core.background import enqueue_on_commit
    from innohub.events.workflows import states_with

    for pk in event.registrations.filter(state__in=states_with("live")).values_list("pk", flat=True):
        enqueue_on_commit("innohub.events.tasks.email_attendee", registration_id=pk, message="events.event_cancelled")
    return event


@transaction.atomic
def session_add(*, event: Event, actor: Any, title: str, starts_at: Any, ends_at: Any, title_en: str = "", place: str = "", speaker: str = "") -> Any:
    """Add a session to an event's timetable (a course's lesson)."""
    from innohub.events.models import Session

    ensure_role(actor, permissions.MANAGE_EVENTS)
    problems = {}
    if not (title or "").strip():
        problems["title"] = _("Enter the session's title.")
    if starts_at and ends_at and ends_at < starts_at:
        problems["ends_at"] = _("The session cannot end before it starts.")
    if problems:
        raise ApplicationError(next(iter(problems.values())), extra=problems, code="invalid_session")
    session = Session.objects.create(event=event, title=title.strip(), title_en=(title_en or "").strip(), starts_at=starts_at, ends_at=ends_at,
                                     place=(place or "").strip(), speaker=(speaker or "").strip())
    Event.objects.filter(pk=event.pk).update(sequence=models.F("sequence") + 1)
    event_record(actor=actor, action="event.session_added", target=event, after=snapshot(session, ["title", "starts_at", "ends_at"]))
    return session


@transaction.atomic
def session_remove(*, session: Any, actor: Any) -> None:
    """Remove a session nobody was checked in at (attendance is never thrown away)."""
    ensure_role(actor, permissions.MANAGE_EVENTS)
    if session.checkins.exists():
        raise ConflictError(_("People were checked in at this session: it cannot be removed."), code="has_checkins")
    before = snapshot(session, ["title", "starts_at", "ends_at"])
    event = session.event
    session.delete()
    event_record(actor=actor, action="event.session_removed", target=event, before=before)
