"""Reading events and registrations, each for whom is asking: the public sees published
(and cancelled) events and only the participants who agreed to be listed; staff see every
event and registration; an attendee sees their own registration through their signed link."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from innohub.core.dates import format_date
from innohub.core.permissions import user_has_role
from innohub.core.roles import STAFF_ROLES
from innohub.core.text import search_key
from innohub.events import permissions
from innohub.events.codes import attendee_token_read
from innohub.events.models import Certificate, CheckIn, Event, Registration, Series, Session
from innohub.events.workflows import has_flag, staff_label, states_with

PUBLIC_STATUSES = (Event.Status.PUBLISHED, Event.Status.CANCELLED)


def event_dates(event: Event) -> str:
    """22/11/2026 08:00–17:00, or 22/11/2026 – 24/11/2026 for several days (local time)."""
    start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if start.date() == end.date():
        return f"{format_date(start)} {start:%H:%M}–{end:%H:%M}"
    return f"{format_date(start)} – {format_date(end)}"


def _public() -> QuerySet[Event]:
    return Event.objects.filter(status__in=PUBLIC_STATUSES).select_related("series")


def events_public(*, past: bool = False, series: Series | None = None, query: str = "") -> QuerySet[Event]:
    """Published and cancelled events, upcoming first by date (past ones latest first)."""
    now = timezone.now()
    events = _public()
    if series is not None:
        events = events.filter(series=series)
    if query:
        key = search_key(query)
        events = events.filter(Q(title__icontains=query) | Q(title_en__icontains=query) | Q(slug__icontains=key.replace(" ", "-")))
    if past:
        return events.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return events.filter(ends_at__gte=now).order_by("starts_at", "id")


def events_feed() -> QuerySet[Event]:
    """The feed's events: public ones of the last year and everything ahead."""
    return _public().filter(ends_at__gte=timezone.now() - dt.timedelta(days=365)).order_by("starts_at", "id")


def event_public_get(*, slug: str, user: Any = None) -> Event:
    """An event's public page; a draft only for staff (its preview)."""
    event = Event.objects.select_related("series", "registration_form").prefetch_related(
        "organisers", "partners", "speakers", "sectors", "sessions").filter(slug=slug).first()
    if event is None or (event.status == Event.Status.DRAFT and not user_has_role(user, permissions.MANAGE_EVENTS)):
        raise Http404
    return event


def series_public_get(*, slug: str) -> Series:
    series = Series.objects.filter(slug=slug).first()
    if series is None:
        raise Http404
    return series


def series_all() -> QuerySet[Series]:
    return Series.objects.annotate(n=Count("events", filter=Q(events__status__in=PUBLIC_STATUSES))).filter(n__gt=0)


def public_participants(event: Event) -> QuerySet[Registration]:
    """Who the public list shows: people registered who agreed to appear, nobody else."""
    return event.registrations.filter(consent_public=True, state__in=states_with("live")).exclude(
        state__in=states_with("waiting")).order_by("name", "id")


def attendee_registration(*, token: str) -> Registration:
    """The registration a signed attendee link opens (404 for a forged or stale link)."""
    read = attendee_token_read(token)
    if read is None:
        raise Http404
    registration = Registration.objects.select_related("event", "event__series").filter(pk=read[0], code=read[1]).first()
    if registration is None:
        raise Http404
    return registration


def my_registrations(*, user: Any) -> QuerySet[Registration]:
    return Registration.objects.filter(Q(user=user) | Q(registered_by=user)).select_related("event").order_by("-event__starts_at", "name")


def event_staff_recipients(event: Event) -> list[Any]:
    """Who is told of registrations to approve: the event's author if staff, else the officers and managers."""
    users = get_user_model().objects.filter(is_active=True, role__in=STAFF_ROLES)
    if event.created_by_id and users.filter(pk=event.created_by_id).exists():
        return list(users.filter(pk=event.created_by_id))
    return list(users.filter(role__in=["officer", "manager"]))


# -- staff ------------------------------------------------------------------------------------
def _ensure_staff(user: Any) -> None:
    if not user_has_role(user, permissions.MANAGE_EVENTS):
        raise PermissionDenied


