"""A value built from the database (a search index) that each process keeps in memory and builds
again when the database's version of it changes, without making a request wait: the request that
sees the change starts one rebuild in a background thread and goes on with the value it has; the
rebuilt value is swapped in whole (one assignment of a (version, value) pair), so a reader sees
either the old one or the new one. Without background refresh (the tests), the reader that sees
the change rebuilds it while the other threads wait. With background refresh, a process holding
nothing yet (just started) first tries ``load(version)``: a copy saved for that very version (the
Q&A's indexes, saved by the worker) is read in milliseconds instead of built in seconds; it
raises ``LookupError`` when there is none for that version. Given ``update(value, version)``, a
value held is first brought up to date from what changed since it was built (milliseconds instead
of seconds; it returns None when only a full build will do). The directory's search index (with
``update``) and the Q&A's BM25 indexes use it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.db import connection

from innohub.core import page_cache

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
logger = logging.getLogger(__name__)


class BackgroundRefreshed(Generic[K, V]):
    """``version()`` reads the database's current version (cheap, on every use); ``build(version)``
    builds the value for it (seconds); ``background()`` says whether rebuilds run beside."""

    def __init__(self, name: str, *, version: Callable[[], K], build: Callable[[K], V],
                 background: Callable[[], bool], load: Callable[[K], V] | None = None,
                 update: Callable[[V, K], V | None] | None = None) -> None:
        self.name = name
        self._version, self._build, self._background = version, build, background
        self._load, self._update = load, update
        self._entry: tuple[K, V] | None = None
        self._lock = threading.Lock()  # a blocking build (no background refresh, or no value yet)
        self._refreshing = threading.Lock()  # held by this process's one background rebuild

    @property
    def value(self) -> V | None:
        """The value held now, whatever its version (None before the first build)."""
        entry = self._entry
        return entry[1] if entry is not None else None

    @property
    def held_version(self) -> K | None:
        entry = self._entry
        return entry[0] if entry is not None else None

    def background(self) -> bool:
        return self._background()

    def available(self) -> bool:
        """Whether ``get`` would answer now without waiting. With background refresh, a process
        without a value starts building one and the caller uses another path meanwhile."""
        if self._entry is not None or not self._background():
            return True
        if self._load_saved(self._version()):
            return True
        self.refresh_in_background()
        return False

    def _load_saved(self, version: K) -> bool:
        """With background refresh and nothing held: take the copy saved for ``version``, if any."""
        if self._load is None or not self._background():
            return False
        with self._lock:
            if self._entry is not None:
                return True
            try:
                self._entry = (version, self._load(version))
            except LookupError:
                return False
            except Exception:  # an unreadable copy: build as if there were none
                logger.exception("loading the saved %s", self.name)
                return False
        return True

    def get(self) -> V:
        """The value for the database's version; with background refresh, the one held while
        a rebuild runs beside (only a process holding none waits for its first build)."""
        version = self._version()
        entry = self._entry
        if entry is not None and entry[0] == version:
            return entry[1]
        if entry is not None and self._background():
            self.refresh_in_background()
            page_cache.not_storable()  # older than the database: a page showing it is not kept
            return entry[1]
        if entry is None and self._load_saved(version):
            return self.get()
        with self._lock:
            entry = self._entry
            if entry is None or entry[0] != version:
                entry = (version, self._next(entry, version))
                self._entry = entry
        return entry[1]

    def _next(self, entry: tuple[K, V] | None, version: K) -> V:
        """The value for ``version``: the one held brought up to date when it can be, else built."""
        if entry is not None and self._update is not None:
            try:
                updated = self._update(entry[1], version)
            except Exception:  # a full build is always right; the log says why it was needed
                logger.exception("updating %s", self.name)
                updated = None
            if updated is not None:
                return updated
        return self._build(version)

    def refresh_in_background(self) -> None:
        if not self._refreshing.acquire(blocking=False):
            return  # one rebuild at a time; it loops until the version stops changing

        def run() -> None:
            try:
                while True:
                    version = self._version()
                    entry = self._entry
                    if entry is not None and entry[0] == version:
                        return
                    self._entry = (version, self._next(entry, version))
            except Exception:  # the readers go on with the value they have; the next one tries again
                logger.exception("rebuilding %s", self.name)
            finally:
                connection.close()  # this thread's own connection
                self._refreshing.release()

        threading.Thread(target=run, name=f"{self.name}-refresh", daemon=True).start()

    def refreshing(self) -> bool:
        """Whether a background rebuild runs now."""
        return self._refreshing.locked()

    def wait_for_refresh(self, timeout: float = 30.0) -> None:
        """Block until no background rebuild runs (tests, benchmarks, the production check)."""
        if self._refreshing.acquire(timeout=timeout):
            self._refreshing.release()

    def forget(self) -> None:
        """Drop the value held (tests, and after restoring a database)."""
        self._entry = None
