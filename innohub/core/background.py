"""Queueing background work from a service: a task named by its dotted path is enqueued
once the current transaction commits (so a rolled-back change queues nothing). Services
name their tasks instead of importing them: a tasks module calls services, so importing it
back from them made import circles (services → tasks → services)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_on_commit(task: str, **kwargs: Any) -> None:
    """Enqueue the task at dotted path ``task`` with ``kwargs`` after the current commit."""

    def _enqueue() -> None:
        import_string(task).enqueue(**kwargs)

    transaction.on_commit(_enqueue)
