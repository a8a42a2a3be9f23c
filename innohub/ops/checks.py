"""What /readyz checks: the database answers, the cache answers, every migration is applied, and
how long the oldest task ready to run has waited for a worker (django-tasks' database backend)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

_migrations_applied = False


def database() -> dict[str, Any]:
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "ms": round((time.perf_counter() - start) * 1000, 1)}


def cache_check() -> dict[str, Any]:
    key, value = f"readyz:{uuid.uuid4().hex}", "1"
    cache.set(key, value, 10)
    ok = cache.get(key) == value
    cache.delete(key)
    return {"ok": ok}


def migrations() -> dict[str, Any]:
    """Every migration of the code applied. Once true it stays true for the process (asked on each
    probe, reading the migration files every time would cost more than the probe should)."""
    global _migrations_applied
    if not _migrations_applied:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return {"ok": False, "pending": len(pending)}
        _migrations_applied = True
    return {"ok": True, "pending": 0}


def task_lag() -> dict[str, Any]:
    """Seconds the oldest task ready to run has waited; `ok` false past READYZ_TASK_LAG_SECONDS.
    With another backend than the database's (tests run tasks at once) there is no queue."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return {"ok": True, "backend": "immediate", "ready": 0, "lag_seconds": 0}
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    ready = DBTaskResult.objects.ready()  # the backend's own rule: READY, and due
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    lag = 0.0
    if oldest:
        enqueued, run_after = oldest
        since = enqueued if run_after == get_date_max() else max(enqueued, run_after)
        lag = max(0.0, (now - since).total_seconds())
    limit = settings.READYZ_TASK_LAG_SECONDS
    return {"ok": lag <= limit, "ready": ready.count(), "lag_seconds": round(lag, 1), "limit_seconds": limit}


