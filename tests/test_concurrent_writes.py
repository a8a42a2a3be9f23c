"""Twenty citizens asking at once and ten officers saving at once (issue 34): every request is
answered, none with a lock error, on SQLite (WAL, the embedded default) and on PostgreSQL.

A real threaded server (Django's live server thread, the one pytest-django's `live_server` runs,
with a listen backlog of 128: the test server's 10 resets the eleventh connection that arrives at
the same moment, where gunicorn's is 2048) and real HTTP clients, one thread each:
each first opens its form (the CSRF token), then all post at the same moment. On SQLite the test
database is a file in WAL mode for this (config/settings/test.py): an in-memory database would
give every request thread the test's one connection, which is no concurrency at all.
"""

from __future__ import annotations

import http.cookiejar
import io
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test import Client
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from innohub.activity.models import Event
from innohub.qa.models import InternalNote, Question
from innohub.qa.tests.factories import QuestionFactory, TopicFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CITIZENS = 20
OFFICERS = 10
OFFICER_QUESTIONS = 7  # officers 0–6 each on their own question, 7–9 on the questions of 0–2
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TRACKING_CODE = re.compile(r"HD-[A-Z0-9]{4}-[A-Z0-9]{4}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """The answer to the post itself is what is checked, not the page it leads to."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Browser:
    """One person's browser: its cookies, and what the server answered each request."""

    base: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)
    answers: list[tuple[str, int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - the test's own server
        try:
            with self.opener.open(req, timeout=120) as response:
                status, text, location = response.status, response.read().decode(), response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx and 5xx
            status, text, location = exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location", "")
        self.answers.append((f"{'POST' if data is not None else 'GET'} {path}", status, text[:2000]))
        return status, text, location

    def form_token(self, path: str) -> str:
        status, page, location = self.request(path)
        assert status == 200, (path, status, location, page[:500])
        match = CSRF_INPUT.search(page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def add_cookie(self, name: str, value: str) -> None:
        # the domain the cookie jar files this server's own cookies under ("localhost.local")
        _, domain = http.cookiejar.eff_request_host(urllib.request.Request(self.base))  # noqa: S310
        self.jar.set_cookie(http.cookiejar.Cookie(
            0, name, value, None, False, domain, False, False, "/", True, False, None, True, None, None, {},
        ))


class _BackloggedServer(ThreadedWSGIServer):
    request_queue_size = 128


class _ServerThread(LiveServerThread):
    server_class = _BackloggedServer


@pytest.fixture
def server_url():
    thread = _ServerThread("localhost", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()


def _at_once(jobs: list) -> float:
    """Run every job in its own thread, all released at the same moment; the seconds it took."""
    barrier = threading.Barrier(len(jobs) + 1)
    errors: list[BaseException] = []

    def run(job):
        try:
            barrier.wait()
            job()
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join(180)
    assert not errors, errors
    return time.monotonic() - started


def test_twenty_citizens_ask_and_ten_officers_save_at_once(server_url, make_user, monkeypatch):
    # the limit is per IP address, and every client here is 127.0.0.1: a city's office behind
    # one address is the same case; the limit itself is tested in innohub/qa/tests
    monkeypatch.setattr("innohub.qa.services.intake.ASK_LIMIT_PER_HOUR", CITIZENS * 2)
    cache.clear()
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db(), "the test database must be a file for real concurrency"
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    topic = TopicFactory()
    questions = [QuestionFactory(topic=topic) for _ in range(OFFICER_QUESTIONS)]

    citizens = [Browser(server_url) for _ in range(CITIZENS)]
    tokens = [c.form_token("/qa/ask/") for c in citizens]

    officers: list[tuple[Browser, int, str]] = []
    for n in range(OFFICERS):
        user = make_user(role="officer", username=f"officer-{n}")
        client = Client()
        client.force_login(user)  # with the second factor passed (the root conftest)
        browser = Browser(server_url)
        browser.add_cookie(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
        question = questions[n % OFFICER_QUESTIONS]
        officers.append((browser, question.pk, browser.form_token(f"/qa/inbox/{question.pk}/")))

    shown_codes: list[str] = []

    def ask(n: int):
        def job():
            browser = citizens[n]
            status, _, location = browser.request("/qa/ask/", {
                "csrfmiddlewaretoken": tokens[n], "topic": str(topic.pk),
                "text": f"Công dân số {n} hỏi: doanh nghiệp khởi nghiệp được hỗ trợ những gì ở giai đoạn ươm tạo?",
                "asker_name": f"Người hỏi {n}", "asker_email": f"citizen{n}@example.vn", "consent": "on", "website": "",
            })
            if status == 302 and location:
                _, page, _ = browser.request(urllib.parse.urlsplit(location).path)
                shown_codes.extend(TRACKING_CODE.findall(page)[:1])
        return job

    def save(n: int):
        def job():
            browser, pk, token = officers[n]
            browser.request(f"/qa/inbox/{pk}/note/", {"csrfmiddlewaretoken": token, "text": f"Ghi chú của cán bộ số {n}"})
        return job

    seconds = _at_once([ask(n) for n in range(CITIZENS)] + [save(n) for n in range(OFFICERS)])

    answers = [a for b in citizens for a in b.answers] + [a for b, _, _ in officers for a in b.answers]
    posts = [a for a in answers if a[0].startswith("POST")]
    print(f"\n{connection.vendor}: {len(posts)} posts at once answered in {seconds:.2f} s; "
          f"{len(answers)} requests in all; statuses {sorted({s for _, s, _ in answers})}")
    failed = [(what, status, text[:300]) for what, status, text in answers if not 200 <= status < 400]
    assert not failed, failed
    assert not [a for a in answers if "database is locked" in a[2]]
    assert [s for what, s, _ in posts] == [302] * (CITIZENS + OFFICERS)

    # every citizen's question is stored, with its own tracking code, the one their page showed
    asked = Question.objects.filter(asker_email__startswith="citizen")
    codes = set(asked.values_list("tracking_code", flat=True))
    assert asked.count() == CITIZENS and len(codes) == CITIZENS
    assert sorted(shown_codes) == sorted(codes)
    received = Event.objects.filter(action="question.received", target_id__in=[str(pk) for pk in asked.values_list("pk", flat=True)])
    assert received.count() == CITIZENS

    # every officer's note is stored and audited, the same question's notes side by side
    for n, (_, pk, _) in enumerate(officers):
        assert InternalNote.objects.filter(question_id=pk, author__username=f"officer-{n}", text=f"Ghi chú của cán bộ số {n}").count() == 1
    assert Event.objects.filter(action="question.noted").count() == OFFICERS
    assert InternalNote.objects.filter(question=questions[0]).count() == 2

    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "Audit chain holds" in out.getvalue()
