import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limit counts in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
