"""schema.org `Event` data for an event's public page (JSON-LD), so that search engines show
its dates, place, status and free entry: eventStatus (scheduled or cancelled),
eventAttendanceMode (offline, online, mixed), location (Place and/or VirtualLocation),
organizer, and an offer at price 0 in VND."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from innohub.core.links import absolute_url
from innohub.events.models import Event

_MODES = {
    Event.Mode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Event.Mode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.Mode.MIXED: "https://schema.org/MixedEventAttendanceMode",
}


def event_data(event: Event) -> dict[str, Any]:
    url = absolute_url(reverse("events:detail", args=[event.slug]))
    locations: list[dict[str, Any]] = []
    if event.mode != Event.Mode.ONLINE:
        locations.append({"@type": "Place", "name": event.place, "address": event.address or event.place})
    if event.mode != Event.Mode.IN_PERSON and event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "EducationEvent" if event.kind == Event.Kind.COURSE else "Event",
        "name": event.display_title,
        "description": event.display_description[:5000],
        "startDate": event.starts_at.isoformat(),
        "endDate": event.ends_at.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled" if event.is_cancelled else "https://schema.org/EventScheduled",
        "eventAttendanceMode": _MODES.get(Event.Mode(event.mode), _MODES[Event.Mode.IN_PERSON]),
        "location": locations[0] if len(locations) == 1 else locations,
        "inLanguage": ["vi", "en"] if event.language == Event.Language.BOTH else event.language,
        "url": url,
        "isAccessibleForFree": True,
        "offers": {"@type": "Offer", "price": 0, "priceCurrency": "VND", "availability": "https://schema.org/InStock", "url": url},
        "organizer": [{"@type": "Organization", "name": o.name} for o in event.organisers.all()]
        or [{"@type": "GovernmentOrganization", "name": "Sở Khoa học và Công nghệ TP. Hồ Chí Minh"}],
    }
    if event.capacity:
        data["maximumAttendeeCapacity"] = event.capacity
    performers = [{"@type": "Person", "name": str(p)} for p in event.speakers.all()]
    if performers:
        data["performer"] = performers
    if event.series is not None:
        data["superEvent"] = {"@type": "EventSeries", "name": event.series.display_title,
                              "url": absolute_url(reverse("events:series", args=[event.series.slug]))}
    return data


def event_json_ld(event: Event, request: HttpRequest | None = None) -> SafeString:
    """The JSON-LD text for a <script type="application/ld+json"> (``<`` escaped so that no
    text of the event can close the element)."""
    text = json.dumps(event_data(event), ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above
