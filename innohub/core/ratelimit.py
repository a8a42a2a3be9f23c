"""A fixed-window rate limit on the cache, for public forms (sign-up, questions).

Counters live in the cache (Redis when several app servers share the load), keyed by what
is limited (usually the client IP). We use the cache rather than django-ratelimit to keep
one small, typed function that services and views can both call.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key` in `scope`; True when this hit goes over `limit` in the window."""
    window = int(time.time() // window_seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=window_seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window_seconds + 5)
            count = 1
    return count > limit
