"""Past histories for the demo data.

The demo writes in one go a story that took months: questions asked weeks ago, applications
decided in the spring. Their pages show that story in their history, so its events carry the
story's dates, not the minute the demo ran. The audit log refuses changes through
`Event.save`; a queryset update is the demo's way round it, and nothing outside the demo
dates an event. A dated event's hash, and the links of those after it, are computed again
(`_relink_from`), so that `manage.py audit_verify` holds on the demo as on real data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from innohub.activity import chain
from innohub.activity.models import Event
from innohub.activity.services import event_record


def _relink_from(pk: int) -> None:
    """Hash again every event from `pk` on, each over the one before it (the demo's dating changed them)."""
    prev = Event.objects.filter(pk__lt=pk).order_by("-id").values_list("hash", flat=True).first() or chain.GENESIS
    fields = ["id", *chain.CHAINED_FIELDS]
    for values in Event.objects.filter(pk__gte=pk).order_by("id").values(*fields):
        new_hash = chain.event_hash(values, prev)
        Event.objects.filter(pk=values["id"]).update(prev_hash=prev, hash=new_hash)
        prev = new_hash


def history_record(*, target: models.Model, steps: list[tuple[Any, str, dt.datetime, str]]) -> None:
    """Record an object's past steps, each `(actor, action, when, note)`, as the services would have."""
    for actor, action, when, note in steps:
        event = event_record(actor=actor, action=action, target=target, note=note)
        Event.objects.filter(pk=event.pk).update(created_at=when)
        _relink_from(event.pk)


def history_spread(*, target: models.Model, start: dt.datetime, end: dt.datetime) -> None:
    """Spread the events the services recorded for `target` evenly, in order, from `start` to `end`."""
    events = list(
        Event.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk))
        .order_by("created_at", "id").values_list("pk", flat=True)
    )
    step = (end - start) / max(len(events) - 1, 1)
    for index, pk in enumerate(events):
        Event.objects.filter(pk=pk).update(created_at=start + step * index)
    if events:
        _relink_from(min(events))
