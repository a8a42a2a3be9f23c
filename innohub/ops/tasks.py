"""A probe task for the production check (scripts/prod_check.py): counts its runs in the shared cache,
so that a run of several workers on one queue shows each task ran exactly once."""

from __future__ import annotations

import os
import time

from django.core.cache import cache
from django_tasks import task


@task()
def probe(key: str, seconds: float = 0.0) -> int:
    time.sleep(seconds)  # long enough for the other worker to claim the next task meanwhile
    cache.add(key, 0, 3600)
    runs = cache.incr(key)
    cache.set(f"{key}:pid", os.getpid(), 3600)
    return runs
