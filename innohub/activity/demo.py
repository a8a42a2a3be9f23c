"""Past histories for the demo data.

The demo writes in one go a story that took months: questions asked weeks ago, applications
decided in the spring. Their pages show that story in their history, so its events carry the
story's dates, not the minute the demo ran. The audit log refuses changes through
`Event.save`; a queryset update is the demo's way round it, and nothing outside the demo
dates an event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from innohub.activity.models import Event
from innohub.activity.services import event_record


def history_record(*, target: models.Model, steps: list[tuple[Any, str, dt.datetime, str]]) -> None:
    """Record an object's past steps, each `(actor, action, when, note)`, as the services would have."""
    for actor, action, when, note in steps:
        event = event_record(actor=actor, action=action, target=target, note=note)
        Event.objects.filter(pk=event.pk).update(created_at=when)


def history_spread(*, target: models.Model, start: dt.datetime, end: dt.datetime) -> None:
    """Spread the events the services recorded for `target` evenly, in order, from `start` to `end`."""
    events = list(
        Event.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk))
        .order_by("created_at", "id").values_list("pk", flat=True)
    )
    step = (end - start) / max(len(events) - 1, 1)
    for index, pk in enumerate(events):
        Event.objects.filter(pk=pk).update(created_at=start + step * index)
