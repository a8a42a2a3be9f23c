"""iCalendar (RFC 5545) for events, with the `icalendar` package: one event's .ics and the
subscribable feed of the department's public events.

A multi-day event is an all-day entry (DTSTART/DTEND as dates, DTEND the day after the
last); a one-day event keeps its times (UTC). Each entry keeps one UID for its life and a
SEQUENCE bumped on every change, so that subscribers' calendars replace it; a cancelled
event stays in the feed with STATUS:CANCELLED so that it disappears from their agenda.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from innohub.core.links import absolute_url
from innohub.events.models import Event


def _uid(event: Event) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "innohub"
    return f"event-{event.pk}@{host}"


def _vevent(event: Event) -> VEvent:
    item = VEvent()
    item.add("uid", _uid(event))
    item.add("dtstamp", event.updated_at or timezone.now())
    item.add("sequence", event.sequence)
    item.add("summary", event.display_title)
    if event.is_multi_day:
        first = timezone.localtime(event.starts_at).date()
        last = timezone.localtime(event.ends_at).date()
        item.add("dtstart", first)
        item.add("dtend", last + dt.timedelta(days=1))
    else:
        item.add("dtstart", event.starts_at.astimezone(dt.UTC))
        item.add("dtend", event.ends_at.astimezone(dt.UTC))
    location = ", ".join(p for p in (event.place, event.address) if p) or event.online_url
    if location:
        item.add("location", location)
    url = absolute_url(reverse("events:detail", args=[event.slug]))
    item.add("url", url)
    description = event.display_description
    item.add("description", (description + "\n\n" if description else "") + url)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("last-modified", event.updated_at or timezone.now())
    return item


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//innohub//events//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    return cal


def event_ics(event: Event) -> bytes:
    cal = _calendar(event.display_title)
    cal.add("method", "PUBLISH")
    cal.add_component(_vevent(event))
    return cal.to_ical()


def feed_ics(events: Iterable[Event]) -> bytes:
    cal = _calendar(_("Events of the HCMC Department of Science and Technology"))
    cal.add("x-published-ttl", "PT6H")
    cal.add("refresh-interval;value=duration", "PT6H")
    for event in events:
        cal.add_component(_vevent(event))
    return cal.to_ical()
