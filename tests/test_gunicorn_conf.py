"""The app servers' gunicorn.conf.py (issue 34): the application is loaded once in the master and
each worker is a fork of it, replaced after GUNICORN_MAX_REQUESTS requests. Run for real: gunicorn
on this test's database, workers replaced many times over, every answer read from the database
right (no connection shared across a fork)."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from innohub.directory.tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_preloaded_workers_replaced_after_their_requests_keep_answering_from_the_database(tmp_path):
    org = OrganisationFactory(name="Trung tâm Đổi mới sáng tạo Gunicorn", slug="gunicorn-check")
    port = _free_port()
    access_log = tmp_path / "access.log"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", DJANGO_DEBUG="false", DATABASE_URL=_database_url(),
               GUNICORN_MAX_REQUESTS="5", LOG_LEVEL="WARNING", LOG_REQUESTS="false", AXES_ENABLED="false")
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "2", "--threads", "1",
         "--access-logfile", str(access_log), "--access-logformat", "%(p)s %(s)s %(U)s"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(port, "/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start: {server.stderr.read().decode() if server.poll() is not None else 'timeout'}")
                time.sleep(0.2)
        answers = [_get(port, f"/api/v1/directory/organisations/{org.slug}") for _ in range(40)]
        missing = _get(port, "/api/v1/directory/organisations/no-such-organisation")
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert [status for status, _body in answers] == [200] * 40
    assert {json.loads(body)["name"] for _status, body in answers} == {"Trung tâm Đổi mới sáng tạo Gunicorn"}
    assert missing[0] == 404
    lines = [line.split() for line in access_log.read_text().splitlines()]
    pids = {pid for pid, _status, path in lines if path.startswith("/api/v1/directory/organisations/")}
    # 41 requests at most 5 (+ jitter 0) each: the two first workers were replaced several times
    assert len(pids) >= 6, pids
