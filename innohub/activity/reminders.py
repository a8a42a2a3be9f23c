"""The bookkeeping of reminders sent at most once a day (or once at all): which rows are not
yet reminded, whether one was reminded today, and the record that it has been — the date
saved on the row (``reminded_on`` or another date field) and the audit event, before and after.

What a reminder says and to whom stays with each module; this only keeps the "once"
promise the same everywhere, so that a task run twice the same day sends nothing twice.
Used by research (milestones), cooperation (actions, agreements' expiry) and events
(registrations); programs' milestones and the Q&A's questions still write it by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models

from innohub.activity.services import event_record, snapshot

QuerySetT = TypeVar("QuerySetT", bound=models.QuerySet)


def not_reminded_today(queryset: QuerySetT, *, today: dt.date, field: str = "reminded_on") -> QuerySetT:
    """The rows of ``queryset`` not reminded on ``today``."""
    return queryset.exclude(**{field: today})


def never_reminded(queryset: QuerySetT, *, field: str = "reminded_on") -> QuerySetT:
    """The rows of ``queryset`` never reminded (reminders sent once at all)."""
    return queryset.filter(**{f"{field}__isnull": True})


def reminded_today(instance: models.Model, *, today: dt.date, field: str = "reminded_on") -> bool:
    return getattr(instance, field) == today


def reminder_record(instance: models.Model, *, today: dt.date, action: str, field: str = "reminded_on",
                    changes: dict[str, Any] | None = None, detail: dict[str, Any] | None = None) -> None:
    """Save that ``instance`` was reminded ``today`` (with any other ``changes`` of the same
    reminder, e.g. its stage) and audit it as ``action`` by the system, before and after
    (``detail``: what else the audit's "after" should say, e.g. the due date reminded of)."""
    changes = {field: today, **(changes or {})}
    fields = list(changes)
    before = snapshot(instance, fields)
    for name, value in changes.items():
        setattr(instance, name, value)
    update_fields = fields + (["updated_at"] if any(f.name == "updated_at" for f in instance._meta.concrete_fields) else [])
    instance.save(update_fields=update_fields)
    event_record(actor=None, action=action, target=instance, before=before, after={**snapshot(instance, fields), **(detail or {})})
