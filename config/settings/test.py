"""Settings for the test suite: same as base, fast hashing, tasks run immediately."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/innohub-test-media")  # noqa: S108
ALLOWED_HOSTS = ["*"]
(BASE_DIR / "staticfiles").mkdir(exist_ok=True)  # whitenoise warns when it is missing
API_RATE_LIMIT_PER_MINUTE = 1_000_000  # the fuzzing test sends thousands of requests
AXES_FAILURE_LIMIT = 5
DIRECTORY_INDEX_BACKGROUND_REFRESH = False  # a test searches right after it writes
QA_INDEX_BACKGROUND_REFRESH = False  # likewise
QA_DENSE_RETRIEVAL = False  # encoding takes seconds a passage; the tests that need it turn it on
QA_EVAL_CACHE_DIR = MEDIA_ROOT.path("qa-eval")  # the tests' scratch space, not the repository's var/

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file in WAL mode, as in production, not Django's default in-memory test database: with
    # that, a live server's request threads all share the test's one connection, so nothing in
    # the suite could run two requests at once (tests/test_concurrent_writes.py). One file per
    # test process; Django deletes it at the end of the run.
    DATABASES["default"]["TEST"] = {"NAME": f"/tmp/innohub-test-{os.getpid()}.sqlite3"}  # noqa: F405, S108
else:
    # A name per test process, so several suites (developers, CI, benchmarks) can share one server.
    DATABASES["default"]["TEST"] = {"NAME": f"test_innohub_{os.getpid()}"}  # noqa: F405
# The public page cache (innohub/core/page_cache.py) is off whatever REDIS_URL says: the suite's cache
# is one local memory kept between tests; its own tests turn it on and clear it.
PAGE_CACHE_ENABLED = False