def events_for_staff(*, user: Any, query: str = "") -> QuerySet[Event]:
    _ensure_staff(user)
    live = states_with("live")
    events = Event.objects.select_related("series").annotate(
        n_registered=Count("registrations", filter=Q(registrations__state__in=states_with("holds_seat"))),
        n_waiting=Count("registrations", filter=Q(registrations__state__in=states_with("waiting"))),
        n_live=Count("registrations", filter=Q(registrations__state__in=live)),
    ).order_by("-starts_at", "-id")
    if query:
        events = events.filter(Q(title__icontains=query) | Q(title_en__icontains=query))
    return events


def event_for_staff(*, user: Any, pk: int) -> Event:
    _ensure_staff(user)
    event = Event.objects.select_related("series", "registration_form", "feedback_form").prefetch_related("sessions").filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def registrations_for_staff(*, user: Any, event: Event, query: str = "", state: str = "", public_only: bool = False) -> QuerySet[Registration]:
    """Every registration of the event (or, ``public_only``, those who agreed to be listed),
    found by name, e-mail or organisation, the waiting list in its order."""
    _ensure_staff(user)
    rows = event.registrations.select_related("organisation", "certificate").order_by("waiting_position", "created_at", "id")
    if public_only:
        rows = rows.filter(consent_public=True)
    if state:
        rows = rows.filter(state=state)
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(email__icontains=query) | Q(organisation_name__icontains=query))
    return rows


def checkin_candidates(*, user: Any, event: Event, query: str) -> list[Registration]:
    """Registrations to check in by name (accents optional), for the door when there is no QR."""
    if not user_has_role(user, permissions.CHECK_IN):
        raise PermissionDenied
    key = search_key(query or "")
    if len(key) < 2:
        return []
    rows = event.registrations.filter(state__in=states_with("confirmed", "attended", "awaiting_approval", "waiting")).order_by("name")[:500]
    return [r for r in rows if key in search_key(r.name) or key in (r.email or "").lower()][:20]


def checked_in_ids(*, event: Event, session: Session | None) -> set[int]:
    return set(CheckIn.objects.filter(registration__event=event, session=session).values_list("registration_id", flat=True))


def event_report(*, user: Any, event: Event) -> dict[str, Any]:
    """Registrations, attendance rate, no-shows, waiting list; by kind of participant and country."""
    _ensure_staff(user)
    rows = list(event.registrations.select_related("organisation").all())
    seats = [r for r in rows if has_flag(r.state, "holds_seat")]
    attended = [r for r in rows if has_flag(r.state, "attended")]
    confirmed = [r for r in rows if has_flag(r.state, "confirmed")]
    waiting = [r for r in rows if has_flag(r.state, "waiting")]
    past = event.starts_at <= timezone.now()
    expected = len(attended) + len(confirmed)
    kinds = dict(Registration.ParticipantKind.choices)

    def breakdown(key) -> list[dict[str, Any]]:
        total = Counter(key(r) for r in seats)
        came = Counter(key(r) for r in attended)
        return [{"label": label, "registered": n, "attended": came.get(label, 0)} for label, n in total.most_common()]

    by_state = Counter(r.state for r in rows)
    return {
        "total": len(rows),
        "registered": len(seats),
        "attended": len(attended),
        "no_shows": len(confirmed) if past else None,
        "waiting": len(waiting),
        "attendance_rate": (len(attended) / expected) if expected and past else None,
        "by_state": [{"label": staff_label(code), "n": n} for code, n in by_state.most_common()],
        "by_kind": breakdown(lambda r: str(kinds.get(r.participant_kind, r.participant_kind))),
        "by_country": breakdown(lambda r: r.country),
        "organisations": sorted({(r.organisation.name, r.organisation.slug) for r in seats if r.organisation}),
        "sessions": [{"session": s, "n": s.n} for s in event.sessions.annotate(n=Count("checkins"))],
    }


def certificate_lookup(*, number: str) -> Certificate | None:
    number = (number or "").strip().upper()
    if not number:
        return None
    return Certificate.objects.select_related("registration__event").filter(number=number).first()


def certificates_for_staff(*, user: Any, event: Event) -> QuerySet[Certificate]:
    _ensure_staff(user)
    return Certificate.objects.filter(registration__event=event).select_related("registration").order_by("registration__name")
