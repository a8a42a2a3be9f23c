"""gunicorn's settings for the app servers, read by gunicorn itself from the working directory
(the project's root), so the systemd unit, `make prod-check` and `bench/http_load.py` run with
the same ones; a flag on the command line wins over a line here (docs/operations.md §3).

- The application is loaded once in the master (`preload_app`), views and numpy, pandas and
  matplotlib with them (config/wsgi.py imports the URLconf): a worker is a fork that serves at
  once, and the workers share those pages of memory.
- A worker is replaced after `max_requests` requests (± jitter, so that they do not all go at
  once): whatever a long-lived process accumulates (allocator fragmentation after many index
  rebuilds, a library's cache) is given back, which keeps memory flat over weeks. A replaced worker
  is a fresh fork: it loads its search indexes again (the Q&A's from their saved copies, the
  directory's in the background while searches answer from the database).
"""

from __future__ import annotations

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 60
graceful_timeout = 30
preload_app = True
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10


def post_fork(server: object, worker: object) -> None:
    """A forked worker opens its own database and cache connections (none is shared with the master)."""
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    caches.close_all()


def child_exit(server: object, worker: object) -> None:
    """With several processes per server, the metrics of a worker that ended stop counting as live."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
